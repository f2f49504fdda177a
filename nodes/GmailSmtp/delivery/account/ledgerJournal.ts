import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

import { appendLines, BackgroundFlush, parseLine, READ_CHUNK, readLines } from '../journalLines';
import { uniqueTag } from '../processTag';
import type { AttemptOutcome, DailyDecision, DailyLimits, LedgerEntry } from './limitStore';
import { asRecord, LedgerState, type JournalRecord, type LedgerSnapshot } from './ledgerState';
import {
	checkedSnapshot,
	createGeneration,
	listGenerations,
	ledgerUnavailable,
	ledgerUnreadable,
	readLegacySnapshot,
} from './ledgerSnapshot';

/** A generation is sealed past this many records, and twice its snapshot's rows (O(1) a message). */
const MIN_RECORDS_PER_GENERATION = 4096;
const RECORDS_PER_ROW = 2;

interface Operation {
	record?: JournalRecord;
	done: (decision: DailyDecision | undefined) => void;
	failed: (error: unknown) => void;
}

/**
 * One account's embedded ledger: an append-only journal shared by the n8n processes of a host,
 * without a lock. Each change is one line appended in a single write (O_APPEND: lines of several
 * processes never interleave, and the file's order is the one order they all replay). A count is
 * a request, `r`: whether it was granted is decided by replaying the journal up to it, so every
 * process reaches the same answer, and a process paused for any length of time can never write a
 * stale ledger — there is nothing to overwrite, its next line is judged where it lands. The work
 * per message is one append and reading what others appended since: it does not grow with the
 * day's count.
 *
 * Compaction: past a size, a process appends `seal`; the state replayed up to the first seal is
 * the snapshot that starts the next generation file, created by linking a fully written and
 * flushed file to its name (link fails if the name exists: one generation per number, whoever is
 * first). Lines after the seal are void; their writers find the seal before their line and
 * write it again in the next generation.
 *
 * What a crash can lose: nothing when n8n (or its process) crashes, since a line is in the kernel,
 * visible to every process, before its message may go. Lines are flushed to disk (fdatasync) in
 * the background, one flush at a time, at most every 20 ms (see BackgroundFlush): a power cut or a
 * kernel crash can lose the lines of the last ~20 ms and one flush, i.e. messages sent then are
 * not counted after the reboot. A torn last line is skipped.
 */
export class LedgerJournal {
	private state?: LedgerState;
	private generation = 0;
	private handle?: FileHandle;
	private offset = 0;
	private recordsInGeneration = 0;
	private snapshotRows = 0;
	private queue: Operation[] = [];
	private running = false;
	private flusher?: BackgroundFlush;
	private readonly readBuffer = Buffer.allocUnsafe(READ_CHUNK);

	constructor(
		/** `…/ledger-<hash>`: generations are `<base>.<n>.journal`. */
		private readonly base: string,
		private readonly account: string,
		/** The JSON ledger of versions before the journal, taken over on first use. */
		private readonly legacyPath: string,
	) {}

	/** Counts the message in the rolling day if it fits; the replay's decision. */
	async reserve(entry: LedgerEntry, limits: DailyLimits, now: number): Promise<DailyDecision> {
		const { messages, recipients } = limits;
		const record: JournalRecord = ['r', uniqueTag(), now, entry.id, entry.recipients, 0, 0];
		[record[5], record[6]] = [Math.max(0, messages), Math.max(0, recipients)];
		return (await this.run(record))!;
	}

	async release(entry: LedgerEntry, now: number): Promise<void> {
		await this.run(['x', uniqueTag(), now, entry.id]);
	}

	async record(outcome: Exclude<AttemptOutcome, 'failed'>, now: number): Promise<void> {
		await this.run(['p', uniqueTag(), now, outcome]);
	}

	/** The ledger as of this process's last read (after `reserve`: as of that count). */
	get lastRead(): LedgerState | undefined {
		return this.state;
	}

	/** The ledger with everything appended so far. */
	async current(): Promise<LedgerState> {
		await this.run();
		return this.state!;
	}

	async close(): Promise<void> {
		await this.flusher?.done();
		await this.handle?.close().catch(() => undefined);
		this.handle = undefined;
	}

	private run(record?: JournalRecord): Promise<DailyDecision | undefined> {
		return new Promise((done, failed) => {
			this.queue.push({ record, done, failed });
			if (!this.running) void this.drain();
		});
	}

	/** Serves every operation waiting: their lines in one write, then one read of what is new. */
	private async drain(): Promise<void> {
		this.running = true;
		while (this.queue.length > 0) {
			const batch = this.queue.splice(0);
			try {
				const retry = await this.serve(batch);
				this.queue.unshift(...retry);
			} catch (error) {
				// Opened again, from the start, by the next operation.
				void this.handle?.close().catch(() => undefined);
				[this.handle, this.state] = [undefined, undefined];
				for (const operation of batch) operation.failed(error);
			}
		}
		this.running = false;
	}

