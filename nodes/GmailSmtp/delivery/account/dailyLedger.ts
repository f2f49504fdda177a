/** Gmail counts sending limits over a rolling 24 hours. */
export const DAY_MS = 24 * 60 * 60 * 1000;

/** A message counted in the rolling day: when, how many recipients, and its id. */
export type LedgerRow = [at: number, recipients: number, id: string];
