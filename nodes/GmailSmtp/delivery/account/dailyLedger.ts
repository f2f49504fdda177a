import type { DailyDecision, DailyLimits, LedgerEntry } from './limitStore';

export const DAY_MS = 24 * 60 * 60 * 1000;

/** A message counted in the rolling day: when, how many recipients, and its id. */
export type LedgerRow = [at: number, recipients: number, id: string];

/**
 * Decides whether one more message fits the rolling 24 hours and records it if so. `rows` are
 * pruned in place, so the ledger never holds more than one day. A row dated after `now` (written
 * before the clock was stepped back) counts as written now: it frees its place within 24 hours
 * rather than when the clock reaches its date.
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
		const oldest = rows.reduce((earliest, row) => Math.min(earliest, row[0]), now);
		return { granted: false, reason: 'messages', sent, recipients, freeAt: oldest + DAY_MS };
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

/** Drops every row older than a day, wherever it is; rows dated after `now` become `now`. */
export function pruneLedger(rows: LedgerRow[], now: number): void {
	const cutoff = now - DAY_MS;
	let kept = 0;
	for (const row of rows) {
		if (row[0] <= cutoff) continue;
		if (row[0] > now) row[0] = now;
		rows[kept++] = row;
	}
	rows.length = kept;
}

/** When enough of the oldest recipients have aged out to free `excess` of them. */
function recipientsFreeAt(rows: LedgerRow[], excess: number): number {
	let freed = 0;
	for (const [at, recipients] of [...rows].sort((a, b) => a[0] - b[0])) {
		freed += recipients;
		if (freed >= excess) return at + DAY_MS;
	}
	// A single message with more recipients than the whole limit never fits.
	return Number.POSITIVE_INFINITY;
}
