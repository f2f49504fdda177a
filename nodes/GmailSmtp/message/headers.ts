import { inputError } from '../errors/GmailSmtpError';
import { hasControlCharacter, isUnset, truncate } from '../fieldText';

/** A header line in the form nodemailer takes; a prepared value goes out exactly as given. */
export interface HeaderLine {
	key: string;
	value: string | { prepared: true; value: string };
}

export interface CustomHeaderEntry {
	name?: unknown;
	value?: unknown;
}

// RFC 5322 field name: printable US-ASCII except the colon. Space is not printable here.
const HEADER_NAME = /^[\x21-\x39\x3b-\x7e]+$/;
const MAX_HEADER_NAME_LENGTH = 76;
const MAX_UNBROKEN_VALUE_LENGTH = 900;
/** RFC 5322: a header line is at most this many characters (the line break not counted). */
export const MAX_HEADER_LINE_LENGTH = 998;
const UNBREAKABLE_ASCII_WORD = new RegExp(`\\S{${MAX_UNBROKEN_VALUE_LENGTH + 1}}`);
// How much of a refused name or value an error message quotes.
const QUOTED_LENGTH = 60;

/** Headers the node writes itself, with where the user sets them instead (if anywhere). */
const PROTECTED_HEADERS: Record<string, string> = {
	from: 'the From Name and From Email options',
	sender: 'the sending account',
	to: 'the To field',
	cc: 'the CC option',
	bcc: 'the BCC option',
	'reply-to': 'the Reply-To option',
	subject: 'the Subject field',
	date: 'the time of sending',
	'message-id': 'the sending account (one unique ID per message)',
	'mime-version': 'the message structure',
	'return-path': 'the receiving server from the sending account',
	received: 'the servers on the way',
	'dkim-signature': 'Gmail when it signs the message',
	'in-reply-to': 'the In Reply To option',
	references: 'the In Reply To and References options',
	'list-unsubscribe': 'the Unsubscribe URL and Unsubscribe Email options',
	'list-unsubscribe-post': 'the Unsubscribe URL option',
	'x-priority': 'the Priority option',
	'x-msmail-priority': 'the Priority option',
	importance: 'the Priority option',
};

/**
 * Validates the user's custom headers (from the `customHeaders` fixed collection) and returns them
 * as header lines. Rows whose name and value are both empty, or whose value is empty, are left out,
 * so an expression can drop a header for some items.
 */
export function parseCustomHeaders(input: unknown): HeaderLine[] {
	const lines: HeaderLine[] = [];
	for (const entry of customHeaderEntries(input)) {
		if (typeof entry.name === 'string' && hasControlCharacter(entry.name)) {
			throw inputError(
				'Invalid custom header name',
				`The custom header name "${printable(entry.name)}" contains a line break or control character.`,
			);
		}
		const name = typeof entry.name === 'string' ? entry.name.trim() : entry.name;
		const value = headerValueText(entry.value, name);
		if (isUnset(name)) {
			if (value === '') continue;
			throw inputError(
				'Custom header without a name',
				`A custom header has the value "${truncate(value, QUOTED_LENGTH)}" but no name. Fill in its name or remove the row.`,
			);
		}
		if (typeof name !== 'string') {
			throw inputError('Invalid custom header name', 'A custom header name must be text.');
		}
		assertValidHeaderName(name);
		if (value === '') continue;
		lines.push({ key: name, value });
	}
	return lines;
}

function assertValidHeaderName(name: string): void {
	if (!HEADER_NAME.test(name) || name.length > MAX_HEADER_NAME_LENGTH) {
		throw inputError(
			'Invalid custom header name',
			`"${truncate(name, QUOTED_LENGTH)}" is not a valid header name: use up to ${MAX_HEADER_NAME_LENGTH} letters, digits and dashes without spaces or colons, e.g. X-Campaign-ID.`,
		);
	}
	const lower = name.toLowerCase();
	const owner =
		PROTECTED_HEADERS[lower] ??
		(lower.startsWith('content-') ? 'the message structure (body and attachments)' : undefined);
	if (owner) {
		throw inputError(
			`Header "${name}" cannot be set as a custom header`,
			`The node sets ${name} itself, from ${owner}. Remove it from Custom Headers.`,
		);
	}
}

function headerValueText(value: unknown, name: unknown): string {
	if (value === undefined || value === null) return '';
	if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
		throw inputError(
			'Invalid custom header value',
			`The value of custom header "${String(name)}" must be text, got ${Array.isArray(value) ? 'a list' : typeof value}.`,
		);
	}
	const text = String(value);
	if (hasControlCharacter(text)) {
		throw inputError(
			'Invalid custom header value',
			`The value of custom header "${String(name)}" contains a line break or control character; a header value must be one line of text.`,
		);
	}
	assertFitsHeaderLine(text, `custom header "${String(name)}"`, 'Invalid custom header value');
	return text.trim();
}

/**
 * nodemailer folds long header values at spaces; an ASCII word it cannot break would make a line
 * longer than the 998 characters RFC 5322 allows, so it is refused, naming the field. (Non-ASCII
 * values are split into encoded words, which fold.)
 */
export function assertFitsHeaderLine(text: string, field: string, title: string): void {
	if (/^[\x20-\x7e]*$/.test(text) && UNBREAKABLE_ASCII_WORD.test(text)) {
		throw inputError(
			title,
			`The ${field} has a word of more than ${MAX_UNBROKEN_VALUE_LENGTH} characters without spaces, which cannot fit on a header line (${MAX_HEADER_LINE_LENGTH} characters at most). Shorten it.`,
		);
	}
}

function customHeaderEntries(input: unknown): CustomHeaderEntry[] {
	if (isUnset(input)) return [];
	const list = Array.isArray(input) ? input : (input as { header?: unknown }).header;
	if (list === undefined) return [];
	if (!Array.isArray(list) || list.some((entry) => typeof entry !== 'object' || entry === null)) {
		throw inputError(
			'Invalid custom headers',
			'Custom Headers must be a list of name/value pairs.',
		);
	}
	return list as CustomHeaderEntry[];
}

function printable(text: string): string {
	return truncate(JSON.stringify(text).slice(1, -1), QUOTED_LENGTH);
}
