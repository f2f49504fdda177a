import { simpleParser, type Attachment, type HeaderValue, type ParsedMail } from 'mailparser';

import { readDeliveryStatus, type DeliveryStatus } from './deliveryStatus';

/** What Check Replies and Bounces needs to know about one stored message. */
export interface ReadMessage {
	messageId?: string;
	/** The sender's address in lower case ('' when the message has no From). */
	fromAddress: string;
	/** ISO date from the Date header, when it has a valid one. */
	date?: string;
	subject: string;
	/** Message-IDs in In-Reply-To and References: the messages this one answers. */
	answers: string[];
	/** Marked as sent by a program (out-of-office, vacation responder), not typed by a person. */
	automatic: boolean;
	/** The plain text (generated from the HTML when there is none). */
	text: string;
	/** Set when the message is a delivery status notification (RFC 3464). */
	deliveryReport?: DeliveryReport;
}

export interface DeliveryReport extends DeliveryStatus {
	/** Message-IDs of the message(s) the report is about: returned headers, In-Reply-To. */
	about: string[];
	/** Sent by a mail system ({@link isMailSystemSender}): only then can it be a bounce. */
	fromMailSystem: boolean;
	/** The topmost Return-Path as stored (`<>` for a null return path), null when there is none. */
	returnPath: string | null;
}

const MESSAGE_ID_TOKEN = /<[^<>\s]+>/g;
// The senders of delivery reports (RFC 5321 4.5.5, RFC 2142): the null return path, as the final
// server records it (some write it as <MAILER-DAEMON>), and the mailboxes mail systems send from.
const NULL_RETURN_PATH = /^<\s*(mailer-daemon)?\s*>$/i;
const MAIL_SYSTEM_MAILBOX = /^(mailer-daemon|postmaster)@/i;
// Where a delivery report returns the original message, or only its headers (RFC 3462, RFC 6533).
const RETURNED_MESSAGE_TYPES = new Set([
	'message/rfc822',
	'text/rfc822-headers',
	'message/global',
	'message/global-headers',
]);
const DELIVERY_STATUS_TYPES = new Set([
	'message/delivery-status',
	'message/global-delivery-status',
]);

/** Parses a stored message with mailparser; delivery-status parts are kept apart from the text. */
export async function readMessage(source: Buffer): Promise<ReadMessage> {
	const mail = await simpleParser(source, { keepDeliveryStatus: true, skipImageLinks: true });
	const answers = messageIds(mail.inReplyTo, mail.references);
	const message: ReadMessage = {
		messageId: mail.messageId,
		fromAddress: (mail.from?.value[0]?.address ?? '').toLowerCase(),
		date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : undefined,
		subject: mail.subject ?? '',
		answers,
		automatic: isAutomatic(mail),
		text: mail.text ?? '',
	};
	if (isDeliveryReport(mail)) {
		const status = mail.attachments.find((part) => DELIVERY_STATUS_TYPES.has(part.contentType));
		if (status) {
			const returned = mail.attachments.filter((part) =>
				RETURNED_MESSAGE_TYPES.has(part.contentType),
			);
			const about = [...(await returnedMessageIds(returned)), ...answers];
			// The final server adds Return-Path on top: the first one is the one that counts.
			const returnPath =
				mail.headerLines
					.find((line) => line.key === 'return-path')
					?.line.replace(/^[^:]*:\s*/, '') ?? null;
			message.deliveryReport = {
				...(await readDeliveryStatus(status.content)),
				about: [...new Set(about)],
				fromMailSystem: isMailSystemSender(returnPath, message.fromAddress),
				returnPath,
			};
		}
	}
	return message;
}

/**
 * Whether a message comes from a mail system, as every genuine delivery report does: sent with the
 * null return path, or from MAILER-DAEMON@ or postmaster@. A report from anyone else is not taken
 * for a bounce: any sender can write a multipart/report naming a message it was copied on.
 */
export function isMailSystemSender(returnPath: string | null, fromAddress: string): boolean {
	return (
		(returnPath !== null && NULL_RETURN_PATH.test(returnPath.trim())) ||
		MAIL_SYSTEM_MAILBOX.test(fromAddress)
	);
}

/**
 * RFC 3834's marks of an automatic answer (`Auto-Submitted` other than `no`), and the headers
 * vacation responders that predate it still send.
 */
function isAutomatic(mail: ParsedMail): boolean {
	const header = (name: string) => headerText(mail.headers.get(name)).trim().toLowerCase();
	const autoSubmitted = header('auto-submitted');
	if (autoSubmitted && autoSubmitted !== 'no') return true;
	if (mail.headers.has('x-autoreply') || mail.headers.has('x-autorespond')) return true;
	return header('precedence') === 'auto_reply';
}

function isDeliveryReport(mail: ParsedMail): boolean {
	const contentType = mail.headers.get('content-type') as
		{ value?: unknown; params?: Record<string, string> } | undefined;
	const reportType = String(contentType?.params?.['report-type'] ?? '').toLowerCase();
	return (
		String(contentType?.value ?? '').toLowerCase() === 'multipart/report' &&
		reportType === 'delivery-status'
	);
}

async function returnedMessageIds(parts: Attachment[]): Promise<string[]> {
	const ids: string[] = [];
	for (const part of parts) {
		// The returned headers are a message header of their own: mailparser reads them as one.
		const returned = await simpleParser(part.content, {
			skipHtmlToText: true,
			skipTextToHtml: true,
		});
		if (returned.messageId) ids.push(...messageIds(returned.messageId));
	}
	return ids;
}

function messageIds(...values: Array<string | string[] | undefined>): string[] {
	return [
		...new Set(values.flat().flatMap((value) => (value ?? '').match(MESSAGE_ID_TOKEN) ?? [])),
	];
}

function headerText(value: HeaderValue | undefined): string {
	if (typeof value === 'string') return value;
	if (Array.isArray(value)) return value.map((entry) => headerText(entry as HeaderValue)).join(' ');
	if (value && typeof value === 'object' && 'value' in value) return String(value.value);
	return '';
}
