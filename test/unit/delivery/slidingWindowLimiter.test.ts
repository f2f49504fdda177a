import {
	rateLimiterFor,
	SlidingWindowLimiter,
} from '../../../nodes/GmailSmtp/delivery/slidingWindowLimiter';

/** A clock that only moves when someone sleeps on it. */
function fakeClock() {
	let now = 0;
	return {
		now: () => now,
		sleep: async (ms: number) => {
			now += ms;
		},
	};
}

function maxInAnyWindow(stamps: number[], windowMs: number): number {
	return Math.max(
		...stamps.map((start) => stamps.filter((t) => t >= start && t < start + windowMs).length),
	);
}

describe('SlidingWindowLimiter', () => {
	it('never admits more than the cap in any window, across concurrent callers', async () => {
		const clock = fakeClock();
		const limiter = new SlidingWindowLimiter(5, 1000, clock);
		const admitted: number[] = [];
		// Three "executions" sharing one account's limiter.
		await Promise.all(
			[0, 1, 2].map(async () => {
				for (let i = 0; i < 10; i++) {
					admitted.push(await limiter.acquire());
				}
			}),
		);

		expect(admitted).toHaveLength(30);
		expect(maxInAnyWindow(admitted, 1000)).toBe(5);
		expect(Math.max(...admitted)).toBe(5000);
	});

	it.each([
		[2, 2, 1000],
		[0.5, 1, 2000],
		[2.5, 2, 800],
	])('%d per second allows %d per %d ms', async (perSecond, slots, windowMs) => {
		const clock = fakeClock();
		const limiter = rateLimiterFor(perSecond, clock);
		const admitted: number[] = [];
		for (let i = 0; i < 6; i++) {
			admitted.push(await limiter.acquire());
		}
		expect(maxInAnyWindow(admitted, windowMs)).toBe(slots);
		expect(admitted[slots]).toBe(windowMs);
	});
});
