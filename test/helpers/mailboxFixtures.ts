/**
 * Real messages as they sit in a mailbox after a CRM email went out: the sent message itself, a
 * reply, a reply deeper in the thread (References only), an out-of-office, a delivery status
 * notification (RFC 3464) and an unrelated message that merely quotes the Message-ID in its body.
 * Written as the programs that produce them write them (Gmail, Outlook, Postfix), CRLF and all.
 */

export const ACCOUNT = 'sender@example.com';

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

const DAY_MS = 24 * 60 * 60 * 1000;

function message(headers: Array<[string, string]>, body: string): string {
	return `${headers.map(([name, value]) => `${name}: ${value}`).join('\r\n')}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}`;
}

function rfc2822(date: Date): string {
	return date.toUTCString().replace('GMT', '+0000');
}

/** The email a CRM sequence sent to a lead, as Gmail keeps it in Sent Mail. */
export function sentMessage(
	messageId: string,
	to: string,
	sentAt: Date,
	subject = 'Your quote Q-17',
) {
	return message(
		[
			['From', `Acme Sales <${ACCOUNT}>`],
			['To', to],
			['Subject', subject],
			['Date', rfc2822(sentAt)],
			['Message-ID', messageId],
			['MIME-Version', '1.0'],
			['Content-Type', 'text/plain; charset=utf-8'],
		],
		'Hi,\n\nhere is the quote you asked for.\n\nAcme Sales\n',
	);
}

/** A person's answer, written in Gmail: In-Reply-To and References name the sent message. */
export function replyMessage(options: {
	messageId: string;
	inReplyTo: string;
	references: string[];
	from: string;
	date: Date;
	text: string;
	subject?: string;
}): string {
	return message(
		[
			['From', options.from],
			['To', ACCOUNT],
			['Subject', options.subject ?? 'Re: Your quote Q-17'],
			['Date', rfc2822(options.date)],
			['Message-ID', options.messageId],
			['In-Reply-To', options.inReplyTo],
			['References', options.references.join('\r\n ')],
			['MIME-Version', '1.0'],
			['Content-Type', 'text/plain; charset=UTF-8'],
		],
		`${options.text}\n\nOn Tue, 3 Nov 2026 at 10:00, Acme Sales <${ACCOUNT}> wrote:\n> Hi,\n>\n> here is the quote you asked for.\n`,
	);
}

/**
 * A reply further down the thread that answers an earlier reply: its In-Reply-To names that reply,
 * only its References still carry the first message.
 */
export function deepReplyMessage(options: {
	messageId: string;
	rootId: string;
	parentId: string;
	from: string;
	date: Date;
}): string {
	return replyMessage({
		messageId: options.messageId,
		inReplyTo: options.parentId,
		references: [options.rootId, options.parentId],
		from: options.from,
		date: options.date,
		text: 'One more question: does the price include delivery?',
	});
}

/** An Outlook out-of-office answer (RFC 3834 Auto-Submitted, and the older X-Autoreply). */
export function outOfOfficeMessage(options: {
	messageId: string;
	inReplyTo: string;
	from: string;
	date: Date;
}): string {
	return message(
		[
			['From', options.from],
			['To', ACCOUNT],
			['Subject', 'Automatic reply: Your quote Q-17'],
			['Date', rfc2822(options.date)],
			['Message-ID', options.messageId],
			['In-Reply-To', options.inReplyTo],
			['References', options.inReplyTo],
			['Auto-Submitted', 'auto-replied'],
			['X-Autoreply', 'yes'],
			['Precedence', 'auto_reply'],
			['X-Auto-Response-Suppress', 'All'],
			['MIME-Version', '1.0'],
			['Content-Type', 'text/plain; charset=utf-8'],
		],
		'I am out of the office until 14 December with limited access to email.\n',
	);
}

/**
 * A delivery status notification as Postfix writes it (RFC 3464): human text, the machine-readable
 * delivery-status part, and the returned headers of the message that failed.
 */
