import { readSync, writeSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

// The lines of an append-only journal shared by the n8n processes of a host without a lock (the
// account's ledger, a suppression list): each change is one line of JSON, appended in a single
// write (O_APPEND: lines of several processes never interleave), read back from where the last
// read ended.

/**
 * Appends the records as lines in one write. A leading line break ends a torn line a crash may
 * have left, so the first of these parses. Synchronous, as the reads are (see readLines): a line
 * into the page cache. Throws when the write was short.
 */
export function appendLines(fd: number, records: unknown[]): void {
	const text = records.map((record) => `\n${JSON.stringify(record)}`).join('') + '\n';
	if (writeSync(fd, text) !== Buffer.byteLength(text)) throw new Error('short write');
}

/** A line as written, or `undefined` for an empty line or one torn by a crash. */
export function parseLine(line: string): unknown {
	if (!line.trim()) return undefined;
	try {
		return JSON.parse(line) as unknown;
	} catch {
		// A line torn by a crash, completed by the next line's leading line break.
		return undefined;
	}
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
