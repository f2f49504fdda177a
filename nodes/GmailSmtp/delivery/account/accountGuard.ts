import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { GmailSmtpError, type Failure } from '../../errors/GmailSmtpError';
import { CompletionWindow } from './completionWindow';
import { ConnectionPermits } from './connectionPermits';
import {
	countedDaily,
	rateWindowFor,
	type AttemptOutcome,
	type DailyDecision,
	type DailyLimits,
	type LedgerEntry,
	type LimitStore,
	type RateWindow,
} from './limitStore';

/** One Gmail account's budget, as the credential sets it. 0 turns a daily counter or the cap off. */
export interface AccountLimits {
	dailyMessages: number;
	dailyRecipients: number;
	maxConnections: number;
	perSecond: number;
}

/** One attempt allowed to reach the server; `finish` reports how it went. */
export interface AttemptTicket {
	/** Time spent waiting out Gmail's push-back before this attempt. */
	waitedMs: number;
	finish(outcome: AttemptOutcome): Promise<void>;
}

export interface AttemptGate {
	/** Waits for a connection, the rate window and any cool-down shorter than `maxWaitMs`. */
	begin(maxWaitMs: number): Promise<AttemptTicket>;
}

/** The attempts of one node's run; each message passes through a gate of its own. */
export interface AccountAttempts {
	/**
	 * The gate of one message. Its first attempt also counts the message in the account's rolling
	 * 24 hours, in the same store call, or fails with the quota failure that stops it.
	 */
	forMessage(entry: LedgerEntry): MessageGate;
}

export interface MessageGate extends AttemptGate {
	/** Takes the message back out of the daily count when the server did not take it. */
	releaseDaily(): Promise<void>;
}

/** One message's place in the daily ledger: counted by its first attempt, released at most once. */
interface DailyCount {
	entry: LedgerEntry;
	counted: boolean;
	released: boolean;
}

const RATE_POLL_MS = 250;

/**
 * The one place that asks "may this account send now?": the daily ledger before a message,
 * connection, push-back and rate before every attempt. What it answers holds for every node,
 * execution and n8n process that sends as the account, because the store is shared.
 */
export class AccountGuard {
	private attemptCounter = 0;
	private readonly tag = randomBytes(4).toString('hex');

	/** The account's budget as kept under an older version's key, taken over before first use. */
	private adopted?: Promise<void>;

	constructor(
		readonly store: LimitStore,
		readonly account: string,
		public limits: AccountLimits,
		private readonly legacyAccount = account,
	) {}

	private async ready(): Promise<void> {
		if (this.legacyAccount === this.account && !this.store.keysChanged) return;
		this.adopted ??= this.store.adopt(this.account, this.legacyAccount).catch((error) => {
			this.adopted = undefined;
			throw error;
		});
		await this.adopted;
	}

	/**
	 * Reads the account's state without counting anything: throws when the store cannot be used or
	 * the account is paused (the credential's Test button), otherwise says where it is kept.
	 */
	async check(): Promise<string> {
		await this.ready();
		const decision = await this.store.reserveDaily(
			this.account,
			{ id: 'check', recipients: 0 },
			{ messages: 0, recipients: 0 },
		);
		if (!decision.granted)
			throw new GmailSmtpError(this.dailyFailure(decision, { id: 'check', recipients: 0 }));
		return this.store.location;
	}

	/** A new pool's share of the account's connection slots (its connection gate). */
	connectionPermits(): ConnectionPermits {
		return new ConnectionPermits(this.store, this.account, () => this.limits.maxConnections);
	}

	/**
	 * Attempts of one node run through the pool `permits` belong to; `perSecond` below the
	 * account's cap slows only that run.
	 */
	attemptGate(permits: ConnectionPermits, perSecond = 0): AccountAttempts {
		const ownRate = perSecond > 0 ? rateWindowFor(perSecond) : undefined;
		const own = ownRate && { rate: ownRate, window: new CompletionWindow() };
		return {
			forMessage: (entry) => {
				const daily: DailyCount = { entry, counted: false, released: false };
				return {
					begin: (maxWaitMs) => this.begin(permits, maxWaitMs, daily, own),
					releaseDaily: async () => {
						if (!daily.counted || daily.released) return;
						daily.released = true;
						await this.store.releaseDaily(this.account, entry);
					},
				};
			},
		};
	}

