import type { Failure } from './GmailSmtpError';
import { CERTIFICATE_CODES, TLS_VERSION_CODES } from './tlsCodes';

/** The fields imapflow puts on its errors; classification reads these, never the message text. */
export interface ImapErrorFields {
	code?: string;
	/** Set when the server refused the login (a tagged NO/BAD to LOGIN or AUTHENTICATE). */
	authenticationFailed?: boolean;
	/** The response code in brackets: `NO [AUTHENTICATIONFAILED] ...` → `AUTHENTICATIONFAILED`. */
	serverResponseCode?: string;
	/** The server's words after the response code, e.g. Gmail's `[ALERT]` text. */
	responseText?: string;
	/** Set by imapflow when SELECT/EXAMINE failed because the mailbox does not exist. */
	mailboxMissing?: boolean;
	/** The tagged answer to a command the server refused: `NO` or `BAD`. */
	responseStatus?: string;
	/** Which command a refusal answered, when it is one of ours (`SEARCH`, `FETCH`). */
	command?: string;
	/** Set when the connection broke while a command ran (`code` ETIMEOUT: the server went quiet). */
	connectionLost?: boolean;
}

export interface ImapContext {
	imapHost: string;
	imapPort: number;
	mailbox?: string;
}

const IMAP_LOGIN_HINT =
	'SMTP and IMAP are allowed separately. Check that (1) IMAP is on for the account (Gmail: Settings → See all settings → Forwarding and POP/IMAP), (2) in Google Workspace, the admin allows IMAP (Admin console → Apps → Google Workspace → Gmail → End User Access → POP and IMAP access) and App Passwords, and (3) User is the full address and App Password a 16-letter App Password, not the account password.';
const OPEN_PORT_HINT =
	'Check IMAP Host and IMAP Port in the credential (imap.gmail.com, 993) and that outgoing port 993 is open: firewalls and proxies may block it.';

// The port answers in plain text (143) or speaks no TLS this client accepts.
const TLS_HANDSHAKE_CODES = new Set([
	'ERR_SSL_WRONG_VERSION_NUMBER',
	'ERR_SSL_PACKET_LENGTH_TOO_LONG',
	'ERR_SSL_UNKNOWN_PROTOCOL',
	...TLS_VERSION_CODES,
	'EPROTO',
	'ClosedAfterConnectTLS',
]);

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'ETIMEOUT']);
const CONNECTION_LOST_CODES = new Set([
	'ECONNRESET',
	'EPIPE',
	'NoConnection',
	'EConnectionClosed',
	'ClosedAfterConnectText',
]);

/**
 * Maps a failed IMAP exchange (imapflow's structured fields) to what the user is told. A refused
 * login gets its own hint: IMAP may be off while SMTP works.
 */
