const { availableParallelism } = require('node:os');

/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	rootDir: '.',
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	globalSetup: '<rootDir>/test/globalSetup.ts',
	setupFilesAfterEnv: ['<rootDir>/test/setupAfterEnv.ts'],
	testTimeout: 30000,
	// Most of the suite's time is spent waiting (on servers, child processes, leases, timeouts),
	// not computing: four workers keep two cores busy while the longest files run, where jest's
	// default (one worker per core but one) would run everything in band, one file at a time.
	maxWorkers: Math.max(4, availableParallelism() - 1),
};
