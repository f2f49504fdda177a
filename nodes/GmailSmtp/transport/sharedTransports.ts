import { createHash } from 'node:crypto';

import type { GmailSmtpCredentials } from './gmailSmtpCredentials';
import type { ConnectionGate } from './smtpConnection';
import { createPooledTransport, type PoolSettings, type PooledTransport } from './smtpTransport';

/** An idle pool is closed this long after its last execution released it. */
const IDLE_CLOSE_MS = 5_000;

interface SharedEntry {
	transport: PooledTransport;
	gate: ConnectionGate;
	users: number;
	idleTimer?: NodeJS.Timeout;
}

const shared = new Map<string, SharedEntry>();
let exitHookInstalled = false;

export interface TransportLease<Gate extends ConnectionGate> {
	transport: PooledTransport;
	/** The gate this pool's connections pass, created with the pool. */
	gate: Gate;
	release(): void;
}

/**
 * One pooled transport per credential and settings within this n8n process, shared by concurrent
 * executions (webhook-triggered workflows run in parallel). Any change to the credential gives a
 * different key, so an edited credential never reuses a connection logged in with the old one.
 * The account's connection budget holds across pools and processes through each pool's gate.
 */
export function leaseTransport<Gate extends ConnectionGate>(
	credentials: GmailSmtpCredentials,
	settings: PoolSettings,
	createGate: () => Gate,
): TransportLease<Gate> {
	const key = fingerprint(credentials, settings);
	let entry = shared.get(key);
	if (!entry) {
		const gate = createGate();
		entry = { transport: createPooledTransport(credentials, settings, gate), gate, users: 0 };
		shared.set(key, entry);
		installExitHook();
	}
	clearTimeout(entry.idleTimer);
	entry.users++;
	const leased = entry;
	let released = false;
	return {
		transport: leased.transport,
		gate: leased.gate as Gate,
		release() {
			if (released) return;
			released = true;
			leased.users--;
			if (leased.users > 0) return;
			leased.idleTimer = setTimeout(() => closeEntry(key, leased), IDLE_CLOSE_MS);
			leased.idleTimer.unref();
		},
	};
}

/** Closes every shared connection now (process exit, tests). */
export function closeAllTransports(): void {
	for (const [key, entry] of shared) closeEntry(key, entry);
}

function closeEntry(key: string, entry: SharedEntry): void {
	clearTimeout(entry.idleTimer);
	if (shared.get(key) === entry) shared.delete(key);
	entry.transport.close();
}

function installExitHook(): void {
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	process.once('exit', closeAllTransports);
}

function fingerprint(credentials: GmailSmtpCredentials, settings: PoolSettings): string {
	return createHash('sha256')
		.update(JSON.stringify([credentials, settings]))
		.digest('hex');
}
