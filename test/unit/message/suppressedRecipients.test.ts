import {
	recipientAddresses,
	withoutSuppressed,
} from '../../../nodes/GmailSmtp/message/suppressedRecipients';

const address = (text: string, name = '') => ({ name, address: text });

describe('withoutSuppressed', () => {
	const recipients = {
		to: [address('Ada@Example.com', 'Ada'), address('grace@example.com')],
		cc: [address('alan@example.com'), address('ADA@example.com')],
		bcc: [address('archive@example.com'), address('edsger@example.com')],
	};
	const list = new Set(['ada@example.com', 'edsger@example.com']);

	it('takes suppressed addresses out of To, CC and BCC, comparing case-insensitively', () => {
		expect(withoutSuppressed(recipients, (email) => list.has(email))).toEqual({
			to: [address('grace@example.com')],
			cc: [address('alan@example.com')],
			bcc: [address('archive@example.com')],
			suppressed: ['ada@example.com', 'edsger@example.com'],
		});
	});

	it('keeps everyone, display names included, when nobody is on the list', () => {
		expect(withoutSuppressed(recipients, () => false)).toEqual({ ...recipients, suppressed: [] });
	});

	it('can leave To empty: the caller decides the message is not sent', () => {
		const result = withoutSuppressed(
			{ to: [address('ada@example.com')], cc: [], bcc: [] },
			() => true,
		);
		expect(result).toEqual({ to: [], cc: [], bcc: [], suppressed: ['ada@example.com'] });
	});

	it('looks every address up once, lower-cased', () => {
		expect(recipientAddresses(recipients)).toEqual([
			'ada@example.com',
			'grace@example.com',
			'alan@example.com',
			'archive@example.com',
			'edsger@example.com',
		]);
	});
});
