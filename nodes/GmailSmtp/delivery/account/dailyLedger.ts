import type { DailyDecision, DailyLimits, LedgerEntry } from './limitStore';

export const DAY_MS = 24 * 60 * 60 * 1000;

/** A message counted in the rolling day: when, how many recipients, and its id. */
export type LedgerRow = [at: number, recipients: number, id: string];

/**
 * Decides whether one more message fits the rolling 24 hours and records it if so. `rows` are in
 * time order and are pruned in place, so the ledger never holds more than one day.
 */
export function reserveInLedger(
	rows: LedgerRow[],
	entry: LedgerEntry,
	limits: DailyLimits,
	now: number,
): DailyDecision {
	pruneLedger(rows, now);
	if (limits.messages <= 0 && limits.recipients <= 0) return { granted: true };
	const sent = rows.length;
	const recipients = rows.reduce((sum, row) => sum + row[1], 0);
	if (limits.messages > 0 && sent + 1 > limits.messages) {
		return { granted: false, reason: 'messages', sent, recipients, freeAt: rows[0][0] + DAY_MS };
	}
	if (limits.recipients > 0 && recipients + entry.recipients > limits.recipients) {
		return {
			granted: false,
			reason: 'recipients',
			sent,
			recipients,
			freeAt: recipientsFreeAt(rows, recipients + entry.recipients - limits.recipients),
		};
	}
	rows.push([now, entry.recipients, entry.id]);
	return { granted: true };
}

export function releaseFromLedger(rows: LedgerRow[], entry: LedgerEntry): boolean {
	for (let index = rows.length - 1; index >= 0; index--) {
		if (rows[index][2] === entry.id) {
			rows.splice(index, 1);
			return true;
		}
	}
	return false;
}

export function pruneLedger(rows: LedgerRow[], now: number): void {
	const cutoff = now - DAY_MS;
	let stale = 0;
	while (stale < rows.length && rows[stale][0] <= cutoff) stale++;
	if (stale > 0) rows.splice(0, stale);
}

/** When enough of the oldest recipients have aged out to free `excess` of them. */
function recipientsFreeAt(rows: LedgerRow[], excess: number): number {
	let freed = 0;
	for (const [at, recipients] of rows) {
		freed += recipients;
		if (freed >= excess) return at + DAY_MS;
	}
	// A single message with more recipients than the whole limit never fits.
	return Number.POSITIVE_INFINITY;
}
