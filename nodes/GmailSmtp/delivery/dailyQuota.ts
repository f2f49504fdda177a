import { GmailSmtpError } from '../errors/GmailSmtpError';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Counts the messages an account sent in the last 24 hours in this process, so that the
 * credential's Daily Limit stops sending before Gmail does (Gmail's own refusal can lock sending
 * for a day). A reservation is taken before sending and returned when the server refused the
 * message, so concurrent sends cannot overshoot.
 */
export class DailyQuota {
	private readonly sentAt: number[] = [];

	constructor(private readonly now: () => number = Date.now) {}

	/** Takes one message of `limit` per rolling 24 hours (0 = unlimited), or explains why not. */
	reserve(limit: number): number {
		if (limit <= 0) return this.now();
		const cutoff = this.now() - DAY_MS;
		while (this.sentAt.length > 0 && this.sentAt[0] <= cutoff) this.sentAt.shift();
		if (this.sentAt.length >= limit) {
			const freeAt = new Date(this.sentAt[0] + DAY_MS).toISOString();
			throw new GmailSmtpError({
				kind: 'quota',
				retryable: false,
				stopsAccount: true,
				title: 'Daily limit of this credential reached',
				description: `This account already sent ${this.sentAt.length} messages in the last 24 hours, the credential's Daily Limit (${limit}). The next one can go at ${freeAt}. Items not sent can be re-run then; raise Daily Limit only if your Google plan allows more (Gmail 500, Workspace 2,000).`,
			});
		}
		const stamp = this.now();
		this.sentAt.push(stamp);
		return stamp;
	}

	/** Gives back a reservation for a message the server did not take. */
	cancel(stamp: number): void {
		const index = this.sentAt.lastIndexOf(stamp);
		if (index >= 0) this.sentAt.splice(index, 1);
	}
}
