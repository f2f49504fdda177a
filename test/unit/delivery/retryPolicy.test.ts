import type { Failure } from '../../../nodes/GmailSmtp/errors/GmailSmtpError';
import {
	backoffDelayMs,
	isSafeToResend,
	isUncertain,
	nextRetryDelayMs,
	RETRY_DEFAULTS,
} from '../../../nodes/GmailSmtp/delivery/retryPolicy';

const failure = (overrides: Partial<Failure>): Failure => ({
	kind: 'transient',
	retryable: true,
	stopsAccount: false,
	title: 't',
	description: 'd',
	...overrides,
});

describe('isSafeToResend', () => {
	it.each([
		['421 after the envelope started', { responseCode: 421 }, true, true],
		['454 at login', { kind: 'throttled' as const, responseCode: 454 }, false, true],
		['connection refused before anything', { kind: 'network' as const }, false, true],
		['connection lost after the envelope started', { kind: 'network' as const }, true, false],
		[
			'a permanent refusal',
			{ kind: 'recipient' as const, retryable: false, responseCode: 550 },
			true,
			false,
		],
		['a bad login', { kind: 'auth' as const, retryable: false, responseCode: 535 }, false, false],
		['a retryable kind with a permanent code', { responseCode: 554 }, true, false],
	])('%s', (_label, overrides, envelopeStarted, expected) => {
		expect(isSafeToResend({ failure: failure(overrides), envelopeStarted })).toBe(expected);
	});
});

describe('isUncertain', () => {
	it('is only the network failure without a reply once the envelope started', () => {
		expect(isUncertain({ failure: failure({ kind: 'network' }), envelopeStarted: true })).toBe(
			true,
		);
		expect(isUncertain({ failure: failure({ kind: 'network' }), envelopeStarted: false })).toBe(
			false,
		);
		expect(
			isUncertain({
				failure: failure({ kind: 'transient', responseCode: 421 }),
				envelopeStarted: true,
			}),
		).toBe(false);
	});
});

describe('backoff', () => {
	it.each([
		[1, 0, 500],
		[1, 0.999, 1000],
		[2, 0, 1000],
		[3, 0.5, 3000],
		[10, 0.999, 29985],
	])('attempt %d with jitter %d waits %d ms', (attempt, random, expected) => {
		expect(backoffDelayMs(attempt, RETRY_DEFAULTS, random)).toBe(expected);
	});

	it('stops at the attempt limit and at the total wait limit', () => {
		const outcome = { failure: failure({ responseCode: 421 }), envelopeStarted: true };
		expect(nextRetryDelayMs(outcome, 1, 0, RETRY_DEFAULTS, 0)).toBe(500);
		expect(nextRetryDelayMs(outcome, 3, 0, RETRY_DEFAULTS, 0)).toBeUndefined();
		expect(
			nextRetryDelayMs(outcome, 2, 59_500, { ...RETRY_DEFAULTS, maxAttempts: 10 }, 0),
		).toBeUndefined();
	});
});
