import { readMessage } from '../../../nodes/GmailSmtp/replies/readMessage';
import {
	bounceMessage,
	outOfOfficeMessage,
	quotingMessage,
	replyMessage,
} from '../../../testkit/mailboxMessages';

const SENT = '<3f1c8a2e-5b7d-4c0e-9a61-7d2b4e8f0c11@example.com>';
const date = new Date('2026-11-03T10:00:00Z');

function withHeaders(extra: string, body = 'Thanks!') {
	return Buffer.from(
		`From: Ada <Ada@Lead.example>\r\nTo: sender@example.com\r\nSubject: Re: Hi\r\nMessage-ID: <r@lead.example>\r\nIn-Reply-To: ${SENT}\r\n${extra}Content-Type: text/plain\r\n\r\n${body}\r\n`,
	);
}

/** A mail system's report that SENT did not reach nobody@mx.example.org, read. */
const readBounce = (options: Partial<Parameters<typeof bounceMessage>[0]> = {}) =>
	readMessage(
		Buffer.from(
			bounceMessage({
				messageId: '<d@mx>',
				sentId: SENT,
				recipient: 'nobody@mx.example.org',
				date,
				...options,
			}),
		),
	);

describe('readMessage', () => {
	it('a reply: sender in lower case, the IDs it answers (In-Reply-To and References), its text', async () => {
		const message = await readMessage(
			Buffer.from(
				replyMessage({
					messageId: '<reply@mail.gmail.com>',
					inReplyTo: '<parent@example.com>',
					references: [SENT, '<parent@example.com>'],
					from: 'Ada Lovelace <Ada@Lead.Example>',
					date,
					text: 'Yes, please.',
				}),
			),
		);
		expect(message).toMatchObject({
			messageId: '<reply@mail.gmail.com>',
			fromAddress: 'ada@lead.example',
			date: '2026-11-03T10:00:00.000Z',
			subject: 'Re: Your quote Q-17',
			automatic: false,
		});
		expect(message.answers.sort()).toEqual([SENT, '<parent@example.com>'].sort());
		expect(message.text).toMatch(/^Yes, please\./);
		expect(message.deliveryReport).toBeUndefined();
	});

	it.each([
		['Auto-Submitted: auto-replied', true],
		['Auto-Submitted: auto-generated', true],
		['Auto-Submitted: no', false],
		['X-Autoreply: yes', true],
		['X-Autorespond: Out of office', true],
		['Precedence: auto_reply', true],
		['Precedence: bulk', false],
		['', false],
	])('%s → automatic: %s', async (header, automatic) => {
		const message = await readMessage(withHeaders(header ? `${header}\r\n` : ''));
		expect(message.automatic).toBe(automatic);
	});

	it('an out-of-office as Outlook sends it is automatic', async () => {
		const message = await readMessage(
			Buffer.from(
				outOfOfficeMessage({ messageId: '<o@x>', inReplyTo: SENT, from: 'g@away.example', date }),
			),
		);
		expect(message).toMatchObject({ automatic: true, answers: [SENT] });
	});

	it('a delivery status notification: the failed recipient, status, diagnostic, and the message it is about', async () => {
		const message = await readBounce();
		expect(message.deliveryReport).toEqual({
			about: [SENT],
			failure: {
				recipient: 'nobody@mx.example.org',
				status: '5.1.1',
				diagnostic: '550 5.1.1 <nobody@mx.example.org>: Recipient address rejected: User unknown',
				permanent: true,
			},
			hardBounced: ['nobody@mx.example.org'],
			fromMailSystem: true,
			returnPath: null,
		});
		// Its text is the human part only; the delivery-status fields are not mixed into it.
		expect(message.text).not.toMatch(/Final-Recipient/);
	});

	it.each([
		['From MAILER-DAEMON@, no Return-Path (as APPENDed)', {}, true],
		['From postmaster@', { from: 'Postmaster <postmaster@outlook.example>' }, true],
		[
			'a null return path, whatever the From',
			{ from: 'Mail Delivery <bounces@mx.example.org>', returnPath: '<>' },
			true,
		],
		[
			'Return-Path: <MAILER-DAEMON>',
			{ from: 'x@mx.example.org', returnPath: '<MAILER-DAEMON>' },
			true,
		],
		[
			'an ordinary sender (a forged report)',
			{ from: 'Mail Delivery System <mallory@evil.example>', returnPath: '<mallory@evil.example>' },
			false,
		],
		['an ordinary sender with no Return-Path', { from: 'mallory@evil.example' }, false],
		[
			'mailer-daemon only in the display name',
			{ from: 'MAILER-DAEMON <mallory@evil.example>' },
			false,
		],
	])('a delivery report: %s → from a mail system: %s', async (_, sender, expected) => {
		const message = await readBounce({ threaded: true, ...sender });
		expect(message.deliveryReport).toMatchObject({ about: [SENT], fromMailSystem: expected });
	});

	it.each([
		['5.1.1', true],
		['4.4.7', false],
	])('a failure with status %s is permanent: %s', async (status, permanent) => {
		const message = await readBounce({ recipient: 'a@b.example', status });
		expect(message.deliveryReport?.failure).toMatchObject({ status, permanent });
	});

	it('a message that only quotes the ID in its body answers nothing', async () => {
		const message = await readMessage(
			Buffer.from(quotingMessage({ messageId: '<q@x>', quotedId: SENT, date })),
		);
		expect(message.answers).toEqual([]);
		expect(message.deliveryReport).toBeUndefined();
	});

	it('a multipart/report that is not about delivery (a read receipt) is no delivery report', async () => {
		const message = await readMessage(
			Buffer.from(
				[
					'From: ada@lead.example',
					'Message-ID: <mdn@lead.example>',
					'Content-Type: multipart/report; report-type=disposition-notification; boundary="x"',
					'',
					'--x',
					'Content-Type: text/plain',
					'',
					'Your message was displayed.',
					'--x',
					'Content-Type: message/disposition-notification',
					'',
					`Original-Message-ID: ${SENT}`,
					'Disposition: manual-action/MDN-sent-manually; displayed',
					'--x--',
					'',
				].join('\r\n'),
			),
		);
		expect(message.deliveryReport).toBeUndefined();
	});

	it('an HTML-only reply still has text', async () => {
		const message = await readMessage(
			Buffer.from(
				`From: a@b.example\r\nIn-Reply-To: ${SENT}\r\nContent-Type: text/html\r\n\r\n<p>Sounds <b>good</b></p>\r\n`,
			),
		);
		expect(message.text).toMatch(/Sounds good/);
	});
});
