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
};
