import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

import { configError } from '../../errors/GmailSmtpError';
import { appendLines, parseLine, READ_CHUNK, readLines } from '../journalLines';
import { uniqueTag } from '../processTag';
import {
	parseSuppressionRecord,
	predatesRemoval,
	suppressionKey,
	suppressionRecord,
	type NewSuppression,
	type Suppression,
	type SuppressionStore,
} from './suppressionStore';

/**
 * A change to a list: `a` puts the record on it (unless `s`, when its evidence was seen, predates
 * the address's removal), `r` takes the address off (at `at`, ms; absent in older journals).
 */
type Change =
	| { t: string; op: 'a'; r: Suppression; s?: string }
	| { t: string; op: 'r'; e: string; at?: number };

/** One list's journal as this process has read it so far. */
interface OpenList {
	handle: FileHandle;
	offset: number;
	entries: Map<string, Suppression>;
	/** When each address was last taken off the list (ms since the epoch). */
	removedAt: Map<string, number>;
	queue: Promise<unknown>;
}

/**
 * The store for n8n without queue mode: one append-only journal per account and list, next to
 * the account's ledger in n8n's user folder, shared by the n8n processes of the host without a
 * lock (as the ledger's journal, see account/ledgerJournal.ts). Each change is one line appended
 * in a single write (O_APPEND: lines never interleave, and the file's order is the one order every
 * process replays), so a process paused for any length of time can never put back a stale list:
 * its next line is judged where it lands. Whether an address was new (or was there) is what
 * replaying the journal up to the caller's own line says, so two processes recording the same
 * unsubscribe at once agree on which of them recorded it.
 *
 * A change is flushed to disk (fdatasync) before it is reported done: an unsubscribe that was
 * answered 200 survives a power cut. A line torn by a crash is skipped (the next line starts with
 * a line break); a line that parses but is not a change makes the list unreadable, naming the
 * file, never an empty list. The journal is not compacted: it grows by one short line per change
 * (an import of 10,000 addresses is about 1 MB).
 */
export class EmbeddedSuppressionStore implements SuppressionStore {
	private readonly lists = new Map<string, Promise<OpenList>>();
	private readonly readBuffer = Buffer.allocUnsafe(READ_CHUNK);

	constructor(readonly folder: string) {}

	get location(): string {
		return `the suppression files in ${this.folder}`;
	}

	async add(account: string, list: string, entries: NewSuppression[]): Promise<boolean[]> {
		if (entries.length === 0) return [];
		const changes: Change[] = entries.map((entry) => ({
			t: uniqueTag(),
			op: 'a',
			r: suppressionRecord(entry),
			...(entry.seenAt ? { s: entry.seenAt } : {}),
		}));
		return await this.change(account, list, changes);
	}

	async remove(
		account: string,
		list: string,
		emails: string[],
		at = new Date(),
	): Promise<boolean[]> {
		if (emails.length === 0) return [];
		const changes: Change[] = emails.map((email) => ({
			t: uniqueTag(),
			op: 'r',
			e: suppressionKey(email),
			at: at.getTime(),
		}));
		return await this.change(account, list, changes);
	}

	async find(account: string, list: string, emails: string[]): Promise<Map<string, Suppression>> {
		const found = new Map<string, Suppression>();
		if (emails.length === 0) return found;
		const path = this.listPath(account, list);
		// A list nobody wrote to has no file, and reading it creates none.
		if (!this.lists.has(path) && !(await exists(path).catch((error) => this.fail(path, error))))
			return found;
		const { entries } = await this.serialized(path, async (open) => {
			this.catchUp(path, open);
			return open;
		});
		for (const email of emails) {
			const key = suppressionKey(email);
			const record = entries.get(key);
			if (record) found.set(key, record);
		}
		return found;
	}

	async close(): Promise<void> {
		const open = [...this.lists.values()];
		this.lists.clear();
		for (const list of open) {
			await list.then((opened) => opened.handle.close()).catch(() => undefined);
		}
	}

	/** The journal of one list: named by a hash, so an address never becomes a file name. */
	listPath(account: string, list: string): string {
		const digest = createHash('sha256').update(`${account}\n${list}`).digest('hex').slice(0, 20);
		return join(this.folder, `suppressed-${digest}.journal`);
	}

