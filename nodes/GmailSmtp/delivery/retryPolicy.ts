import type { Failure } from '../errors/GmailSmtpError';

export interface RetrySettings {
	/** Attempts per message, the first one included. */
	maxAttempts: number;
	initialDelayMs: number;
	maxDelayMs: number;
	/** Waiting stops once this much time has gone into retrying one message. */
	maxTotalDelayMs: number;
}

export const RETRY_DEFAULTS: RetrySettings = {
	maxAttempts: 3,
	initialDelayMs: 1_000,
	maxDelayMs: 30_000,
	maxTotalDelayMs: 60_000,
};

/** Replies in which the server says it did not take the message and asks to try again later. */
const TRANSIENT_REPLIES = new Set([421, 450, 451, 452, 454]);

export interface AttemptOutcome {
	failure: Failure;
	/** nodemailer started the message (MAIL FROM onwards) on a connection that was logged in. */
	envelopeStarted: boolean;
}

/**
 * A message is only sent again when the failure proves that the server did not take it: it happened
 * before the envelope (connecting, TLS, login), or the server answered with a transient refusal.
 * A dropped connection once the envelope has started may have been accepted: never resent.
 */
export function isSafeToResend({ failure, envelopeStarted }: AttemptOutcome): boolean {
	if (!failure.retryable) return false;
	if (failure.responseCode !== undefined && TRANSIENT_REPLIES.has(failure.responseCode))
		return true;
	return !envelopeStarted;
}

/** The outcome is unknown: the message may or may not have been accepted. */
export function isUncertain({ failure, envelopeStarted }: AttemptOutcome): boolean {
	return envelopeStarted && failure.responseCode === undefined && failure.kind === 'network';
}

/** Capped exponential backoff, jittered over the upper half of each step (`random` in [0, 1)). */
export function backoffDelayMs(attempt: number, settings: RetrySettings, random: number): number {
	const ceiling = Math.min(settings.maxDelayMs, settings.initialDelayMs * 2 ** (attempt - 1));
	return Math.round(ceiling / 2 + (random * ceiling) / 2);
}

/** Delay before the next attempt, or `undefined` when the message must not be retried. */
export function nextRetryDelayMs(
	outcome: AttemptOutcome,
	attempt: number,
	delayedSoFarMs: number,
	settings: RetrySettings,
	random: number,
): number | undefined {
	if (attempt >= settings.maxAttempts || !isSafeToResend(outcome)) return undefined;
	const delay = backoffDelayMs(attempt, settings, random);
	return delayedSoFarMs + delay > settings.maxTotalDelayMs ? undefined : delay;
}
