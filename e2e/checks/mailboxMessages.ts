// What lands in the sender's mailbox after a first email goes out, written as the programs that
// produce them write them (CRLF and all): a lead's answer from Gmail, and a delivery status
// notification (RFC 3464) from the lead's mail server, which returns only the failed message's
// headers. The same shapes as test/helpers/mailboxFixtures.ts, for the real-n8n checks.

import type { ParsedMail } from 'mailparser';

/** A message the test SMTP server received, as far as an answer to it needs. */
export interface SentMessage {
	messageId: string | undefined;
	parsed: Pick<ParsedMail, 'subject' | 'text' | 'date'> & { headers?: ParsedMail['headers'] };
}

function message(headers: Array<[string, string]>, body: string): string {
	const head = headers.map(([name, value]) => `${name}: ${value}`).join('\r\n');
	return `${head}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}`;
}

function rfc2822(date: Date): string {
	return date.toUTCString().replace('GMT', '+0000');
}

/**
 * A person's answer to `sent` (a message the test SMTP server received), written in Gmail:
 * In-Reply-To and References name it, the text comes first and the quoted message below.
 */
export function replyTo(options: {
	sent: SentMessage;
	from: string;
	to: string;
	messageId: string;
	text: string;
	date?: Date;
}): string {
	const { sent, from, to, messageId, text, date = new Date() } = options;
	const quoted = (sent.parsed.text ?? '')
		.trimEnd()
		.split(/\r?\n/)
		.map((line) => (line ? `> ${line}` : '>'))
		.join('\n');
	return message(
		[
			['From', from],
			['To', to],
			['Subject', `Re: ${sent.parsed.subject}`],
			['Date', rfc2822(date)],
			['Message-ID', messageId],
			['In-Reply-To', String(sent.messageId)],
			['References', String(sent.messageId)],
			['MIME-Version', '1.0'],
			['Content-Type', 'text/plain; charset=UTF-8'],
		],
		`${text}\n\nOn ${rfc2822(sent.parsed.date ?? date)}, ${to} wrote:\n${quoted}\n`,
	);
}

/**
 * The bounce Postfix at the recipient's domain sends back for `sent`: `recipient` does not
 * exist (550 5.1.1). Not threaded: only the returned headers (text/rfc822-headers) name the
 * failed message's Message-ID.
 */
export function bounceFor(options: {
	sent: SentMessage;
	recipient: string;
	to: string;
	messageId: string;
	date?: Date;
}): string {
	const { sent, recipient, to, messageId, date = new Date() } = options;
	const host = `mx.${recipient.split('@')[1]}`;
	const boundary = `B7E2F1C0A4.${Math.floor(date.getTime() / 1000)}/${host}`;
	const diagnostic = `550 5.1.1 <${recipient}>: Recipient address rejected: User unknown`;
	return message(
		[
			['From', `Mail Delivery System <MAILER-DAEMON@${host}>`],
			['To', to],
			['Subject', 'Undelivered Mail Returned to Sender'],
			['Date', rfc2822(date)],
			['Message-ID', messageId],
			['Auto-Submitted', 'auto-replied'],
			['MIME-Version', '1.0'],
			[
				'Content-Type',
				`multipart/report; report-type=delivery-status;\r\n\tboundary="${boundary}"`,
			],
		],
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
			`<${recipient}>: host ${host}[192.0.2.25] said: ${diagnostic}`,
			'',
			`--${boundary}`,
			'Content-Description: Delivery report',
			'Content-Type: message/delivery-status',
			'',
			`Reporting-MTA: dns; ${host}`,
			'X-Postfix-Queue-ID: B7E2F1C0A4',
			`Arrival-Date: ${rfc2822(date)}`,
			'',
			`Final-Recipient: rfc822; ${recipient}`,
			`Original-Recipient: rfc822;${recipient}`,
			'Action: failed',
			'Status: 5.1.1',
			`Remote-MTA: dns; ${host}`,
			`Diagnostic-Code: smtp; ${diagnostic}`,
			'',
			`--${boundary}`,
			'Content-Description: Undelivered Message Headers',
			'Content-Type: text/rfc822-headers',
			'',
			`From: ${(sent.parsed.headers?.get('from') as { text?: string } | undefined)?.text ?? to}`,
			`To: ${recipient}`,
			`Subject: ${sent.parsed.subject}`,
			`Message-ID: ${sent.messageId}`,
			'',
			`--${boundary}--`,
			'',
		].join('\n'),
	);
}
