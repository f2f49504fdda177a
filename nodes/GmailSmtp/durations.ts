// Lengths of time in milliseconds, written once. This module imports nothing, so every layer may
// read it.

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
/** Gmail counts its sending limits over a rolling 24 hours: a day here is always 24 hours. */
export const DAY_MS = 24 * HOUR_MS;