	private async begin(
		permits: ConnectionPermits,
		maxWaitMs: number,
		daily: DailyCount,
		own?: { rate: RateWindow; window: CompletionWindow },
	): Promise<AttemptTicket> {
		await this.ready();
		const attemptId = `${this.tag}:${++this.attemptCounter}`;
		const accountRate = rateWindowFor(this.limits.perSecond);
		let waitedMs = 0;
		for (;;) {
			const endPermit = await permits.acquire();
			try {
				if (own) await this.ownSlot(own, attemptId);
				for (;;) {
					const request = daily.counted
						? undefined
						: { entry: daily.entry, limits: this.dailyLimits() };
					const decision = await this.store.startAttempt(
						this.account,
						attemptId,
						accountRate,
						request,
						permits.held(),
					);
					if (request && countedDaily(decision)) daily.counted = true;
					if (decision.go) {
						return {
							waitedMs,
							finish: async (outcome) => {
								own?.window.finish(attemptId, Date.now());
								endPermit();
								await this.store.finishAttempt(this.account, attemptId, outcome);
							},
						};
					}
					if (decision.reason === 'rate') {
						await sleep(Math.min(decision.retryInMs, RATE_POLL_MS));
						continue;
					}
					own?.window.cancel(attemptId);
					if (decision.reason === 'connectionLost') {
						// Paused past the connections' lease: they are closed before any is used again.
						endPermit();
						await permits.fence(decision.lost);
						break;
					}
					if (decision.reason === 'daily') {
						throw new GmailSmtpError(this.dailyFailure(decision.refusal, daily.entry));
					}
					if (decision.reason === 'exhausted') {
						throw new GmailSmtpError(this.exhaustedFailure(decision.until));
					}
					const pause = decision.until - Date.now();
					if (pause > maxWaitMs - waitedMs) {
						throw new GmailSmtpError(this.coolDownFailure(decision.until));
					}
					endPermit();
					await sleep(pause);
					waitedMs += pause;
					break;
				}
			} catch (error) {
				own?.window.cancel(attemptId);
				endPermit();
				throw error;
			}
		}
	}

	private dailyLimits(): DailyLimits {
		return { messages: this.limits.dailyMessages, recipients: this.limits.dailyRecipients };
	}

	private async ownSlot(own: { rate: RateWindow; window: CompletionWindow }, attemptId: string) {
		for (;;) {
			const decision = own.window.tryStart(attemptId, own.rate, Date.now());
			if (decision.go) return;
			await sleep(Math.min(decision.reason === 'rate' ? decision.retryInMs : 0, RATE_POLL_MS));
		}
	}

	private dailyFailure(
		decision: Exclude<DailyDecision, { granted: true }>,
		entry: LedgerEntry,
	): Failure {
		if (decision.reason === 'exhausted') return this.exhaustedFailure(decision.until);
		const next = Number.isFinite(decision.freeAt)
			? `The next one can go at ${new Date(decision.freeAt).toISOString()}.`
			: 'This message alone has more recipients than the limit: split its recipients.';
		const plan =
			'Raise the limit only if your Google plan allows more (Workspace: 2,000 messages and 10,000 recipients a day; free Gmail: about 500).';
		if (decision.reason === 'messages') {
			return {
				kind: 'quota',
				retryable: false,
				stopsAccount: true,
				title: 'Daily limit of this account reached',
				description: `${this.account} sent ${decision.sent} messages in the last 24 hours, the credential's Daily Limit (${this.limits.dailyMessages}), counted across every workflow and n8n process. ${next} Items not sent can be re-run then. ${plan}`,
			};
		}
		return {
			kind: 'quota',
			retryable: false,
			stopsAccount: entry.recipients <= this.limits.dailyRecipients,
			title: 'Daily recipient limit of this account reached',
			description: `${this.account} sent to ${decision.recipients} recipients (every To, Cc and Bcc address) in the last 24 hours; this message's ${entry.recipients} more would pass the credential's Daily Recipient Limit (${this.limits.dailyRecipients}). ${next} ${plan}`,
		};
	}

	private exhaustedFailure(until: number): Failure {
		return {
			kind: 'quota',
			retryable: false,
			stopsAccount: true,
			title: 'Gmail daily sending limit reached',
			description: `Gmail refused a message of ${this.account} with "550 5.4.5 Daily user sending limit exceeded", so every workflow and n8n process pauses this account until ${new Date(until).toISOString()} (Gmail counts a rolling 24 hours). Nothing was sent for this item; re-run it then. The pause is kept in ${this.store.location}.`,
		};
	}

	private coolDownFailure(until: number): Failure {
		return {
			kind: 'throttled',
			retryable: true,
			stopsAccount: true,
			title: 'Gmail is throttling this account',
			description: `Gmail answered "try again later" (421 or 454) to ${this.account}, so every workflow and n8n process pauses this account until ${new Date(until).toISOString()}; each further refusal makes the pause longer. This item was not sent: re-run it later, and lower Max Messages per Second or Max Connections on the credential.`,
		};
	}
}