export function bounceMessage(options: {
	messageId: string;
	sentId: string;
	recipient: string;
	date: Date;
	/**
	 * Gmail's mailer-daemon (it relays the mail sent through smtp.gmail.com) also names the failed
	 * message in In-Reply-To/References, so Gmail shows the report in its conversation.
	 */
	threaded?: boolean;
	/** Another sender than the mail system's (a forged report). */
	from?: string;
	/** A Return-Path header on top, as the final server records it (e.g. `<>`). */
	returnPath?: string;
	/** The Status and Diagnostic-Code of the failed recipient (default 5.1.1, User unknown). */
	status?: string;
	/**
	 * One per-recipient group each, instead of `recipient` alone (which the human part still
	 * names): several recipients of one message, each with its own Action and Status.
	 */
	recipients?: Array<{ address: string; action: 'failed' | 'delayed'; status: string }>;
}): string {
	const boundary = 'B7E2F1C0A4.1762246800/mx.example.org';
	const status = options.status ?? '5.1.1';
	const headers: Array<[string, string]> = [
		...(options.returnPath !== undefined
			? [['Return-Path', options.returnPath] as [string, string]]
			: []),
		[
			'From',
			options.from ??
				(options.threaded
					? 'Mail Delivery Subsystem <mailer-daemon@googlemail.com>'
					: 'Mail Delivery System <MAILER-DAEMON@mx.example.org>'),
		],
		['To', ACCOUNT],
		['Subject', 'Undelivered Mail Returned to Sender'],
		['Date', rfc2822(options.date)],
		['Message-ID', options.messageId],
		['Auto-Submitted', 'auto-replied'],
		['MIME-Version', '1.0'],
		['Content-Type', `multipart/report; report-type=delivery-status;\r\n\tboundary="${boundary}"`],
	];
	if (options.threaded)
		headers.push(['In-Reply-To', options.sentId], ['References', options.sentId]);
	return message(
		headers,
		[
			'This is a MIME-encapsulated message.',
			'',
			`--${boundary}`,
			'Content-Description: Notification',
			'Content-Type: text/plain; charset=us-ascii',
			'',
			'This is the mail system at host mx.example.org.',
			'',
			"I'm sorry to have to inform you that your message could not",
			'be delivered to one or more recipients.',
			'',
			`<${options.recipient}>: host mx.example.org[192.0.2.25] said: 550 ${status}`,
			`    <${options.recipient}>: Recipient address rejected: User unknown`,
			'',
			`--${boundary}`,
			'Content-Description: Delivery report',
			'Content-Type: message/delivery-status',
			'',
			'Reporting-MTA: dns; mx.example.org',
			'X-Postfix-Queue-ID: B7E2F1C0A4',
			`Arrival-Date: ${rfc2822(options.date)}`,
			...(
				options.recipients ?? [{ address: options.recipient, action: 'failed' as const, status }]
			).flatMap((recipient) => [
				'',
				`Final-Recipient: rfc822; ${recipient.address}`,
				`Original-Recipient: rfc822;${recipient.address}`,
				`Action: ${recipient.action}`,
				`Status: ${recipient.status}`,
				'Remote-MTA: dns; mx.example.org',
				`Diagnostic-Code: smtp; ${recipient.status.startsWith('4') ? '450' : '550'} ${recipient.status} <${recipient.address}>: Recipient address`,
				'    rejected: User unknown',
			]),
			'',
			`--${boundary}`,
			'Content-Description: Undelivered Message Headers',
			'Content-Type: text/rfc822-headers',
			'',
			`From: Acme Sales <${ACCOUNT}>`,
			`To: ${options.recipient}`,
			'Subject: Your quote Q-17',
			`Message-ID: ${options.sentId}`,
			'',
			`--${boundary}--`,
			'',
		].join('\n'),
	);
}

/** A colleague forwarding a log line that quotes the Message-ID: mentions it, answers nothing. */
export function quotingMessage(options: { messageId: string; quotedId: string; date: Date }) {
	return message(
		[
			['From', 'Bob Colleague <bob@partner.example>'],
			['To', ACCOUNT],
			['Subject', 'Delivery log for last week'],
			['Date', rfc2822(options.date)],
			['Message-ID', options.messageId],
			['MIME-Version', '1.0'],
			['Content-Type', 'text/plain; charset=utf-8'],
		],
		`Hi, the CRM log shows message-id ${options.quotedId} went out on Monday.\nCan you check it?\n`,
	);
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
