import { GmailSmtpError } from '../errors/GmailSmtpError';
import type { MessageDraft } from './messageDraft';

/** Gmail refuses messages over 25 MB as sent, i.e. after base64 encoding of attachments. */
export const GMAIL_MAX_MESSAGE_BYTES = 25 * 1024 * 1024;

const BASE64_LINE_LENGTH = 76;
// Header block, MIME boundaries and part headers: generous, as they are tiny next to the limit.
const HEADER_ALLOWANCE_BYTES = 4096;
const PART_HEADER_ALLOWANCE_BYTES = 512;

/**
 * The size of the message as it will go over the wire: base64 grows content by 4/3, plus a line
 * break every 76 characters. Text parts are counted at the larger of their base64 and
 * quoted-printable sizes, as nodemailer may choose either.
 */
export function estimateEncodedSize(draft: MessageDraft): number {
	const customHeaders = (draft.headers ?? []).map(
		(header) =>
			header.key.length +
			headerTextSize(typeof header.value === 'string' ? header.value : header.value.value) +
			4,
	);
	const addresses = [draft.from, ...draft.to, ...draft.cc, ...draft.replyTo].map(
		(address) => headerTextSize(address.name) + address.address.length + 6,
	);
	const threading = [draft.inReplyTo ?? '', ...(draft.references ?? [])].map((id) => id.length + 1);
	const headers = [
		headerTextSize(draft.subject),
		...customHeaders,
		...addresses,
		...threading,
	].reduce((total, size) => total + size, HEADER_ALLOWANCE_BYTES);
	const bodies = [draft.html, draft.text]
		.filter((body): body is string => Boolean(body))
		.map((body) => textPartSize(body) + PART_HEADER_ALLOWANCE_BYTES);
	const files = (draft.attachments ?? []).map(
		(part) =>
			base64Size(part.content.length) +
			PART_HEADER_ALLOWANCE_BYTES +
			Buffer.byteLength(part.filename) * 3,
	);
	return [...bodies, ...files].reduce((total, size) => total + size, headers);
}

/** Refuses, before any connection, a message Gmail would reject (552) after a long upload. */
export function assertWithinGmailSizeLimit<Draft extends MessageDraft>(draft: Draft): Draft {
	const size = estimateEncodedSize(draft);
	if (size <= GMAIL_MAX_MESSAGE_BYTES) return draft;
	const files = (draft.attachments ?? [])
		.map((part) => `${part.filename} ${megabytes(part.content.length)}`)
		.join(', ');
	throw new GmailSmtpError({
		kind: 'message',
		retryable: false,
		stopsAccount: false,
		title: 'Message too large for Gmail',
		description: `This message would be about ${megabytes(size)} as sent; Gmail accepts at most ${megabytes(GMAIL_MAX_MESSAGE_BYTES)}. Email encoding makes attachments about a third larger, so about 18 MB of files fit.${
			files ? ` Attachments: ${files}.` : ''
		} Send fewer or smaller files, or share large files as a link.`,
	});
}

/** A header value as sent: ASCII as is, anything else as encoded words (at most 3 bytes a byte). */
function headerTextSize(text: string): number {
	return /^[\x20-\x7e]*$/.test(text) ? text.length : Buffer.byteLength(text) * 3;
}

function textPartSize(text: string): number {
	// Printable ASCII but "=" is one byte in quoted-printable; every other byte of the UTF-8 takes
	// three (=XX). Counted with a regular expression: a byte loop costs a third of a millisecond
	// for a 14 KB MJML message.
	const bytes = Buffer.byteLength(text);
	const literal = text.replace(QUOTED_PRINTABLE_ESCAPED, '').length;
	let quotedPrintable = literal + 3 * (bytes - literal);
	quotedPrintable += Math.ceil(quotedPrintable / 73) * 3;
	return Math.max(quotedPrintable, base64Size(bytes));
}

const QUOTED_PRINTABLE_ESCAPED = /[^\x20-\x3c\x3e-\x7e]+/g;

function base64Size(bytes: number): number {
	const encoded = Math.ceil(bytes / 3) * 4;
	return encoded + Math.ceil(encoded / BASE64_LINE_LENGTH) * 2;
}

/** A size as people read it: `1.5 MB`. */
export function megabytes(bytes: number): string {
	return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
