import { inputError } from '../errors/GmailSmtpError';
import { breaksHeaderLine, isUnset, truncate } from '../fieldText';

export interface ThreadingOptions {
	/** Message-ID of the message this one answers, e.g. the `messageId` output of an earlier send. */
	inReplyTo?: unknown;
	/** Earlier Message-IDs of the conversation, oldest first. */
	references?: unknown;
	/** Prefix the subject with `Re: ` when the message is threaded. */
	prefixSubjectWithRe?: unknown;
}

export interface ThreadHeaders {
	inReplyTo?: string;
	references?: string[];
	subject: string;
}

// RFC 5322 msg-id without the angle brackets: printable ASCII, no spaces, brackets or second @.
const MESSAGE_ID_PART = '[\\x21-\\x3b\\x3d\\x3f\\x41-\\x7e]+';
const MESSAGE_ID = new RegExp(`^<${MESSAGE_ID_PART}@${MESSAGE_ID_PART}>$`);
const RE_PREFIX = /^re\s*(\[\d+\])?\s*:/i;
// How much of a refused Message-ID an error message quotes.
const QUOTED_LENGTH = 80;

/**
 * `In-Reply-To` and `References` that put a follow-up into the thread of an earlier message
 * (RFC 5322 3.6.4). `References` lists the earlier IDs and ends with the one answered; without an
 * explicit In Reply To, the last reference is the message answered.
 */
export function buildThreadHeaders(options: ThreadingOptions, subject: string): ThreadHeaders {
	const references = messageIdList(options.references, 'References');
	const explicitParent = messageIdList(options.inReplyTo, 'In Reply To');
	if (explicitParent.length > 1) {
		throw inputError(
			'Invalid In Reply To',
			'In Reply To takes the Message-ID of one message. Put earlier messages of the conversation in References.',
		);
	}
	const parent = explicitParent[0] ?? references[references.length - 1];
	if (!parent) return { subject };

	const chain = references.filter((id) => id !== parent);
	return {
		inReplyTo: parent,
		references: [...new Set(chain), parent],
		subject:
			options.prefixSubjectWithRe === true && !RE_PREFIX.test(subject) ? `Re: ${subject}` : subject,
	};
}

/** Normalises one Message-ID: surrounding whitespace removed, angle brackets added if missing. */
export function normalizeMessageId(value: string, label: string): string {
	const trimmed = value.trim();
	const id = trimmed.startsWith('<') ? trimmed : `<${trimmed}>`;
	if (!MESSAGE_ID.test(id)) throw notAMessageId(trimmed, label);
	return id;
}

function notAMessageId(text: string, label: string) {
	return inputError(
		`Invalid ${label}`,
		`"${truncate(text, QUOTED_LENGTH)}" in ${label} is not a Message-ID. A Message-ID looks like <unique-part@domain>, such as the messageId output of an earlier send.`,
	);
}

function messageIdList(value: unknown, label: string): string[] {
	const parts = (Array.isArray(value) ? value : [value]).filter((part) => !isUnset(part));
	const ids: string[] = [];
	for (const part of parts) {
		if (typeof part !== 'string') {
			throw inputError(
				`Invalid ${label}`,
				`${label} must be a Message-ID as text (or a list of them), got ${typeof part}.`,
			);
		}
		if (breaksHeaderLine(part.trim())) {
			throw inputError(
				`Invalid ${label}`,
				`${label} contains a line break or control character; give Message-IDs on one line.`,
			);
		}
		const tokens = part.split(/[\s,]+|(?<=>)(?=<)/).filter(Boolean);
		// `not a message id` is one bad value, not four: quote what the user gave.
		if (tokens.length > 1 && !tokens.some((token) => token.includes('@'))) {
			throw notAMessageId(part.trim(), label);
		}
		ids.push(...tokens.map((token) => normalizeMessageId(token, label)));
	}
	return ids;
}
