/*
 * One sender sending N messages, in a child process of its own with a fresh N8N_USER_FOLDER: each
 * run gets a clean heap and an empty ledger, and its peak RSS is its own.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CREDENTIAL_DEFAULTS } from '../nodes/GmailSmtp/defaults';
import { keepLedgersInMemory } from './inMemoryLedger';
import {
	MessageTimes,
	orderItems,
	OUR_NODE_GUARDS,
	sendLikeBuiltInNode,
	sendRawPooled,
	sendWithOurNode,
} from './senders';

export const SENDERS = [
	'A',
	'A-memory',
	'A-embedded',
	'A-redis',
	'A-defaults',
	'A-uncapped',
	'B',
	'C',
] as const;
export type Sender = (typeof SENDERS)[number];

export const SENDER_DESCRIPTIONS: Record<Sender, string> = {
	A: "this node's execute, as n8n calls it, with every limit of the account guard off (Daily Limit, Daily Recipient Limit and Max Messages per Second 0) and the embedded store: the guard still checks the ledger file for Gmail's push-back, but counts nothing in it.",
	'A-memory':
		"A with Daily Limit and Daily Recipient Limit 100,000 (never reached), still no rate cap, and the embedded store's ledger kept in the child's memory instead of its file (bench/inMemoryLedger.ts): the store's own decisions without lock or disk. The package has no such store (that budget would be neither shared nor kept); it is the in-process figure.",
	'A-embedded':
		"A-memory's limits with the embedded store as shipped, the default without queue mode: every message is counted by one line appended to the account's ledger journal (`N8N_USER_FOLDER/.n8n/gmail-smtp`), without a lock, flushed to disk in the background.",
	'A-redis':
		'the same limits with Limit Store "Redis" on the bench\'s redis-server: the ledger, push-back and connection slots are kept in Redis and changed by Lua scripts.',
	'A-defaults':
		"this node with the credential's defaults as shipped: Daily Limit and Daily Recipient Limit 500, Max Messages per Second 5, 3 connections, the embedded store.",
	'A-uncapped': 'A-defaults with Max Messages per Second 0 (no rate cap), as on a local relay.',
	B: "n8n's built-in Send Email pattern, a new unpooled transport per item (nodemailer 8.0.10), never closed.",
	C: 'raw pooled nodemailer 10 with the same connection count, the ceiling for any sender.',
};

/** What one run measured, in its own process. */
export interface SenderRun {
	elapsedMs: number;
	peakRssMb: number;
	/** The longest any one message took (see {@link MessageTimes}). */
	slowestMs: number;
	p99Ms: number;
}

const CHILD_FLAG = '--bench-sender';

/** Sends `count` messages with `sender` to the bench server in a child process. */
export function runSender(
	sender: Sender,
	count: number,
	target: { port: number; redisUrl: string },
	profileFile?: { dir: string; name: string },
): Promise<SenderRun> {
	const userFolder = mkdtempSync(join(tmpdir(), 'gmail-smtp-bench-'));
	const profile = profileFile
		? ['--cpu-prof', `--cpu-prof-dir=${profileFile.dir}`, `--cpu-prof-name=${profileFile.name}`]
		: [];
	return new Promise<SenderRun>((resolve, reject) => {
		let result: SenderRun | undefined;
		const args = [CHILD_FLAG, sender, String(target.port), String(count), target.redisUrl];
		const worker = fork(__filename, args, {
			env: { ...process.env, N8N_USER_FOLDER: userFolder },
			execArgv: [...process.execArgv, ...profile],
		});
		worker.once('message', (message) => (result = message as SenderRun));
		worker.once('error', reject);
		worker.once('exit', (code) => {
			if (code === 0 && result) resolve(result);
			else reject(new Error(`${sender} with ${count} items exited with ${code}`));
		});
	}).finally(() => rmSync(userFolder, { recursive: true, force: true }));
}

async function child(sender: Sender, port: number, count: number, redisUrl: string) {
	const items = orderItems(count);
	const clock = new MessageTimes();
	if (sender === 'A-memory') keepLedgersInMemory();
	if (sender.startsWith('A')) clock.timeOurNode();
	const start = process.hrtime.bigint();
	if (sender === 'B') await sendLikeBuiltInNode(port, items, clock);
	else if (sender === 'C')
		await sendRawPooled(port, items, CREDENTIAL_DEFAULTS.maxConnections, clock);
	else await sendWithOurNode(port, items, OUR_NODE_GUARDS[sender], redisUrl);
	const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
	if (clock.ms.length !== count) throw new Error(`${sender}: ${clock.ms.length} of ${count} timed`);
	const sorted = clock.ms.sort((a, b) => a - b);
	const result: SenderRun = {
		elapsedMs,
		peakRssMb: process.resourceUsage().maxRSS / 1024,
		slowestMs: sorted[sorted.length - 1],
		p99Ms: sorted[Math.ceil(0.99 * sorted.length) - 1],
	};
	process.send!(result);
	// The built-in pattern never closes its transports; do not wait for them (or for Redis).
	setImmediate(() => process.exit(0));
}

if (process.argv[2] === CHILD_FLAG) {
	const [sender, port, count, redisUrl] = process.argv.slice(3);
	child(sender as Sender, Number(port), Number(count), redisUrl).catch((error: unknown) => {
		process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
		process.exit(1);
	});
}
