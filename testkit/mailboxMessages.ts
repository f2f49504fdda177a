// What lands in the sender's mailbox after an email goes out, written as the programs that produce
// them write them (Gmail, Outlook, Postfix), CRLF and all: the sent message, a person's reply, a
// reply deeper in the thread, an out-of-office, a delivery status notification (RFC 3464) and a
// message that merely quotes the Message-ID. For jest's mailbox scenario and the real-n8n checks,
// which answer the messages the SMTP test server received (replyTo, bounceFor).
import type { ParsedMail } from 'mailparser';

import { TEST_USER } from './smtpTestServer';

/** The account whose mailbox this is: the one the SMTP test server's credential sends as. */
export const ACCOUNT = TEST_USER;

function message(headers: Array<[string, string]>, body: string): string {
	const head = headers.map(([name, value]) => `${name}: ${value}`).join('\r\n');
	return `${head}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}`;
}

export function rfc2822(date: Date): string {
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

/** What a reply quotes below its text: "On <date>, <author> wrote:" and the lines quoted. */
export interface Quote {
	date: string;
	author: string;
	text: string;
}

/** The sent message of sentMessage(), as a reply to it quotes it. */
const QUOTED_QUOTE: Quote = {
	date: 'Tue, 3 Nov 2026 at 10:00',
	author: `Acme Sales <${ACCOUNT}>`,
	text: 'Hi,\n\nhere is the quote you asked for.',
};

/**
 * A person's answer, written in Gmail: In-Reply-To and References name the message(s) answered,
 * the text comes first and the quoted message below. To the account unless `to` is given.
 */
export function replyMessage(options: {
	messageId: string;
	inReplyTo: string;
	references: string[];
	from: string;
	date: Date;
	text: string;
	subject?: string;
	to?: string;
	quote?: Quote;
}): string {
	const quote = options.quote ?? QUOTED_QUOTE;
	const quoted = quote.text
		.trimEnd()
		.split(/\r?\n/)
		.map((line) => (line ? `> ${line}` : '>'))
		.join('\n');
	return message(
		[
			['From', options.from],
			['To', options.to ?? ACCOUNT],
			['Subject', options.subject ?? 'Re: Your quote Q-17'],
			['Date', rfc2822(options.date)],
			['Message-ID', options.messageId],
			['In-Reply-To', options.inReplyTo],
			['References', options.references.join('\r\n ')],
			['MIME-Version', '1.0'],
			['Content-Type', 'text/plain; charset=UTF-8'],
		],
		`${options.text}\n\nOn ${quote.date}, ${quote.author} wrote:\n${quoted}\n`,
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
 * delivery-status part, and the returned headers of the message that failed (text/rfc822-headers:
 * unless `threaded`, the only place that names the failed message's Message-ID).
 */
export function bounceMessage(options: {
	messageId: string;
	sentId: string;
	recipient: string;
	date: Date;
	/** The reporting mail server (default mx.example.org). */
	host?: string;
	/** Whom the report goes to (default the account). */
	to?: string;
	/** The failed message's From and Subject, as returned (default the sentMessage() ones). */
	original?: { from: string; subject: string };
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
	const host = options.host ?? 'mx.example.org';
	const boundary = `B7E2F1C0A4.1762246800/${host}`;
	const status = options.status ?? '5.1.1';
	const original = options.original ?? {
		from: `Acme Sales <${ACCOUNT}>`,
		subject: 'Your quote Q-17',
	};
	const headers: Array<[string, string]> = [
		...(options.returnPath !== undefined
			? [['Return-Path', options.returnPath] as [string, string]]
			: []),
		[
			'From',
			options.from ??
				(options.threaded
					? 'Mail Delivery Subsystem <mailer-daemon@googlemail.com>'
					: `Mail Delivery System <MAILER-DAEMON@${host}>`),
		],
		['To', options.to ?? ACCOUNT],
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
			`This is the mail system at host ${host}.`,
			'',
			"I'm sorry to have to inform you that your message could not",
			'be delivered to one or more recipients.',
			'',
			`<${options.recipient}>: host ${host}[192.0.2.25] said: 550 ${status}`,
			`    <${options.recipient}>: Recipient address rejected: User unknown`,
			'',
			`--${boundary}`,
			'Content-Description: Delivery report',
			'Content-Type: message/delivery-status',
			'',
			`Reporting-MTA: dns; ${host}`,
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
				`Remote-MTA: dns; ${host}`,
				`Diagnostic-Code: smtp; ${recipient.status.startsWith('4') ? '450' : '550'} ${recipient.status} <${recipient.address}>: Recipient address`,
				'    rejected: User unknown',
			]),
			'',
			`--${boundary}`,
			'Content-Description: Undelivered Message Headers',
			'Content-Type: text/rfc822-headers',
			'',
			`From: ${original.from}`,
			`To: ${options.recipient}`,
			`Subject: ${original.subject}`,
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

/** A message the SMTP test server received, as far as an answer to it needs. */
export interface SentMessage {
	messageId: string | undefined;
	parsed: Pick<ParsedMail, 'subject' | 'text' | 'date'> & { headers?: ParsedMail['headers'] };
}

/**
 * A person's answer to `sent` (a message the SMTP test server received), written in Gmail to `to`
 * (the sender): it names `sent` in In-Reply-To and References and quotes its text.
 */
export function replyTo(options: {
	sent: SentMessage;
	from: string;
	to: string;
	messageId: string;
	text: string;
	date?: Date;
}): string {
	const { sent, to, date = new Date() } = options;
	return replyMessage({
		messageId: options.messageId,
		inReplyTo: String(sent.messageId),
		references: [String(sent.messageId)],
		from: options.from,
		to,
		subject: `Re: ${sent.parsed.subject}`,
		date,
		text: options.text,
		quote: { date: rfc2822(sent.parsed.date ?? date), author: to, text: sent.parsed.text ?? '' },
	});
}

/**
 * The bounce Postfix at the recipient's domain sends back to `to` for `sent`: `recipient` does not
 * exist (550 5.1.1). Not threaded: only the returned headers name the failed message.
 */
export function bounceFor(options: {
	sent: SentMessage;
	recipient: string;
	to: string;
	messageId: string;
	date?: Date;
}): string {
	const { sent, recipient, to } = options;
	const sentFrom = (sent.parsed.headers?.get('from') as { text?: string } | undefined)?.text;
	return bounceMessage({
		messageId: options.messageId,
		sentId: String(sent.messageId),
		recipient,
		date: options.date ?? new Date(),
		host: `mx.${recipient.split('@')[1]}`,
		to,
		original: { from: sentFrom ?? to, subject: String(sent.parsed.subject) },
	});
}
