import {
	afterAccepted,
	afterExhausted,
	afterThrottled,
	blockedBy,
	coolDownMs,
	NO_PUSHBACK,
	PUSHBACK_POLICY,
} from '../../../../nodes/GmailSmtp/delivery/account/pushback';

const { coolDownBaseMs, coolDownMaxMs, streakResetMs, exhaustedMs } = PUSHBACK_POLICY;

describe('Gmail push-back', () => {
	it('each refusal in a streak doubles the cool-down, up to the cap', () => {
		expect([1, 2, 3, 4].map(coolDownMs)).toEqual([
			coolDownBaseMs,
			2 * coolDownBaseMs,
			4 * coolDownBaseMs,
			8 * coolDownBaseMs,
		]);
		expect(coolDownMs(50)).toBe(coolDownMaxMs);
	});

	it('a streak grows with each 421 / 454 and cools the account down from the last one', () => {
		let state = afterThrottled(NO_PUSHBACK, 1_000);
		expect(state).toMatchObject({ level: 1, coolDownUntil: 1_000 + coolDownBaseMs });
		state = afterThrottled(state, 2_000);
		expect(state).toMatchObject({ level: 2, coolDownUntil: 2_000 + 2 * coolDownBaseMs });
		expect(blockedBy(state, 2_001)).toEqual({ reason: 'coolDown', until: state.coolDownUntil });
		expect(blockedBy(state, state.coolDownUntil)).toBeUndefined();
	});

	it('a later, shorter cool-down never cuts a running one short', () => {
		const long = { ...NO_PUSHBACK, level: 0, lastAt: 0, coolDownUntil: 1_000_000 };
		expect(afterThrottled(long, 10).coolDownUntil).toBe(1_000_000);
	});

	it('an accepted message ends the streak; a quiet spell forgets it', () => {
		const streak = afterThrottled(afterThrottled(NO_PUSHBACK, 0), 1);
		expect(afterThrottled(afterAccepted(streak), 2).level).toBe(1);
		expect(afterThrottled(streak, 1 + streakResetMs + 1).level).toBe(1);
		expect(afterAccepted(NO_PUSHBACK)).toBe(NO_PUSHBACK);
	});

	it("550 5.4.5 pauses the account for Gmail's rolling day, before any cool-down", () => {
		const state = afterExhausted(afterThrottled(NO_PUSHBACK, 0), 5);
		expect(blockedBy(state, 10)).toEqual({ reason: 'exhausted', until: 5 + exhaustedMs });
	});

	it('a pause written far ahead (clock stepped back) never runs longer than it could have been set for', () => {
		const now = 1_000_000;
		const farAhead = now + 10 * exhaustedMs;
		expect(blockedBy({ ...NO_PUSHBACK, exhaustedUntil: farAhead }, now)).toEqual({
			reason: 'exhausted',
			until: now + exhaustedMs,
		});
		expect(blockedBy({ ...NO_PUSHBACK, coolDownUntil: farAhead }, now)).toEqual({
			reason: 'coolDown',
			until: now + coolDownMaxMs,
		});
	});
});
