import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';

import { CompletionWindow } from './completionWindow';
import { LedgerJournal } from './ledgerJournal';
import type {
	AttemptDecision,
	AttemptOutcome,
	DailyDecision,
	DailyLimits,
	DailyRequest,
	HeldConnections,
	LedgerEntry,
	LimitStore,
	RateWindow,
	SlotDecision,
} from './limitStore';
import { blockedBy, type PushbackState } from './pushback';

/**
 * The store for n8n without queue mode: the daily ledger and Gmail's push-back in a journal per
 * account in n8n's user folder (kept across restarts, shared by n8n processes on this host, see
 * ledgerJournal.ts), connection slots and the rate window in this process (the only one that
 * sends).
 */
export class EmbeddedLimitStore implements LimitStore {
	private readonly journals = new Map<string, LedgerJournal>();
	private readonly windows = new Map<string, CompletionWindow>();
	private readonly connections = new Map<string, Set<string>>();
	/** Attempts that began with no push-back streak running: their success has none to end. */
	private readonly outsideStreak = new Set<string>();

	constructor(
		readonly folder: string,
		private readonly now: () => number = Date.now,
	) {}

	get location(): string {
		return `the ledger files in ${this.folder}`;
	}

	async reserveDaily(
		account: string,
		entry: LedgerEntry,
		limits: DailyLimits,
	): Promise<DailyDecision> {
		return (await this.countDaily(account, entry, limits)).decision;
	}

	async releaseDaily(account: string, entry: LedgerEntry): Promise<void> {
		await this.journal(account).release(entry, this.now());
	}

	async startAttempt(
		account: string,
		attemptId: string,
		rate: RateWindow | undefined,
		daily?: DailyRequest,
		connections?: HeldConnections,
	): Promise<AttemptDecision> {
		// Slots kept in this process cannot be taken while it is paused; checked all the same.
		const lost = connections ? this.confirmConnections(account, connections) : [];
		if (lost.length > 0) return { go: false, reason: 'connectionLost', lost };
		let pushback: PushbackState;
		if (daily) {
			// The journal is read once: to count the message, and for Gmail's push-back.
			const counted = await this.countDaily(account, daily.entry, daily.limits);
			if (!counted.decision.granted) {
				const refused = counted.decision;
				return refused.reason === 'exhausted'
					? { go: false, reason: 'exhausted', until: refused.until }
					: { go: false, reason: 'daily', refusal: refused };
			}
			pushback = counted.pushback;
		} else {
			pushback = (await this.journal(account).current()).pushback;
		}
		const blocked = blockedBy(pushback, this.now());
		if (blocked) return { go: false, ...blocked };
		if (pushback.level === 0) this.outsideStreak.add(attemptId);
		if (!rate) return { go: true };
		return this.window(account).tryStart(attemptId, rate, this.now());
	}

	async finishAttempt(account: string, attemptId: string, outcome: AttemptOutcome): Promise<void> {
		this.windows.get(account)?.finish(attemptId, this.now());
		const startedOutsideStreak = this.outsideStreak.delete(attemptId);
		if (outcome === 'failed') return;
		// The usual case, a message accepted outside any streak, changes nothing on disk.
		if (outcome === 'accepted' && startedOutsideStreak) return;
		const journal = this.journal(account);
		if (outcome === 'accepted' && (await journal.current()).pushback.level === 0) return;
		await journal.record(outcome, this.now());
	}

	/** Counts the message unless the ledger has no room or the account is paused for the day. */
	private async countDaily(
		account: string,
		entry: LedgerEntry,
		limits: DailyLimits,
	): Promise<{ decision: DailyDecision; pushback: PushbackState }> {
		const exhausted = (pushback: PushbackState, now: number): DailyDecision | undefined => {
			const blocked = blockedBy(pushback, now);
			return blocked?.reason === 'exhausted'
				? { granted: false, reason: 'exhausted', until: blocked.until }
				: undefined;
		};
		const journal = this.journal(account);
		if (limits.messages <= 0 && limits.recipients <= 0) {
			// Nothing is counted, so nothing is written: only a day's pause can refuse the message.
			const { pushback } = await journal.current();
			return { decision: exhausted(pushback, this.now()) ?? { granted: true }, pushback };
		}
		const decision = await journal.reserve(entry, limits, this.now());
		return { decision, pushback: (journal.lastRead ?? (await journal.current())).pushback };
	}

	async acquireConnection(
		account: string,
		holderId: string,
		maxConnections: number,
	): Promise<SlotDecision> {
		let holders = this.connections.get(account);
		if (!holders) this.connections.set(account, (holders = new Set()));
		if (holders.has(holderId) || holders.size < maxConnections) {
			holders.add(holderId);
			return { granted: true };
		}
		return { granted: false, retryInMs: 50 };
	}

	private confirmConnections(account: string, { holders, max }: HeldConnections): string[] {
		const lost: string[] = [];
		for (const holderId of holders) {
			const held = this.connections.get(account);
			if (held?.has(holderId)) continue;
			if (held && held.size >= max) lost.push(holderId);
			else this.connections.set(account, (held ?? new Set()).add(holderId));
		}
		return lost;
	}

	async releaseConnection(account: string, holderId: string): Promise<void> {
		this.connections.get(account)?.delete(holderId);
	}

	async close(): Promise<void> {
		await Promise.all([...this.journals.values()].map((journal) => journal.close()));
		this.journals.clear();
	}

	readonly keysChanged = false;

	async adopt(account: string, legacyAccount: string): Promise<void> {
		if (account === legacyAccount) return;
		// A link fails where the account's own ledger exists: an older ledger never replaces it.
		await fs
			.link(this.ledgerPath(legacyAccount), this.ledgerPath(account))
			.then(() => fs.unlink(this.ledgerPath(legacyAccount)))
			.catch(() => undefined);
	}

	/** The JSON ledger of earlier versions: named by a hash, so an address never becomes a file name. */
	ledgerPath(account: string): string {
		return join(this.folder, `ledger-${digestOf(account)}.json`);
	}

	/** Ids of the messages counted for the account in the last 24 hours. */
	async counted(account: string): Promise<string[]> {
		return (await this.journal(account).current()).counted();
	}

	private journal(account: string): LedgerJournal {
		let journal = this.journals.get(account);
		if (!journal) {
			const base = join(this.folder, `ledger-${digestOf(account)}`);
			journal = new LedgerJournal(base, account, this.ledgerPath(account));
			this.journals.set(account, journal);
		}
		return journal;
	}

	private window(account: string): CompletionWindow {
		let window = this.windows.get(account);
		if (!window) this.windows.set(account, (window = new CompletionWindow()));
		return window;
	}
}

function digestOf(account: string): string {
	return createHash('sha256').update(account).digest('hex').slice(0, 20);
}
