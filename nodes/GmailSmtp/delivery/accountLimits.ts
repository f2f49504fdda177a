import { setTimeout as sleep } from 'node:timers/promises';

import type { GmailSmtpCredentials } from '../transport/gmailSmtpCredentials';
import { DailyQuota } from './dailyQuota';
import { rateLimiterFor, type SlidingWindowLimiter } from './slidingWindowLimiter';

const systemClock = { now: () => Date.now(), sleep: (ms: number) => sleep(ms) };

const dailyQuotas = new Map<string, DailyQuota>();
const rateLimiters = new Map<string, SlidingWindowLimiter>();

/** Gmail counts per account, whatever the credential or workflow that sends. */
function accountKey(credentials: GmailSmtpCredentials): string {
	return `${credentials.user.toLowerCase()}@${credentials.host.toLowerCase()}`;
}

/** The rolling 24-hour counter of this account in this process. */
export function dailyQuotaFor(credentials: GmailSmtpCredentials): DailyQuota {
	const key = accountKey(credentials);
	let quota = dailyQuotas.get(key);
	if (!quota) {
		quota = new DailyQuota();
		dailyQuotas.set(key, quota);
	}
	return quota;
}

/** The shared rate limiter of this account for a cap, or undefined for no cap. */
export function rateLimiterForAccount(
	credentials: GmailSmtpCredentials,
	perSecond: number,
): SlidingWindowLimiter | undefined {
	if (!(perSecond > 0)) return undefined;
	const key = `${accountKey(credentials)}#${perSecond}`;
	let limiter = rateLimiters.get(key);
	if (!limiter) {
		limiter = rateLimiterFor(perSecond, systemClock);
		rateLimiters.set(key, limiter);
	}
	return limiter;
}
