import { DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_RETRY_WAIT_SECONDS } from '../defaults';
import type { Failure } from '../errors/GmailSmtpError';
import type { DeliveryStage } from '../transport/deliveryProbe';

export interface RetrySettings {
	/** Attempts per message, the first one included. */
	maxAttempts: number;
	initialDelayMs: number;
	maxDelayMs: number;
	/** Waiting stops once this much time has gone into retrying one message. */
	maxTotalDelayMs: number;
}

export const RETRY_DEFAULTS: RetrySettings = {
	maxAttempts: DEFAULT_MAX_ATTEMPTS,
	initialDelayMs: 1_000,
	maxDelayMs: 30_000,
	maxTotalDelayMs: DEFAULT_MAX_RETRY_WAIT_SECONDS * 1000,
};

/** Replies in which the server says it did not take the message and asks to try again later. */
const TRANSIENT_REPLIES = new Set([421, 450, 451, 452, 454]);

/** An attempt that failed: the failure, and how far the message got. */
export interface FailedAttempt {
	failure: Failure;
	/** How far the message got on its connection (see SendAttemptError). */
	reached: DeliveryStage;
}

/**
 * A message is only sent again when the failure proves that the server did not take it: it happened
 * before the body could start (connecting, TLS, login, MAIL, RCPT, DATA without its 354), or the
 * server answered with a transient refusal. No server accepts a message before its body; a dropped
 * connection once the body started may have been accepted: never resent.
 */
export function isSafeToResend({ failure, reached }: FailedAttempt): boolean {
	if (!failure.retryable) return false;
	if (failure.responseCode !== undefined && TRANSIENT_REPLIES.has(failure.responseCode))
		return true;
	return reached !== 'body';
}

/** The outcome is unknown: the message may or may not have been accepted. */
export function isUncertain({ failure, reached }: FailedAttempt): boolean {
	return reached === 'body' && failure.responseCode === undefined && failure.kind === 'network';
}

/**
 * The connection was gone when the message's MAIL FROM was written, without a word from the
 * server: it had closed the connection after its last reply (an idle or finished session). That
 * says nothing about this message, so trying it on a fresh connection is not charged as an attempt.
 */
export function isStaleConnection({ failure, reached }: FailedAttempt): boolean {
	return reached === 'envelope' && failure.responseCode === undefined && failure.kind === 'network';
}

/** Capped exponential backoff, jittered over the upper half of each step (`random` in [0, 1)). */
export function backoffDelayMs(attempt: number, settings: RetrySettings, random: number): number {
	const ceiling = Math.min(settings.maxDelayMs, settings.initialDelayMs * 2 ** (attempt - 1));
	return Math.round(ceiling / 2 + (random * ceiling) / 2);
}

/** Delay before the next attempt, or `undefined` when the message must not be retried. */
export function nextRetryDelayMs(
	failed: FailedAttempt,
	attempt: number,
	delayedSoFarMs: number,
	settings: RetrySettings,
	random: number,
): number | undefined {
	if (attempt >= settings.maxAttempts || !isSafeToResend(failed)) return undefined;
	const delay = backoffDelayMs(attempt, settings, random);
	return delayedSoFarMs + delay > settings.maxTotalDelayMs ? undefined : delay;
}
