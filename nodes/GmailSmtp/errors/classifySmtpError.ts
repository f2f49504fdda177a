import type { Failure } from './GmailSmtpError';
import { REPLY_RULES } from './smtpRules/replyRules';
import { SESSION_RULES } from './smtpRules/sessionRules';
import type { ConnectionContext, FailureText, Rule, SmtpReply } from './smtpRules/smtpRule';

/**
 * Gmail's replies (and the transport's failures) → what the user is told and what the node does,
 * as in the reply table of DESIGN.md. First match wins: the session's failures (login replies
 * before transport codes) before the replies about one message.
 */
const RULES: Rule[] = [...SESSION_RULES, ...REPLY_RULES];

/** The fields nodemailer puts on its errors; classification reads these, never the message text. */
export interface SmtpErrorFields {
	code?: string;
	originalCode?: string;
	responseCode?: number;
	response?: string;
	command?: string;
}

/** `535-5.7.8 Username...` → `5.7.8`: the machine-readable status from RFC 3463. */
export function enhancedStatus(response: string | undefined): string | undefined {
	return response?.match(/^[245]\d\d[ -]([245]\.\d{1,3}\.\d{1,3})\b/)?.[1];
}

/**
 * Maps a failed SMTP exchange (nodemailer's error) to what the user is told and what the node does
 * next: the first rule that matches. Anything else falls through to a safe, non-retryable
 * default. Our own errors never come here: they carry their failure.
 */
export function classifySmtpError(error: unknown, context: ConnectionContext): Failure {
	const fields = (typeof error === 'object' && error !== null ? error : {}) as SmtpErrorFields;
	const reply: SmtpReply = {
		code: fields.code,
		lowLevel: fields.originalCode,
		responseCode: typeof fields.responseCode === 'number' ? fields.responseCode : undefined,
		status: enhancedStatus(fields.response),
		command: fields.command,
	};
	const rule = RULES.find((candidate) => candidate.matches(reply));
	const text = rule
		? typeof rule.failure === 'function'
			? rule.failure(reply, context)
			: rule.failure
		: unexpected(reply, error, context);
	return {
		...text,
		description:
			text.description + (fields.response ? ` Server replied: ${fields.response.trim()}` : ''),
		code: fields.originalCode ?? fields.code,
		responseCode: reply.responseCode,
	};
}

/** Not an SMTP failure at all: say what it was (secrets are redacted before it leaves the node). */
function unexpected(reply: SmtpReply, error: unknown, context: ConnectionContext): FailureText {
	const { code } = reply;
	const detail = !code && error instanceof Error ? ` ${error.message}` : '';
	return {
		kind: 'unknown',
		retryable: false,
		stopsAccount: false,
		title: 'Sending failed',
		description: `Unexpected failure${code ? ` (${code})` : ''} talking to ${context.host}:${context.port}.${detail}`,
	};
}
