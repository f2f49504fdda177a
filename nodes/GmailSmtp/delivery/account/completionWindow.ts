import type { AttemptDecision, RateWindow } from './limitStore';

/**
 * The rate window of one account inside one process. An attempt holds its slot while in flight
 * and for `windowMs` after it finished: the moment a message reaches the server lies between
 * the two, so no window at the server can hold more than `slots` messages, however long the
 * attempt waited for a connection or took to upload.
 */
export class CompletionWindow {
	/** Attempt id → when it finished (`Infinity` while in flight). */
	private readonly slots = new Map<string, number>();

	tryStart(attemptId: string, rate: RateWindow, now: number): AttemptDecision {
		let earliestEnd = Number.POSITIVE_INFINITY;
		for (const [id, finishedAt] of this.slots) {
			if (finishedAt + rate.windowMs <= now) this.slots.delete(id);
			else earliestEnd = Math.min(earliestEnd, finishedAt + rate.windowMs);
		}
		if (this.slots.size >= rate.slots) {
			const retryInMs = Number.isFinite(earliestEnd) ? earliestEnd - now : rate.windowMs;
			return { go: false, reason: 'rate', retryInMs: Math.max(1, retryInMs) };
		}
		this.slots.set(attemptId, Number.POSITIVE_INFINITY);
		return { go: true };
	}

	finish(attemptId: string, now: number): void {
		if (this.slots.has(attemptId)) this.slots.set(attemptId, now);
	}

	/** The attempt never started: its slot does not count. */
	cancel(attemptId: string): void {
		if (this.slots.get(attemptId) === Number.POSITIVE_INFINITY) this.slots.delete(attemptId);
	}
}
