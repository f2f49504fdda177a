import { buildMessage } from '../../../nodes/GmailSmtp/message/buildMessage';
import { applyMessageOptions } from '../../../nodes/GmailSmtp/message/messageOptions';

const draft = buildMessage(
	{ subject: 'Your quote', html: '<p>Hi</p>', text: 'Hi' },
	{ to: 'a@example.com' },
	{ accountEmail: 'me@gmail.com', fromEmail: 'sales@acme.example' },
);

describe('applyMessageOptions', () => {
	it('with no options, adds only a Message-ID in the From domain and normal priority', () => {
		const message = applyMessageOptions(draft, {});
		expect(message).toMatchObject({ ...draft, headers: [], priority: 'normal' });
		expect(message.messageId).toMatch(/^<[0-9a-f-]{36}@acme\.example>$/);
		expect(message.inReplyTo).toBeUndefined();
		expect(message.references).toBeUndefined();
	});

	it('combines custom headers, unsubscribe headers, threading and priority', () => {
		const message = applyMessageOptions(draft, {
			customHeaders: { header: [{ name: 'X-Campaign-ID', value: 'c1' }] },
			unsubscribeUrl: 'https://acme.example/u?t=1',
			inReplyTo: 'earlier@acme.example',
			prefixSubjectWithRe: true,
			priority: 'high',
		});
		expect(message.headers).toEqual([
			{ key: 'X-Campaign-ID', value: 'c1' },
			{ key: 'List-Unsubscribe', value: { prepared: true, value: '<https://acme.example/u?t=1>' } },
			{
				key: 'List-Unsubscribe-Post',
				value: { prepared: true, value: 'List-Unsubscribe=One-Click' },
			},
		]);
		expect(message).toMatchObject({
			subject: 'Re: Your quote',
			inReplyTo: '<earlier@acme.example>',
			references: ['<earlier@acme.example>'],
			priority: 'high',
		});
	});
});
