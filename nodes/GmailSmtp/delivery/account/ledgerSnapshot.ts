import { randomBytes } from 'node:crypto';
import { promises as fs, readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { configError } from '../../errors/GmailSmtpError';
import type { LedgerSnapshot } from './ledgerState';
import { NO_PUSHBACK } from './pushback';

/**
 * The JSON ledger an earlier version kept (`ledger-<hash>.json`), as the journal's first snapshot;
 * an empty one if there is none. An unreadable one is an error naming it, never a reset.
 */
export async function readLegacySnapshot(path: string, account: string): Promise<LedgerSnapshot> {
	let text: string;
	try {
		text = await fs.readFile(path, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return { rows: [], pushback: NO_PUSHBACK };
		}
		throw ledgerUnavailable(account, path, error);
	}
	let data: { version?: unknown };
	try {
		data = JSON.parse(text);
	} catch {
		throw ledgerUnreadable(account, path, 'it is not valid JSON');
	}
	if (data?.version !== 1) {
		throw ledgerUnreadable(account, path, 'it does not have the expected fields');
	}
	return checkedSnapshot(data as unknown as LedgerSnapshot, path, account);
}

/** A snapshot as read from disk, checked field by field: a wrong type names the file. */
export function checkedSnapshot(
	snapshot: LedgerSnapshot,
	path: string,
	account: string,
): LedgerSnapshot {
	if (
		!Array.isArray(snapshot?.rows) ||
		typeof snapshot.pushback !== 'object' ||
		!snapshot.pushback
	) {
		throw ledgerUnreadable(account, path, 'it does not have the expected fields');
	}
	const rowsValid = snapshot.rows.every(
		(row) =>
			Array.isArray(row) &&
			Number.isFinite(row[0]) &&
			Number.isInteger(row[1]) &&
			row[1] >= 0 &&
			typeof row[2] === 'string',
	);
	if (!rowsValid) throw ledgerUnreadable(account, path, 'some of its entries are malformed');
	const pushback = snapshot.pushback as unknown as Record<string, unknown>;
	const wrongField = Object.keys(NO_PUSHBACK).find(
		(field) => pushback[field] !== undefined && !Number.isFinite(pushback[field]),
	);
	if (wrongField) {
		throw ledgerUnreadable(account, path, `its push-back field "${wrongField}" is not a number`);
	}
	return { rows: snapshot.rows, pushback: { ...NO_PUSHBACK, ...snapshot.pushback } };
}

export function ledgerUnreadable(account: string, path: string, why: string) {
	return configError(
		'Account ledger unreadable',
		`The daily ledger of ${account} at ${path} cannot be read: ${why}. It counts what this account sent in the last 24 hours, so nothing is sent rather than start counting from zero. Restore the file, or delete it to start the count again (only if you know how much the account sent today).`,
	);
}

export function ledgerUnavailable(account: string, where: string, error: unknown) {
	const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
	return configError(
		'Account ledger unavailable',
		`The daily ledger of ${account} in ${where} cannot be used (${reason}). n8n needs to read and write its user folder (N8N_USER_FOLDER); nothing was sent, so the account's limits still hold.`,
	);
}

/**
 * Writes a journal generation beside its name, flushed, and links it to the name unless that is
 * taken: whoever is first creates the generation, and it is complete the moment it has its name.
 */
export async function createGeneration(
	path: string,
	generation: number,
	snapshot: LedgerSnapshot,
): Promise<void> {
	const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
	try {
		const handle = await fs.open(temporary, 'w', 0o600);
		try {
			await handle.writeFile(`${JSON.stringify(['snapshot', generation, snapshot])}\n`);
			await handle.sync();
		} finally {
			await handle.close();
		}
		await fs.link(temporary, path).catch((error: NodeJS.ErrnoException) => {
			if (error.code !== 'EEXIST') throw error;
		});
	} finally {
		await fs.rm(temporary, { force: true }).catch(() => undefined);
	}
}

/** The generation numbers of the journal `<base>.<n>.journal` present on disk. */
export async function listGenerations(base: string): Promise<number[]> {
	const prefix = `${basename(base)}.`;
	return (await fs.readdir(dirname(base)))
		.filter((name) => name.startsWith(prefix) && name.endsWith('.journal'))
		.map((name) => Number(name.slice(prefix.length, -'.journal'.length)))
		.filter((generation) => Number.isInteger(generation) && generation > 0);
}

export const READ_CHUNK = 64 * 1024;

/**
 * The complete lines of the file from `offset` on, and how many bytes they take; a line another
 * process is still writing is left for the next read. Synchronous, like the journal's appends: a
 * read of the few lines appended since the last one comes from the page cache in microseconds,
 * where the thread pool's round trip costs more main-thread work than the read itself (measured:
 * the journal's cost per message fell fourfold). The slow part, the flush to disk, stays async.
 */
export function readLines(
	fd: number,
	offset: number,
	/** Reused by every read of one journal; what is kept is copied. */
	readBuffer: Buffer,
): { text: string; bytes: number } {
	const chunks: Buffer[] = [];
	for (let at = offset; ;) {
		const bytesRead = readSync(fd, readBuffer, 0, readBuffer.length, at);
		chunks.push(Buffer.from(readBuffer.subarray(0, bytesRead)));
		if (bytesRead < readBuffer.length) break;
		at += bytesRead;
	}
	const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
	const complete = bytes.lastIndexOf(0x0a) + 1;
	return { text: bytes.toString('utf8', 0, complete), bytes: complete };
}

/** Lines are on disk at most this long (plus one flush) after they were written. */
const FLUSH_SPACING_MS = 20;

/**
 * Flushes a journal to disk in the background: one fdatasync at a time, started as soon as lines
 * were written and at most every FLUSH_SPACING_MS, so that a busy journal costs few flushes.
 * Nobody waits for it but `close`.
 */
export class BackgroundFlush {
	private running?: Promise<void>;
	private dirty = false;

	constructor(private readonly handle: FileHandle) {}

	soon(): void {
		this.dirty = true;
		this.running ??= this.flush().finally(() => (this.running = undefined));
	}

	async done(): Promise<void> {
		await this.running;
	}

	private async flush(): Promise<void> {
		while (this.dirty) {
			const startedAt = Date.now();
			this.dirty = false;
			await this.handle.datasync().catch(() => undefined);
			if (this.dirty) await sleep(Math.max(1, FLUSH_SPACING_MS - (Date.now() - startedAt)));
		}
	}
}
