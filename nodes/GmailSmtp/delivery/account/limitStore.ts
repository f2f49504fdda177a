/**
 * Where one Gmail account's budget is kept: the rolling 24-hour ledger, the connection slots, the
 * rate window and Gmail's push-back. Every n8n process that sends as the account must see the same
 * store for the budget to hold: an embedded file for one n8n on one host, Redis for queue mode.
 */
export interface LimitStore {
	/** Says where the budget is kept, for error messages ("the ledger file …", "Redis at …"). */
	readonly location: string;

	/** Records a message in the account's rolling 24-hour ledger, or says why it may not go. */
	reserveDaily(account: string, entry: LedgerEntry, limits: DailyLimits): Promise<DailyDecision>;
	/** Takes a message the server did not accept back out of the ledger. */
	releaseDaily(account: string, entry: LedgerEntry): Promise<void>;

	/**
	 * Lets one attempt start unless Gmail's push-back or the rate window says wait. With `daily`
	 * (a message's first attempt), the message is first counted in the ledger as `reserveDaily`
	 * would, in the same step: it is counted whenever the answer is `go`, `rate` or `coolDown`. With a rate
	 * window the attempt holds a slot while in flight; it counts until `windowMs` after it finished,
	 * so that no window at the server holds more than `slots`, however long the attempt took.
	 * With `connections`, the caller's connection slots are checked first (fencing): each is renewed
	 * (or taken again if it expired and one is free); if another process took one, the answer is
	 * `connectionLost` and nothing else is counted or started.
	 */
	startAttempt(
		account: string,
		attemptId: string,
		rate: RateWindow | undefined,
		daily?: DailyRequest,
		connections?: HeldConnections,
	): Promise<AttemptDecision>;
	/** The attempt ended; Gmail's push-back (if any) is recorded for every process. */
	finishAttempt(account: string, attemptId: string, outcome: AttemptOutcome): Promise<void>;

	/** One of the account's connection slots, held until released or its holder stops renewing. */
	acquireConnection(
		account: string,
		holderId: string,
		maxConnections: number,
	): Promise<SlotDecision>;
	releaseConnection(account: string, holderId: string): Promise<void>;

	/** Whether this version keeps budgets under other keys than earlier ones (see `adopt`). */
	readonly keysChanged: boolean;
	/**
	 * Takes over the budget an earlier version kept for the account under `legacyAccount` (or under
	 * its earlier key layout), unless the account's own budget exists already: an upgrade keeps the
	 * day's count.
	 */
	adopt(account: string, legacyAccount: string): Promise<void>;

	close(): Promise<void>;

	/**
	 * What the user should know about where the budget is kept (e.g. a Redis that keeps nothing on
	 * disk), worked out on first use; `undefined` when there is nothing to say.
	 */
	notice?(): Promise<string | undefined>;
}

export interface LedgerEntry {
	/** Unique per message (its Message-ID). */
	id: string;
	/** Every To, Cc and Bcc address of the message. */
	recipients: number;
}

/** 0 means "not guarded". */
export interface DailyLimits {
	messages: number;
	recipients: number;
}

/** The connection slots a pool holds, to be confirmed before one of its connections is used. */
export interface HeldConnections {
	holders: string[];
	max: number;
}

/** A message to count in the ledger, and the limits it must stay within. */
export interface DailyRequest {
	entry: LedgerEntry;
	limits: DailyLimits;
}

/** The ledger has no room for the message (in messages or in recipients). */
export interface DailyRefusal {
	granted: false;
	reason: 'messages' | 'recipients';
	sent: number;
	recipients: number;
	freeAt: number;
}

export type DailyDecision =
	{ granted: true } | DailyRefusal | { granted: false; reason: 'exhausted'; until: number };

/** At most `slots` attempts in any `windowMs` at the server. */
export interface RateWindow {
	slots: number;
	windowMs: number;
}

export type AttemptDecision =
	| { go: true }
	| { go: false; reason: 'rate'; retryInMs: number }
	| { go: false; reason: 'coolDown' | 'exhausted'; until: number }
	| { go: false; reason: 'daily'; refusal: DailyRefusal }
	| { go: false; reason: 'connectionLost'; lost: string[] };

/** Whether a `startAttempt` with a daily request counted the message. */
export function countedDaily(decision: AttemptDecision): boolean {
	return decision.go || decision.reason === 'rate' || decision.reason === 'coolDown';
}

/** `throttled`: Gmail said 421 / 454; `exhausted`: Gmail said 550 5.4.5. */
export type AttemptOutcome = 'accepted' | 'failed' | 'throttled' | 'exhausted';

export type SlotDecision = { granted: true } | { granted: false; retryInMs: number };

/** `undefined` means "no cap". */
export function rateWindowFor(perSecond: number): RateWindow | undefined {
	if (!(perSecond > 0)) return undefined;
	const slots = Math.max(1, Math.floor(perSecond));
	return { slots, windowMs: Math.round((slots * 1000) / perSecond) };
}