	/** Appends the changes in one write, flushes them, and replays up to them: their effect. */
	private async change(account: string, list: string, changes: Change[]): Promise<boolean[]> {
		const path = this.listPath(account, list);
		return await this.serialized(path, async (open) => {
			try {
				appendLines(open.handle.fd, changes);
				await open.handle.datasync();
			} catch (error) {
				throw this.unusable(path, error);
			}
			const effects = new Map(changes.map((change) => [change.t, false]));
			this.catchUp(path, open, (tag, changed) => {
				if (effects.has(tag)) effects.set(tag, changed);
			});
			return changes.map((change) => effects.get(change.t)!);
		});
	}

	/** One operation at a time per list in this process, on its open journal. */
	private serialized<T>(path: string, operation: (open: OpenList) => Promise<T>): Promise<T> {
		let opening = this.lists.get(path);
		if (!opening) {
			opening = this.open(path);
			this.lists.set(path, opening);
			// Opened again by the next operation.
			opening.catch(() => this.lists.delete(path));
		}
		return opening.then((open) => {
			const run = open.queue.then(() => operation(open));
			open.queue = run.catch(() => undefined);
			return run;
		});
	}

	private async open(path: string): Promise<OpenList> {
		try {
			await fs.mkdir(this.folder, { recursive: true });
			const handle = await fs.open(path, 'a+', 0o600);
			return {
				handle,
				offset: 0,
				entries: new Map(),
				removedAt: new Map(),
				queue: Promise.resolve(),
			};
		} catch (error) {
			throw this.unusable(path, error);
		}
	}

	/** Replays what was appended since the last read; `seen` hears each change's effect. */
	private catchUp(
		path: string,
		open: OpenList,
		seen: (tag: string, changed: boolean) => void = () => undefined,
	): void {
		let read;
		try {
			read = readLines(open.handle.fd, open.offset, this.readBuffer);
		} catch (error) {
			throw this.unusable(path, error);
		}
		open.offset += read.bytes;
		for (const line of read.text.split('\n')) {
			const change = this.readChange(path, line);
			if (!change) continue;
			if (change.op === 'a') {
				const { email } = change.r;
				const isNew =
					!open.entries.has(email) && !predatesRemoval(change.s, open.removedAt.get(email));
				if (isNew) open.entries.set(email, change.r);
				seen(change.t, isNew);
			} else {
				if (change.at !== undefined) open.removedAt.set(change.e, change.at);
				seen(change.t, open.entries.delete(change.e));
			}
		}
	}

	private readChange(path: string, line: string): Change | undefined {
		const value = parseLine(line) as Partial<Record<'t' | 'op' | 'r' | 's' | 'e' | 'at', unknown>>;
		if (value === undefined) return undefined;
		if (typeof value === 'object' && value !== null && typeof value.t === 'string') {
			if (value.op === 'a') {
				const record = parseSuppressionRecord(value.r);
				const seenAt = typeof value.s === 'string' ? { s: value.s } : {};
				if (record) return { t: value.t, op: 'a', r: record, ...seenAt };
			}
			if (value.op === 'r' && typeof value.e === 'string') {
				const at = typeof value.at === 'number' ? { at: value.at } : {};
				return { t: value.t, op: 'r', e: suppressionKey(value.e), ...at };
			}
		}
		throw configError(
			'Suppression list unreadable',
			`The suppression list at ${path} cannot be read: one of its lines is not a change to the list. Nothing is sent rather than mail people who unsubscribed. Restore the file from a backup, or delete it to start an empty list (everyone on it could then be mailed again).`,
		);
	}

	private fail(path: string, error: unknown): never {
		throw this.unusable(path, error);
	}

	private unusable(path: string, error: unknown) {
		const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
		return configError(
			'Suppression list unavailable',
			`The suppression list at ${path} cannot be used (${reason}). n8n needs to read and write its user folder (N8N_USER_FOLDER); no message is sent while the list cannot be read, so nobody on it is mailed.`,
		);
	}
}

async function exists(path: string): Promise<boolean> {
	try {
		await fs.access(path);
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
		throw error;
	}
}
