// What every real-n8n check uses: failing a check (as opposed to the test itself breaking),
// waiting for something to happen, and times for the log.
import type { SmtpTestServer } from '../testkit/smtpTestServer';
import type { N8nRuntime } from './n8n/runtime';

/** A check that did not hold (as opposed to the test itself breaking). */
export class CheckFailed extends Error {}

export function check(condition: unknown, message: string): asserts condition {
	if (!condition) throw new CheckFailed(message);
}

/** Seconds since `startedAt`, for the log. */
export function secondsSince(startedAt: number): string {
	return `${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
}

/** Polls `probe` until it returns something other than undefined. */
export async function waitFor<T>(
	probe: () => T | undefined | Promise<T | undefined>,
	timeoutMs: number,
	what: string,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const result = await probe();
		if (result !== undefined) return result;
		if (Date.now() > deadline) throw new CheckFailed(`${what}: not within ${timeoutMs / 1000} s`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

export type Log = (message: string) => void;

/**
 * What a check that boots n8n of its own is given: the n8n to run, its user folder (credentials
 * and workflows imported already), the folder for n8n's logs, the SMTP test server the workflows
 * send to, the log, and (where the check takes them) more checks to run in the same boot.
 */
export interface BootedCheckOptions<Alongside = never> {
	runtime: N8nRuntime;
	userFolder: string;
	logDir: string;
	server: SmtpTestServer;
	log: Log;
	alongside?: Alongside[];
}

/** Runs each step given and logs `  <part>: <label> (<seconds>)` once it is done. */
export function timedSteps(log: Log, part: string) {
	return async <T>(label: string, action: () => Promise<T>): Promise<T> => {
		const startedAt = Date.now();
		const result = await action();
		log(`  ${part}: ${label} (${secondsSince(startedAt)})`);
		return result;
	};
}

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/**
 * A sub-check run against one running n8n: its label, and what it does. It resolves with what it
 * found, for the log; a check that does not hold throws CheckFailed.
 */
export type Case = [label: string, run: () => Promise<string>];