	/** Returns the operations whose lines landed after a seal, to write in the next generation. */
	private async serve(batch: Operation[]): Promise<Operation[]> {
		if (!this.handle) await this.openNewest();
		const writing = batch.filter((operation) => operation.record);
		if (writing.length > 0) await this.append(writing.map((operation) => operation.record!));
		const waiting = new Map(
			writing.map((operation) => [operation.record![1] as string, operation]),
		);
		const sealed = await this.catchUp((tag, decision) => {
			waiting.get(tag)?.done(decision);
			waiting.delete(tag);
		});
		for (const operation of batch) if (!operation.record) operation.done(undefined);
		if (sealed) {
			await this.nextGeneration();
			// Lines after the seal are void: written again, in the next generation.
			return [...waiting.values()];
		}
		const threshold = Math.max(MIN_RECORDS_PER_GENERATION, RECORDS_PER_ROW * this.snapshotRows);
		if (this.recordsInGeneration > threshold) await this.append([['seal']]);
		return [...waiting.values()];
	}

	private async append(records: JournalRecord[]): Promise<void> {
		try {
			appendLines(this.handle!.fd, records);
		} catch (error) {
			throw this.unusable(error);
		}
		this.flusher!.soon();
	}

	/** Replays what was appended since the last read; true once sealed (the state: at the seal). */
	private async catchUp(
		seen: (tag: string, decision: DailyDecision | undefined) => void,
	): Promise<boolean> {
		const { text, bytes } = readLines(this.handle!.fd, this.offset, this.readBuffer);
		this.offset += bytes;
		for (const line of text.split('\n')) {
			const record = this.readRecord(line);
			if (!record) continue;
			if (record[0] === 'seal') return true;
			this.recordsInGeneration++;
			seen(record[1], this.state!.apply(record));
		}
		return false;
	}

	private readRecord(line: string): JournalRecord | undefined {
		const value = parseLine(line);
		if (value === undefined) return undefined;
		const record = asRecord(value);
		if (!record) throw this.corrupt(this.path(this.generation), 'one of its lines is malformed');
		return record;
	}

	/** Opens the newest generation (creating the first from a legacy ledger, or empty). */
	private async openNewest(): Promise<void> {
		await fs.mkdir(dirname(this.base), { recursive: true }).catch((error) => {
			throw this.unusable(error);
		});
		for (;;) {
			const newest = await this.newestGeneration();
			const generation = newest || 1;
			if (!newest) await this.create(1, await readLegacySnapshot(this.legacyPath, this.account));
			if (await this.load(generation)) return;
		}
	}

	/** Loads a generation from its start; false if it is gone (replaced meanwhile). */
	private async load(generation: number): Promise<boolean> {
		const path = this.path(generation);
		let handle: FileHandle;
		try {
			handle = await fs.open(path, 'a+');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
			throw this.unusable(error);
		}
		const text = (await handle.readFile()).toString('utf8');
		const firstLine = text.indexOf('\n');
		let snapshot: LedgerSnapshot | undefined;
		try {
			const header = JSON.parse(text.slice(0, firstLine)) as unknown[];
			if (header[0] === 'snapshot' && header[1] === generation)
				snapshot = header[2] as LedgerSnapshot;
		} catch {
			// Reported below.
		}
		if (!snapshot) {
			await handle.close();
			throw this.corrupt(path, 'it does not start with its snapshot');
		}
		await this.handle?.close().catch(() => undefined);
		this.handle = handle;
		this.flusher = new BackgroundFlush(handle);
		this.generation = generation;
		this.state = new LedgerState(checkedSnapshot(snapshot, path, this.account));
		this.snapshotRows = this.state.size;
		this.recordsInGeneration = 0;
		this.offset = Buffer.byteLength(text.slice(0, firstLine + 1));
		if (await this.catchUp(() => undefined)) await this.nextGeneration();
		return true;
	}

	/** The state is the one at the seal: it starts the next generation (whoever creates it). */
	private async nextGeneration(): Promise<void> {
		const next = this.generation + 1;
		await this.create(next, this.state!.snapshot());
		const newest = await this.newestGeneration();
		// Created again after it was compacted away (this process was paused): the newest counts.
		if (!(await this.load(Math.max(next, newest)))) await this.openNewest();
		for (const old of await this.generations()) {
			if (old < this.generation) await fs.unlink(this.path(old)).catch(() => undefined);
		}
	}

	private async create(generation: number, snapshot: LedgerSnapshot): Promise<void> {
		await createGeneration(this.path(generation), generation, snapshot).catch((error: unknown) => {
			throw this.unusable(error);
		});
	}

	private async generations(): Promise<number[]> {
		return await listGenerations(this.base).catch((error: unknown) => {
			throw this.unusable(error);
		});
	}

	private async newestGeneration(): Promise<number> {
		return Math.max(0, ...(await this.generations()));
	}

	private path(generation: number): string {
		return `${this.base}.${generation}.journal`;
	}

	private corrupt(path: string, why: string) {
		return ledgerUnreadable(this.account, path, why);
	}

	private unusable(error: unknown) {
		return ledgerUnavailable(this.account, dirname(this.base), error);
	}
}
