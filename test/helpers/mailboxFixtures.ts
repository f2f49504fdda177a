/**
 * The mailbox after a CRM email went out, for jest: the sent messages, a reply, a reply deeper in
 * the thread, an out-of-office, delivery status notifications (RFC 3464) and an unrelated message
 * that merely quotes a Message-ID, each as its program writes it (the builders are in
 * testkit/mailboxMessages.ts, shared with the real-n8n checks).
 */
import { DAY_MS } from '../../nodes/GmailSmtp/durations';
import {
	ACCOUNT,
	bounceMessage,
	deepReplyMessage,
	outOfOfficeMessage,
	quotingMessage,
	replyMessage,
	sentMessage,
} from '../../testkit/mailboxMessages';

export { ACCOUNT };

export interface StoredMessageFixture {
	/** Which kind of message it is, for the Gmail test server's labels and thread. */
	role:
		| 'sent'
		| 'reply'
		| 'deepReply'
		| 'outOfOffice'
		| 'bounce'
		| 'forgedBounce'
		| 'quoting'
		| 'other';
	raw: string;
	/** When it arrived (INTERNALDATE). */
	arrived: Date;
}

/**
 * The whole scenario for four sent messages: what the mailbox holds a few days after they went
 * out. Everything arrived within the last week; `gmail` makes the bounce Gmail's own.
 */
export function crmScenario({ now = new Date(), gmail = false } = {}) {
	const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY_MS);
	const ids = {
		// The lead who answered (twice: a reply, and a question further down the thread).
		answered: '<3f1c8a2e-5b7d-4c0e-9a61-7d2b4e8f0c11@example.com>',
		// The lead who is away.
		away: '<9b2d4f60-1e3a-4c5b-8d7e-0f6a2c4b8e22@example.com>',
		// The lead whose address does not exist.
		bounced: '<c4e6a8b0-2d4f-4a6c-8e0a-2c4e6a8b0d33@example.com>',
		// The lead who never answered; a colleague only quoted the ID.
		silent: '<5a7c9e1b-3d5f-4b7d-9f1b-3d5f7a9c1e44@example.com>',
		// The lead about whom someone who is no mail system sent a "delivery report".
		spoofed: '<7d9f1b3d-5f7a-4c9e-8b1d-5f7a9c1e3b55@example.com>',
		// The lead whose mailbox stayed full until the sending server gave up (4.x.x, soft bounce).
		softBounced: '<e1f3a5c7-9b1d-4f3a-8c5e-7a9b1d3f5e66@example.com>',
		// A message to three people of one company: one address is gone (5.1.1), one mailbox full
		// (4.2.2, given up), the third was delivered and is not in the report.
		partlyBounced: '<f2a4b6d8-0c2e-4a4b-9d6f-8b0c2e4a6f77@example.com>',
	};
	const replyId = '<CAHx7Lp0Qk9Z3w@mail.gmail.com>';
	const messages: StoredMessageFixture[] = [
		{
			role: 'sent',
			raw: sentMessage(ids.answered, 'Ada Lovelace <ada@lead.example>', at(6)),
			arrived: at(6),
		},
		{ role: 'sent', raw: sentMessage(ids.away, 'grace@away.example', at(6)), arrived: at(6) },
		{ role: 'sent', raw: sentMessage(ids.bounced, 'nobody@mx.example.org', at(6)), arrived: at(6) },
		{ role: 'sent', raw: sentMessage(ids.silent, 'alan@quiet.example', at(6)), arrived: at(6) },
		{ role: 'sent', raw: sentMessage(ids.spoofed, 'lin@target.example', at(6)), arrived: at(6) },
		{
			role: 'sent',
			raw: sentMessage(ids.softBounced, 'full@mx.example.org', at(6)),
			arrived: at(6),
		},
		{
			role: 'sent',
			raw: sentMessage(
				ids.partlyBounced,
				'team@corp.example, gone@corp.example, full@corp.example',
				at(6),
			),
			arrived: at(6),
		},
		{
			role: 'reply',
			raw: replyMessage({
				messageId: replyId,
				inReplyTo: ids.answered,
				references: [ids.answered],
				from: 'Ada Lovelace <Ada@Lead.example>',
				date: at(5),
				text: 'Thanks, this looks good.\nCan we talk on Friday?',
			}),
			arrived: at(5),
		},
		{
			role: 'deepReply',
			raw: deepReplyMessage({
				messageId: '<CAHx7Lp0Zz1Y8v@mail.gmail.com>',
				rootId: ids.answered,
				parentId: '<our-answer-1@example.com>',
				from: 'Charles Babbage <charles@lead.example>',
				date: at(3),
			}),
			arrived: at(3),
		},
		{
			role: 'outOfOffice',
			raw: outOfOfficeMessage({
				messageId: '<AM0PR01MB1234.oof@outlook.example>',
				inReplyTo: ids.away,
				from: 'Grace Hopper <grace@away.example>',
				date: at(6),
			}),
			arrived: at(6),
		},
		{
			role: 'bounce',
			raw: bounceMessage({
				messageId: '<20261104070000.B7E2F1C0A4@mx.example.org>',
				sentId: ids.bounced,
				recipient: 'nobody@mx.example.org',
				date: at(6),
				threaded: gmail,
			}),
			arrived: at(6),
		},
		{
			// A multipart/report in the conversation, from an ordinary sender: not a bounce.
			role: 'forgedBounce',
			raw: bounceMessage({
				messageId: '<forged-dsn-1@evil.example>',
				sentId: ids.spoofed,
				recipient: 'lin@target.example',
				date: at(4),
				threaded: true,
				from: 'Mail Delivery System <mallory@evil.example>',
				returnPath: '<mallory@evil.example>',
			}),
			arrived: at(4),
		},
		{
			role: 'bounce',
			raw: bounceMessage({
				messageId: '<20261104080000.C8F3A2D1B5@mx.example.org>',
				sentId: ids.softBounced,
				recipient: 'full@mx.example.org',
				date: at(1),
				threaded: gmail,
				status: '4.2.2',
			}),
			arrived: at(1),
		},
		{
			role: 'bounce',
			raw: bounceMessage({
				messageId: '<20261104090000.D9A4B3E2C6@mx.example.org>',
				sentId: ids.partlyBounced,
				recipient: 'gone@corp.example',
				date: at(5),
				threaded: gmail,
				recipients: [
					{ address: 'full@corp.example', action: 'failed', status: '4.2.2' },
					{ address: 'Gone@Corp.example', action: 'failed', status: '5.1.1' },
				],
			}),
			arrived: at(5),
		},
		{
			role: 'quoting',
			raw: quotingMessage({
				messageId: '<log-1@partner.example>',
				quotedId: ids.silent,
				date: at(2),
			}),
			arrived: at(2),
		},
	];
	return { ids, replyId, messages };
}

/** The expected report on a message nobody answered and that did not bounce. */
export function nothingAbout(messageId: string) {
	return {
		messageId,
		replied: false,
		replies: [],
		autoReplied: false,
		autoReplies: [],
		bounced: false,
		bounce: null,
		suspectedBounce: null,
	};
}
