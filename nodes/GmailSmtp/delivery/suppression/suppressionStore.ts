/**
 * Where one account's suppression lists are kept: the addresses that must not be mailed any more
 * (they unsubscribed, bounced, or were added by hand), per list name. Kept beside the account's
 * budget (see delivery/account/limitStore.ts): a file in n8n's user folder without queue mode,
 * Redis in queue mode, so that every workflow, worker and restart sees the same list.
 *
 * Addresses are compared case-insensitively: the store keeps and answers them lower-cased.
 */
export interface SuppressionStore {
	/** Says where the lists are kept, for error messages. */
	readonly location: string;

	/**
	 * Puts the addresses on the list. An address already there keeps its first record (repeating
	 * an unsubscribe changes nothing); the answer says, per entry, whether it was new. An entry
	 * with `seenAt` older than the address's last removal from the list is not added: a person
	 * re-subscribed after a bounce stays on unless a newer bounce says otherwise.
	 */
	add(account: string, list: string, entries: NewSuppression[]): Promise<boolean[]>;
	/**
	 * Takes the addresses off the list, remembering when (`at`, for {@link add}'s `seenAt`); the
	 * answer says, per address, whether it was there.
	 */
	remove(account: string, list: string, emails: string[], at?: Date): Promise<boolean[]>;
	/** The records of those of the addresses that are on the list, by lower-cased address. */
	find(account: string, list: string, emails: string[]): Promise<Map<string, Suppression>>;

	close(): Promise<void>;
}

export type SuppressionReason = 'unsubscribe' | 'bounce' | 'complaint' | 'manual';

export const SUPPRESSION_REASONS: readonly SuppressionReason[] = [
	'unsubscribe',
	'bounce',
	'complaint',
	'manual',
];

/** One address on a list, and why. */
export interface Suppression {
	email: string;
	reason: SuppressionReason;
	/** When it was put on the list (ISO 8601). */
	at: string;
	/** How an unsubscribe arrived: the mail program's one-click POST, or the link's page. */
	method?: 'one-click' | 'page';
	/** The message whose link or bounce put it there, when known. */
	messageId?: string;
}

/** An address to put on a list. */
export interface NewSuppression extends Suppression {
	/**
	 * When what warrants it happened, if it may be older than a removal: a bounce's report date
	 * (ISO 8601). Not kept in the record. Without it the entry is news now (an unsubscribe, an
	 * address added by hand) and is added whatever was removed before.
	 */
	seenAt?: string;
}

/** Whether evidence seen at `seenAt` predates a removal at `removedAt` (ms since the epoch). */
export function predatesRemoval(
	seenAt: string | undefined,
	removedAt: number | undefined,
): boolean {
	if (seenAt === undefined || removedAt === undefined) return false;
	const seen = Date.parse(seenAt);
	return !Number.isNaN(seen) && seen < removedAt;
}

/** How addresses are compared and kept. */
export function suppressionKey(email: string): string {
	return email.trim().toLowerCase();
}

/** Only what a record may hold, so that a stored entry never carries stray fields. */
export function suppressionRecord(entry: Suppression): Suppression {
	const record: Suppression = {
		email: suppressionKey(entry.email),
		reason: entry.reason,
		at: entry.at,
	};
	if (entry.method) record.method = entry.method;
	if (entry.messageId) record.messageId = entry.messageId;
	return record;
}

/** A stored record as read back; undefined for anything that is not one. */
export function parseSuppressionRecord(value: unknown): Suppression | undefined {
	const record = value as Partial<Suppression> | null;
	if (
		typeof record !== 'object' ||
		record === null ||
		typeof record.email !== 'string' ||
		typeof record.at !== 'string' ||
		!SUPPRESSION_REASONS.includes(record.reason as SuppressionReason)
	) {
		return undefined;
	}
	return suppressionRecord(record as Suppression);
}
