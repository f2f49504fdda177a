import { DAY_MS, MINUTE_MS } from '../../durations';

/**
 * Gmail pushing back, as the account's shared state: a run of `421` / `454` replies puts the
 * account into a cool-down that grows with each further one (capped), and `550 5.4.5` pauses it
 * for Gmail's whole rolling day. The embedded store uses these functions; the Redis store runs
 * the same arithmetic in Lua with these constants (see redisScripts.ts).
 */
export const PUSHBACK_POLICY = {
	/** The first cool-down; each further push-back in a streak doubles it. */
	coolDownBaseMs: 5_000,
	coolDownMaxMs: 15 * MINUTE_MS,
	/** A streak is forgotten once this long has passed without push-back. */
	streakResetMs: 30 * MINUTE_MS,
	/**
	 * The most push-backs a streak counts: the cool-down reached its longest long before, and the
	 * doubling's exponent stays small.
	 */
	maxLevel: 20,
	/** Gmail's sending limit is counted over a rolling 24 hours. */
	exhaustedMs: DAY_MS,
} as const;

export interface PushbackState {
	/** Push-backs in the current streak. */
	level: number;
	lastAt: number;
	coolDownUntil: number;
	exhaustedUntil: number;
}

export const NO_PUSHBACK: PushbackState = {
	level: 0,
	lastAt: 0,
	coolDownUntil: 0,
	exhaustedUntil: 0,
};

export function coolDownMs(level: number): number {
	const { coolDownBaseMs, coolDownMaxMs, maxLevel } = PUSHBACK_POLICY;
	return Math.min(coolDownMaxMs, coolDownBaseMs * 2 ** Math.max(0, Math.min(level, maxLevel) - 1));
}

/** Gmail answered 421 / 454: the account cools down for longer each time in a streak. */
export function afterThrottled(state: PushbackState, now: number): PushbackState {
	const streak = now - state.lastAt > PUSHBACK_POLICY.streakResetMs ? 0 : state.level;
	const level = Math.min(streak + 1, PUSHBACK_POLICY.maxLevel);
	return {
		...state,
		level,
		lastAt: now,
		coolDownUntil: Math.max(state.coolDownUntil, now + coolDownMs(level)),
	};
}

/** Gmail answered 550 5.4.5: nothing more until its rolling day can have passed. */
export function afterExhausted(state: PushbackState, now: number): PushbackState {
	return {
		...state,
		exhaustedUntil: Math.max(state.exhaustedUntil, now + PUSHBACK_POLICY.exhaustedMs),
	};
}

/** A message went through: the streak is over (a cool-down already running still ends as set). */
export function afterAccepted(state: PushbackState): PushbackState {
	return state.level === 0 ? state : { ...state, level: 0 };
}

export type Blocked = { reason: 'coolDown' | 'exhausted'; until: number };

/**
 * Whether a pause is running. A pause never runs longer from `now` than it could have been set for
 * (a day, or the longest cool-down), however far ahead it was written before the clock stepped back.
 */
export function blockedBy(state: PushbackState, now: number): Blocked | undefined {
	const exhaustedUntil = Math.min(state.exhaustedUntil, now + PUSHBACK_POLICY.exhaustedMs);
	if (exhaustedUntil > now) return { reason: 'exhausted', until: exhaustedUntil };
	const coolDownUntil = Math.min(state.coolDownUntil, now + PUSHBACK_POLICY.coolDownMaxMs);
	if (coolDownUntil > now) return { reason: 'coolDown', until: coolDownUntil };
	return undefined;
}
