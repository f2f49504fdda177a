// n8n processes that never outlive the script: one-shot CLI commands (`import:*`, `execute`) and
// long-running ones (`n8n start`, `n8n worker`), each the leader of a process group of its own so
// that the task runner it spawns goes with it, whatever way the script ends.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';

import { reservePorts } from '../../testkit/freePort';
import { n8nEnvironment, type N8nRuntime } from './runtime';

/** What `n8n start` logs once its editor, REST API and webhooks answer. */
export const N8N_READY = /Editor is now accessible/;

export interface CommandResult {
	code: number | null;
	stdout: string;
	stderr: string;
}

export interface ProcessExit {
	code: number | null;
	signal: NodeJS.Signals | null;
	error?: Error;
}

export interface N8nProcess {
	label: string;
	logFile: string;
	readonly output: string;
	/** Resolves when the process has exited, however it ended. */
	readonly exited: Promise<ProcessExit>;
	/** How often `pattern` (a global RegExp) occurs in the output so far. */
	count(pattern: RegExp): number;
	/** Resolves once the output matches `pattern`; rejects if the process exits first. */
	waitForLog(pattern: RegExp, timeoutMs: number): Promise<void>;
	/** SIGTERM to the group, SIGKILL after `graceMs`; resolves when every member is gone. */
	stop(graceMs?: number): Promise<ProcessExit | undefined>;
}

/** Process groups of n8n processes not yet stopped: killed when the script exits. */
const groups = new Set<ChildProcess>();
/** Every process group this script started, to find what outlived its leader. */
const startedGroups = new Set<number>();
/** Asynchronous clean-ups (e.g. stopping Redis) to run if the script is interrupted. */
const interruptCleanups = new Set<() => unknown>();
let exitHooksInstalled = false;

function spawnN8n(runtime: N8nRuntime, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
	installExitHooks();
	const child = spawn(runtime.nodeBinary, [runtime.n8nScript, ...args], {
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	groups.add(child);
	if (child.pid !== undefined) startedGroups.add(child.pid);
	return child;
}

/** Runs one n8n CLI command to completion; resolves with its exit code and output. */
export function runN8n(
	runtime: N8nRuntime,
	args: string[],
	env: NodeJS.ProcessEnv,
	{ timeoutMs = 180_000 }: { timeoutMs?: number } = {},
): Promise<CommandResult> {
	return new Promise((resolve, reject) => {
		const child = spawnN8n(runtime, args, env);
		let stdout = '';
		let stderr = '';
		child.stdout?.on('data', (chunk) => (stdout += chunk));
		child.stderr?.on('data', (chunk) => (stderr += chunk));
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

/**
 * Starts a long-running n8n command (`start`, `worker`); `stop` ends it together with the task
 * runner it spawns. Its output goes to `logFile` and stays readable through the handle.
 */
export function startN8n(
	runtime: N8nRuntime,
	args: string[],
	env: NodeJS.ProcessEnv,
	{ label, logFile }: { label: string; logFile: string },
): N8nProcess {
	const child = spawnN8n(runtime, args, env);
	const logStream = createWriteStream(logFile);
	let output = '';
	let exit: ProcessExit | undefined;
	const listeners = new Set<() => void>();
	const notify = () => {
		for (const listener of listeners) listener();
	};
	const onOutput = (chunk: Buffer) => {
		output += chunk;
		logStream.write(chunk);
		notify();
	};
	child.stdout?.on('data', onOutput);
	child.stderr?.on('data', onOutput);
	const exited = new Promise<ProcessExit>((resolve) => {
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
	return {
		label,
		logFile,
		get output() {
			return output;
		},
		exited,
		count(pattern) {
			return (output.match(pattern) ?? []).length;
		},
		waitForLog(pattern, timeoutMs) {
			return new Promise((resolve, reject) => {
				const timer = setTimeout(
					() => finish(`did not log ${pattern} in ${timeoutMs / 1000} s`),
					timeoutMs,
				);
				const finish = (problem?: string) => {
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
			await new Promise<void>((resolve) => logStream.end(() => resolve()));
			return exit;
		},
	};
}

/**
 * `n8n start` (regular mode) on reserved loopback ports, its webhooks reached at `base` (the
 * resume links in the mail lead there too; n8n's default names localhost, which may be ::1), and
 * published workflows registered at once instead of through an outbox polled every 10-15 s.
 * Returns at once: wait for {@link N8N_READY} in its log. `unset`: variables of this process's
 * environment n8n must not see.
 */
export async function startN8nMain(
	runtime: N8nRuntime,
	userFolder: string,
	options: { label: string; logFile: string; env?: Record<string, string>; unset?: string[] },
): Promise<{ n8n: N8nProcess; base: string }> {
	const [port, brokerPort] = await reservePorts(2);
	const base = `http://127.0.0.1:${port}`;
	const env = await n8nEnvironment(runtime, userFolder, {
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		WEBHOOK_URL: `${base}/`,
		N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'false',
		...options.env,
	});
	for (const name of options.unset ?? []) delete env[name];
	const n8n = startN8n(runtime, ['start'], env, { label: options.label, logFile: options.logFile });
	return { n8n, base };
}

/**
 * Processes still running in any process group this script started (n8n processes are its
 * leaders; the task runners they spawn stay in their group), e.g. a task runner that outlived its
 * n8n. With `kill`, they get SIGKILL.
 */
export function leftoverProcesses({ kill = false } = {}): Array<{ pid: number; command: string }> {
	const leftovers = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
		let stat;
		let command;
		try {
			stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
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

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	// No pid: the process never started.
	if (child.pid === undefined) return;
	try {
		process.kill(-child.pid, signal);
	} catch (error) {
		// ESRCH: the group is already gone.
		if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
	}
}

/**
 * Runs `cleanup` (at most 10 s) if the script gets SIGINT or SIGTERM before the returned function
 * is called. n8n processes need none: they are killed on exit in any case.
 */
export function cleanUpOnInterrupt(cleanup: () => unknown): () => void {
	installExitHooks();
	interruptCleanups.add(cleanup);
	return () => {
		interruptCleanups.delete(cleanup);
	};
}

function installExitHooks(): void {
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
	] as const) {
		process.once(signal, () => {
			const cleanups = [...interruptCleanups].map((cleanup) => Promise.resolve().then(cleanup));
			const deadline = new Promise((resolve) => setTimeout(resolve, 10_000).unref());
			void Promise.race([Promise.allSettled(cleanups), deadline]).then(() => process.exit(code));
		});
	}
}

/** The last lines of a process's output, for an error message. */
export function tail(text: string, lines = 40): string {
	return text.split('\n').slice(-lines).join('\n');
}
