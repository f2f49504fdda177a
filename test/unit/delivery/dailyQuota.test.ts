import { DailyQuota } from '../../../nodes/GmailSmtp/delivery/dailyQuota';
import { GmailSmtpError } from '../../../nodes/GmailSmtp/errors/GmailSmtpError';

const HOUR = 60 * 60 * 1000;

describe('DailyQuota', () => {
	it('allows the limit within a rolling 24 hours and frees slots as they age out', () => {
		let now = 0;
		const quota = new DailyQuota(() => now);
		quota.reserve(2);
		now = 10 * HOUR;
		quota.reserve(2);
		now = 23 * HOUR;
		expect(() => quota.reserve(2)).toThrow(GmailSmtpError);
		now = 24 * HOUR + 1;
		expect(() => quota.reserve(2)).not.toThrow();
	});

	it('explains the refusal and says when the next message can go', () => {
		const quota = new DailyQuota(() => 0);
		quota.reserve(1);
		try {
			quota.reserve(1);
			throw new Error('expected the quota to refuse');
		} catch (error) {
			expect((error as GmailSmtpError).failure).toMatchObject({
				kind: 'quota',
				stopsAccount: true,
				title: 'Daily limit of this credential reached',
			});
			expect((error as GmailSmtpError).failure.description).toContain('1970-01-02T00:00:00.000Z');
		}
	});

	it('gives back the reservation of a message the server refused', () => {
		const quota = new DailyQuota(() => 5);
		const stamp = quota.reserve(1);
		quota.cancel(stamp);
		expect(() => quota.reserve(1)).not.toThrow();
	});

	it('does not count when the limit is 0', () => {
		const quota = new DailyQuota(() => 0);
		for (let i = 0; i < 1000; i++) quota.reserve(0);
		expect(() => quota.reserve(1)).not.toThrow();
	});
});
