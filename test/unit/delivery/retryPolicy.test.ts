import type { Failure } from '../../../nodes/GmailSmtp/errors/GmailSmtpError';
import {
	backoffDelayMs,
	isSafeToResend,
	isStaleConnection,
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
		['421 once the body started', { responseCode: 421 }, 'body', true],
		['454 at login', { kind: 'throttled' as const, responseCode: 454 }, 'connection', true],
		['connection refused before anything', { kind: 'network' as const }, 'connection', true],
		['connection lost at MAIL FROM or RCPT TO', { kind: 'network' as const }, 'envelope', true],
		['connection lost once the body started', { kind: 'network' as const }, 'body', false],
		[
			'a permanent refusal',
			{ kind: 'recipient' as const, retryable: false, responseCode: 550 },
			'envelope',
			false,
		],
		[
			'a bad login',
			{ kind: 'auth' as const, retryable: false, responseCode: 535 },
			'connection',
			false,
		],
		['a retryable kind with a permanent code', { responseCode: 554 }, 'body', false],
	] as const)('%s', (_label, overrides, reached, expected) => {
		expect(isSafeToResend({ failure: failure(overrides), reached })).toBe(expected);
	});
});

describe('isUncertain', () => {
	it('is only a connection lost without a reply once the body started', () => {
		const lost = failure({ kind: 'network' });
		expect(isUncertain({ failure: lost, reached: 'body' })).toBe(true);
		expect(isUncertain({ failure: lost, reached: 'envelope' })).toBe(false);
		expect(isUncertain({ failure: lost, reached: 'connection' })).toBe(false);
		expect(
			isUncertain({ failure: failure({ kind: 'transient', responseCode: 421 }), reached: 'body' }),
		).toBe(false);
	});
});

describe('isStaleConnection', () => {
	it('is a connection found closed when MAIL FROM was written, without a reply', () => {
		expect(isStaleConnection({ failure: failure({ kind: 'network' }), reached: 'envelope' })).toBe(
			true,
		);
		expect(isStaleConnection({ failure: failure({ kind: 'network' }), reached: 'body' })).toBe(
			false,
		);
		expect(
			isStaleConnection({ failure: failure({ responseCode: 421 }), reached: 'envelope' }),
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
		const outcome = { failure: failure({ responseCode: 421 }), reached: 'body' as const };
		expect(nextRetryDelayMs(outcome, 1, 0, RETRY_DEFAULTS, 0)).toBe(500);
		expect(nextRetryDelayMs(outcome, 3, 0, RETRY_DEFAULTS, 0)).toBeUndefined();
		expect(
			nextRetryDelayMs(outcome, 2, 59_500, { ...RETRY_DEFAULTS, maxAttempts: 10 }, 0),
		).toBeUndefined();
	});
});
