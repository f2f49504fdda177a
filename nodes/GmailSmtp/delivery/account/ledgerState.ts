import { DAY_MS, MINUTE_MS } from '../../durations';
import type { AttemptOutcome, DailyDecision, DailyLimits } from './limitStore';
import {
	afterAccepted,
	afterExhausted,
	afterThrottled,
	blockedBy,
	NO_PUSHBACK,
	type PushbackState,
} from './pushback';

/** A message counted in the rolling day: when, how many recipients, and its id. */
export type LedgerRow = [at: number, recipients: number, id: string];

/** What a journal generation starts from: the day's messages and the push-back. */
export interface LedgerSnapshot {
	rows: LedgerRow[];
	pushback: PushbackState;
}

/**
 * One line of the journal. `r`: count a message if it fits (the decision is the replay's, so
 * every process reaches the same one); `x`: take one back; `p`: Gmail pushed back (or a message
 * went through after it did); `seal`: the generation ends here, what follows is void.
 */
export type JournalRecord =
	| ['r', tag: string, at: number, id: string, recipients: number, messages: number, limit: number]
	| ['x', tag: string, at: number, id: string]
	| ['p', tag: string, at: number, outcome: Exclude<AttemptOutcome, 'failed'>]
	| ['seal'];

interface Row {
	at: number;
	recipients: number;
	id: string;
	released: boolean;
}

/** Rows up to this far behind the newest count as written in the wrong order, not a clock step. */
const REORDER_TOLERANCE_MS = MINUTE_MS;

/**
 * The rolling 24 hours as replayed from the journal, with running totals: counting, releasing and
 * pruning a message cost the same whatever the day's count. Rows are kept in time order; one
 * written a little late by another process counts from the newest row's time (so it frees its
 * place no earlier than 24 hours after it was sent), and rows dated after a record's time by more
 * than that (the clock was stepped back) count as written then.
 */
export class LedgerState {
	pushback: PushbackState;
	private rows: Row[] = [];
	private head = 0;
	private readonly byId = new Map<string, Row>();
	private messages = 0;
	private recipients = 0;

	constructor(snapshot: LedgerSnapshot = { rows: [], pushback: NO_PUSHBACK }) {
		this.pushback = { ...NO_PUSHBACK, ...snapshot.pushback };
		const sorted = [...snapshot.rows].sort((a, b) => a[0] - b[0]);
		for (const [at, recipients, id] of sorted) this.add(at, recipients, id);
	}

	/** Applies one record; for a count, says whether the message was counted. */
	apply(record: JournalRecord): DailyDecision | undefined {
		if (record[0] === 'seal') return undefined;
		const at = this.settle(record[2]);
		switch (record[0]) {
			case 'r':
				return this.reserve(at, record[3], record[4], {
					messages: record[5],
					recipients: record[6],
				});
			case 'x':
				this.release(record[3]);
				return undefined;
			case 'p':
				this.pushback =
					record[3] === 'throttled'
						? afterThrottled(this.pushback, at)
						: record[3] === 'exhausted'
							? afterExhausted(this.pushback, at)
							: afterAccepted(this.pushback);
				return undefined;
		}
	}

	/** Live rows, as a generation's snapshot holds them. */
	snapshot(): LedgerSnapshot {
		return {
			rows: this.live().map((row): LedgerRow => [row.at, row.recipients, row.id]),
			pushback: this.pushback,
		};
	}

	get size(): number {
		return this.messages;
	}

	/** Ids of the messages counted in the last 24 hours as of the last record. */
	counted(): string[] {
		return this.live().map((row) => row.id);
	}

	private reserve(at: number, id: string, count: number, limits: DailyLimits): DailyDecision {
		const blocked = blockedBy(this.pushback, at);
		if (blocked?.reason === 'exhausted') {
			return { granted: false, reason: 'exhausted', until: blocked.until };
		}
		if (limits.messages <= 0 && limits.recipients <= 0) return { granted: true };
		const { messages: sent, recipients } = this;
		if (limits.messages > 0 && sent + 1 > limits.messages) {
			return { granted: false, reason: 'messages', sent, recipients, freeAt: this.freeAt(1) };
		}
		if (limits.recipients > 0 && recipients + count > limits.recipients) {
			const excess = recipients + count - limits.recipients;
			return {
				granted: false,
				reason: 'recipients',
				sent,
				recipients,
				freeAt: this.freeAt(excess, true),
			};
		}
		if (!this.byId.has(id)) this.add(at, count, id);
		return { granted: true };
	}

	private release(id: string): void {
		const row = this.byId.get(id);
		if (!row) return;
		row.released = true;
		this.byId.delete(id);
		this.messages--;
		this.recipients -= row.recipients;
	}

	private add(at: number, recipients: number, id: string): void {
		const row: Row = { at, recipients, id, released: false };
		this.rows.push(row);
		this.byId.set(id, row);
		this.messages++;
		this.recipients += recipients;
	}

	/** The time a record counts at; rows older than a day are dropped. */
	private settle(at: number): number {
		const newest = this.rows.length > this.head ? this.rows[this.rows.length - 1].at : at;
		let now = at;
		if (newest > at && newest - at <= REORDER_TOLERANCE_MS) now = newest;
		else if (newest > at) {
			for (
				let index = this.rows.length - 1;
				index >= this.head && this.rows[index].at > at;
				index--
			) {
				this.rows[index].at = at;
			}
		}
		const cutoff = now - DAY_MS;
		while (this.head < this.rows.length) {
			const row = this.rows[this.head];
			if (!row.released && row.at > cutoff) break;
			this.head++;
			if (!row.released) this.release(row.id);
		}
		if (this.head > 1024 && this.head * 2 > this.rows.length) {
			this.rows = this.rows.slice(this.head);
			this.head = 0;
		}
		return now;
	}

	/** When `excess` messages (or recipients) of the oldest will have aged out. */
	private freeAt(excess: number, byRecipients = false): number {
		let freed = 0;
		for (let index = this.head; index < this.rows.length; index++) {
			const row = this.rows[index];
			if (row.released) continue;
			freed += byRecipients ? row.recipients : 1;
			if (freed >= excess) return row.at + DAY_MS;
		}
		// A single message with more recipients than the whole limit never fits.
		return Number.POSITIVE_INFINITY;
	}

	private live(): Row[] {
		return this.rows.slice(this.head).filter((row) => !row.released);
	}
}

/** Checks one parsed journal line; `undefined` when it is not a record of the journal. */
export function asRecord(value: unknown): JournalRecord | undefined {
	if (!Array.isArray(value)) return undefined;
	const [kind, tag, at] = value;
	if (kind === 'seal') return value.length === 1 ? (value as JournalRecord) : undefined;
	if (typeof tag !== 'string' || !Number.isFinite(at)) return undefined;
	const count = (index: number) => Number.isInteger(value[index]) && value[index] >= 0;
	const valid =
		(kind === 'r' &&
			value.length === 7 &&
			typeof value[3] === 'string' &&
			count(4) &&
			count(5) &&
			count(6)) ||
		(kind === 'x' && value.length === 4 && typeof value[3] === 'string') ||
		(kind === 'p' &&
			value.length === 4 &&
			['throttled', 'exhausted', 'accepted'].includes(value[3]));
	return valid ? (value as JournalRecord) : undefined;
}
