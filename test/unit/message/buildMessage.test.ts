import { buildMessage } from '../../../nodes/GmailSmtp/message/buildMessage';
import { failureOf } from '../../helpers/failureOf';

const rendered = { subject: 'Hello', html: '<p>Hi</p>', text: 'Hi' };
const sender = { accountEmail: 'me@gmail.com' };

describe('buildMessage', () => {
	it('sends from the account with the given display name', () => {
		const message = buildMessage(
			rendered,
			{ to: 'a@example.com' },
			{ ...sender, fromName: 'Acme' },
		);
		expect(message.from).toEqual({ name: 'Acme', address: 'me@gmail.com' });
		expect(message.to).toEqual([{ name: '', address: 'a@example.com' }]);
		expect(message).toMatchObject({
			subject: 'Hello',
			html: '<p>Hi</p>',
			text: 'Hi',
			cc: [],
			bcc: [],
		});
	});

	it('uses a send-as alias when given', () => {
		const message = buildMessage(
			rendered,
			{ to: 'a@example.com' },
			{ ...sender, fromEmail: 'sales@example.com' },
		);
		expect(message.from.address).toBe('sales@example.com');
	});

	it('leaves out an empty part rather than sending an empty one', () => {
		const message = buildMessage({ ...rendered, html: '' }, { to: 'a@example.com' }, sender);
		expect(message.html).toBeUndefined();
		expect(message.text).toBe('Hi');
	});

	it.each([
		['no recipient', () => buildMessage(rendered, { to: '' }, sender), 'No recipient'],
		[
			'empty body',
			() => buildMessage({ ...rendered, html: '', text: '' }, { to: 'a@example.com' }, sender),
			'Message body is empty',
		],
		[
			'CR/LF in subject',
			() =>
				buildMessage({ ...rendered, subject: 'a\nBcc: x@y.z' }, { to: 'a@example.com' }, sender),
			'Subject contains a line break',
		],
		[
			'CR/LF in From name',
			() => buildMessage(rendered, { to: 'a@example.com' }, { ...sender, fromName: 'A\r\nB' }),
			'Invalid From Name',
		],
		[
			'two aliases',
			() =>
				buildMessage(
					rendered,
					{ to: 'a@example.com' },
					{ ...sender, fromEmail: 'a@x.com, b@x.com' },
				),
			'Invalid From Email',
		],
		[
			'101 recipients over To, CC and BCC',
			() =>
				buildMessage(
					rendered,
					{
						to: Array.from({ length: 60 }, (_, index) => `to${index}@example.com`),
						cc: Array.from({ length: 40 }, (_, index) => `cc${index}@example.com`),
						bcc: 'one-more@example.com',
					},
					sender,
				),
			'Too many recipients',
		],
		[
			'bad Reply-To',
			() => buildMessage(rendered, { to: 'a@example.com', replyTo: 'nobody' }, sender),
			'Invalid Reply-To',
		],
	])('refuses %s', (_label, run, title) => {
		expect(failureOf(run).title).toBe(title);
	});
});
