export interface Clock {
	now(): number;
	sleep(ms: number): Promise<unknown>;
}

/**
 * Admits at most `slots` events in any window of `windowMs`, in arrival order. Callers queue on one
 * promise chain, so the bound is exact however many executions share the limiter.
 */
export class SlidingWindowLimiter {
	private readonly admitted: number[] = [];

	private tail: Promise<void> = Promise.resolve();

	constructor(
		private readonly slots: number,
		private readonly windowMs: number,
		private readonly clock: Clock,
	) {}

	/** Resolves, with the admission time, when the caller may go ahead. */
	async acquire(): Promise<number> {
		const turn = this.tail.then(async () => {
			while (this.admitted.length >= this.slots) {
				const wait = this.admitted[0] + this.windowMs - this.clock.now();
				if (wait <= 0) this.admitted.shift();
				else await this.clock.sleep(wait);
			}
			const admittedAt = this.clock.now();
			this.admitted.push(admittedAt);
			return admittedAt;
		});
		this.tail = turn.then(() => undefined);
		return await turn;
	}
}

/** A cap of `perSecond` messages, also fractional (0.5 = one every two seconds). */
export function rateLimiterFor(perSecond: number, clock: Clock): SlidingWindowLimiter {
	const slots = Math.max(1, Math.floor(perSecond));
	return new SlidingWindowLimiter(slots, (slots * 1000) / perSecond, clock);
}