export function classifyImapError(error: unknown, context: ImapContext): Failure {
	const fields = (typeof error === 'object' && error !== null ? error : {}) as ImapErrorFields;
	const code = fields.code;
	const where = `${context.imapHost}:${context.imapPort}`;
	const said = fields.responseText ? ` Server replied: ${fields.responseText.trim()}` : '';
	const failure = (partial: Omit<Failure, 'code'>): Failure => ({ ...partial, code });

	if (fields.authenticationFailed) {
		switch (fields.serverResponseCode?.toUpperCase()) {
			case 'UNAVAILABLE':
				return failure({
					kind: 'transient',
					retryable: true,
					stopsAccount: true,
					title: 'IMAP login temporarily unavailable',
					description: `The server could not check the login just now; run again later.${said}`,
				});
			case 'WEBALERT':
				return failure({
					kind: 'auth',
					retryable: false,
					stopsAccount: true,
					title: 'Google blocked the IMAP sign-in',
					description: `Open Gmail in a browser with this account, review the security alert and confirm it was you, then run again.${said}`,
				});
			default:
				return failure({
					kind: 'auth',
					retryable: false,
					stopsAccount: true,
					title: 'IMAP login not accepted',
					description: `${IMAP_LOGIN_HINT}${said}`,
				});
		}
	}
	if (fields.mailboxMissing || fields.serverResponseCode?.toUpperCase() === 'NONEXISTENT') {
		return failure({
			kind: 'config',
			retryable: false,
			stopsAccount: true,
			title: 'Mailbox not found',
			description: `The mailbox "${context.mailbox ?? ''}" does not exist on ${where}. Give its full path as the server lists it (e.g. "INBOX" or "Archive/2026"), or leave Mailbox empty.`,
		});
	}
	if (code === 'ETHROTTLE') {
		return failure({
			kind: 'throttled',
			retryable: true,
			stopsAccount: true,
			title: 'The IMAP server is throttling this account',
			description: 'Wait before checking again, and check fewer items at a time.',
		});
	}
	if (code && CERTIFICATE_CODES.has(code)) {
		return failure({
			kind: 'config',
			retryable: false,
			stopsAccount: true,
			title: 'IMAP server certificate not trusted',
			description: `The certificate presented by ${context.imapHost} could not be verified (${code}). If a proxy or antivirus inspects TLS on this network, paste its CA into the credential's CA Certificate field; otherwise check IMAP Host.`,
		});
	}
	if (code && TLS_HANDSHAKE_CODES.has(code)) {
		return failure({
			kind: 'config',
			retryable: false,
			stopsAccount: true,
			title: 'IMAP TLS handshake failed',
			description: `Could not establish TLS with ${where}. The node speaks IMAP with TLS from the first byte (port 993) and TLS 1.2 or newer; check IMAP Port.`,
		});
	}
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
		return failure({
			kind: 'network',
			retryable: false,
			stopsAccount: true,
			title: 'IMAP host not found',
			description: `The name ${context.imapHost} does not resolve. Check the credential's IMAP Host (imap.gmail.com for Gmail).`,
		});
	}
	if (code === 'ECONNREFUSED' || (code && TIMEOUT_CODES.has(code))) {
		return failure({
			kind: 'network',
			retryable: true,
			stopsAccount: true,
			title: code === 'ECONNREFUSED' ? 'IMAP connection refused' : 'IMAP connection timed out',
			description: `Could not talk to ${where}. ${OPEN_PORT_HINT}`,
		});
	}
	if (code === 'TooManyReconnects') {
		return failure({
			kind: 'network',
			retryable: true,
			stopsAccount: true,
			title: 'IMAP connection kept breaking',
			description: `The connection to ${where} broke again after logging in anew several times during the search, so no item could be answered for sure; run again later.`,
		});
	}
	if (code && CONNECTION_LOST_CODES.has(code)) {
		return failure({
			kind: 'network',
			retryable: true,
			stopsAccount: true,
			title: 'IMAP connection lost',
			description: `The connection to ${where} closed before the search finished; run again.`,
		});
	}
	// Not one we know: say what it was (secrets are redacted before it leaves the node).
	const detail = error instanceof Error ? ` ${error.message}` : '';
	return failure({
		kind: 'unknown',
		retryable: false,
		stopsAccount: true,
		title: 'Checking replies failed',
		description: `Unexpected failure${code ? ` (${code})` : ''} talking to ${where}.${detail}${said}`,
	});
}

// How much of a Message-ID an error message quotes.
const QUOTED_ID_LENGTH = 200;

/**
 * What one item is told when the search for its Message-ID did not complete: the server refused
 * it (also when searched alone), or the connection broke or went quiet during it. Anything else is
 * {@link classifyImapError}'s. Never a "no reply": whether it was answered is unknown.
 */
export function classifySearchError(
	error: unknown,
	context: ImapContext,
	messageId: string,
): Failure {
	const fields = (typeof error === 'object' && error !== null ? error : {}) as ImapErrorFields;
	const where = `${context.imapHost}:${context.imapPort}`;
	const id =
		messageId.length > QUOTED_ID_LENGTH
			? `${messageId.slice(0, QUOTED_ID_LENGTH - 3)}...`
			: messageId;
	const unknown = 'Whether it was answered or bounced is unknown: it is not reported as "no".';
	const status = fields.responseStatus?.toUpperCase();
	if (!fields.authenticationFailed && (status === 'NO' || status === 'BAD')) {
		const code = fields.serverResponseCode ? `[${fields.serverResponseCode}] ` : '';
		const answer = `${status} ${code}${(fields.responseText ?? '').trim()}`.trim();
		const reading = fields.command === 'FETCH';
		return {
			kind: status === 'NO' ? 'transient' : 'unknown',
			retryable: status === 'NO',
			stopsAccount: false,
			title: reading
				? 'The IMAP server refused to read a message found'
				: 'The IMAP server refused the search',
			description: `${
				reading
					? `Reading a message on ${where} that may answer ${id} (one found by the same search)`
					: `Searching ${where} for ${id}`
			}, the server answered: ${answer}. ${unknown} ${
				status === 'NO'
					? 'The server could not carry out the search just now: run again later.'
					: 'The server did not accept a search for this Message-ID: check that Message ID holds the messageId output of the earlier send, as sent.'
			}`,
			messageId,
		};
	}
	if (fields.connectionLost) {
		const timedOut = fields.code === 'ETIMEOUT';
		return {
			kind: 'network',
			retryable: true,
			stopsAccount: false,
			title: timedOut ? 'The IMAP search timed out' : 'IMAP connection lost during the search',
			description: `${
				timedOut
					? `${where} stopped answering while searching for ${id}`
					: `The connection to ${where} closed while searching for ${id}`
			}, also when it was searched alone. ${unknown} Run again; if it keeps happening for this Message-ID, check it with the mail provider.`,
			code: fields.code,
			messageId,
		};
	}
	return { ...classifyImapError(error, context), messageId };
}
