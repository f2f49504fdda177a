import type { Failure } from './GmailSmtpError';
import { CERTIFICATE_CODES, TLS_VERSION_CODES } from './tlsCodes';

/** The fields nodemailer puts on its errors; classification reads these, never the message text. */
export interface SmtpErrorFields {
	code?: string;
	originalCode?: string;
	responseCode?: number;
	response?: string;
	command?: string;
}

export interface ConnectionContext {
	host: string;
	port: number;
	security: 'tls' | 'starttls';
}

/** What the rules look at: nodemailer's fields, with the enhanced status read from the reply. */
interface SmtpReply {
	code?: string;
	/** Node's or OpenSSL's code under nodemailer's (`ECONNREFUSED`, `ERR_SSL_…`, certificate codes). */
	lowLevel?: string;
	responseCode?: number;
	status?: string;
	command?: string;
}

type FailureText = Omit<Failure, 'code' | 'responseCode'>;

interface Rule {
	/** The reply this rule answers, as in the reply table of DESIGN.md. */
	reply: string;
	matches(reply: SmtpReply): boolean;
	failure: FailureText | ((reply: SmtpReply, context: ConnectionContext) => FailureText);
}

const APP_PASSWORD_HINT =
	'Use the full Gmail address as User and a 16-letter App Password (Google Account → Security → 2-Step Verification → App passwords), not the account password.';
const OPEN_PORTS_HINT =
	'Check the host spelling and that outgoing port 465 (TLS) or 587 (STARTTLS) is open: firewalls, antivirus mail scanning, proxies and some ISPs block them.';
const PORT_PAIRS_HINT =
	'Port and security must match: 465 ↔ TLS, 587 ↔ STARTTLS. Change one of them in the credential.';

const TLS_MISMATCH_CODES = new Set([
	'ERR_SSL_WRONG_VERSION_NUMBER',
	'ERR_SSL_PACKET_LENGTH_TOO_LONG',
	'ERR_SSL_UNKNOWN_PROTOCOL',
	'ERR_SSL_RECORD_LAYER_FAILURE',
	'EPROTO',
]);

const CONNECTION_CODES = new Set(['ETIMEDOUT', 'ECONNECTION', 'ESOCKET']);

const isLogin = (reply: SmtpReply) =>
	reply.code === 'EAUTH' || Boolean(reply.command?.startsWith('AUTH'));

const STARTTLS_FIRST: FailureText = {
	kind: 'config',
	retryable: false,
	stopsAccount: true,
	title: 'STARTTLS required',
	description: 'The server needs encryption before login. Port 587 needs security STARTTLS.',
};

const GMAIL_BUSY = transient('Gmail is busy', 'Gmail closed the connection for now.');

const RECIPIENT_REFUSED: FailureText = {
	kind: 'recipient',
	retryable: false,
	stopsAccount: false,
	title: 'Recipient refused',
	description: 'Check the recipient addresses of this item.',
};

/** First match wins: login replies before transport codes, transport codes before reply codes. */
const RULES: Rule[] = [
	{
		reply: '454 4.7.0 Too many login attempts',
		matches: (reply) => isLogin(reply) && reply.responseCode === 454,
		failure: {
			kind: 'throttled',
			retryable: true,
			stopsAccount: true,
			title: 'Too many login attempts',
			description:
				'Gmail refuses new logins for a while. Wait before running again; keep connections reused and send more slowly.',
		},
	},
	{
		reply: '530 5.7.0 Must issue a STARTTLS command first',
		matches: (reply) => reply.responseCode === 530 && (isLogin(reply) || reply.status === '5.7.0'),
		failure: STARTTLS_FIRST,
	},
	{
		reply: '534-5.7.9 Application-specific password required',
		matches: (reply) => isLogin(reply) && reply.status === '5.7.9',
		failure: {
			kind: 'auth',
			retryable: false,
			stopsAccount: true,
			title: 'App Password required',
			description:
				'2-Step Verification is on for this account, so Gmail needs an App Password. Create one under Google Account → Security → 2-Step Verification → App passwords.',
		},
	},
	{
		reply: '534-5.7.14 Please log in via your web browser',
		matches: (reply) => isLogin(reply) && reply.status === '5.7.14',
		failure: {
			kind: 'auth',
			retryable: false,
			stopsAccount: true,
			title: 'Google blocked the sign-in',
			description:
				'Open Gmail in a browser with this account, review the security alert and confirm it was you, then run again.',
		},
	},
	{
		reply: '535-5.7.8 Username and Password not accepted (and any other refused login)',
		matches: isLogin,
		failure: {
			kind: 'auth',
			retryable: false,
			stopsAccount: true,
			title: 'Username and App Password not accepted',
			description: APP_PASSWORD_HINT,
		},
	},
	{
		reply: 'no login details (ENOAUTH)',
		matches: (reply) => reply.code === 'ENOAUTH',
		failure: {
			kind: 'config',
			retryable: false,
			stopsAccount: true,
			title: 'No login details',
			description: 'The credential needs both User and App Password.',
		},
	},
	{
		reply: 'certificate not verified',
		matches: (reply) => CERTIFICATE_CODES.has(reply.lowLevel ?? ''),
		failure: (reply, context) => ({
			kind: 'config',
			retryable: false,
			stopsAccount: true,
			title: 'Server certificate not trusted',
			description: `The certificate presented by ${context.host} could not be verified (${reply.lowLevel}). If a proxy or antivirus inspects TLS on this network, paste its CA into the credential's CA Certificate field; otherwise check the host name.`,
		}),
	},
	{
		reply: 'TLS older than 1.2 only',
		matches: (reply) => TLS_VERSION_CODES.has(reply.lowLevel ?? ''),
		failure: (_reply, context) => ({
			kind: 'config',
			retryable: false,
			stopsAccount: true,
			title: 'TLS version too old',
			description: `${context.host}:${context.port} offers only TLS older than 1.2, which the node refuses so that the App Password is not exposed to known attacks (Gmail offers TLS 1.3). If a proxy or antivirus sits in between, update it or let SMTP bypass it.`,
		}),
	},
	{
		reply: 'TLS "wrong version number" / handshake fails / STARTTLS refused',
		matches: (reply) => reply.code === 'ETLS' || TLS_MISMATCH_CODES.has(reply.lowLevel ?? ''),
		failure: (reply, context) =>
			reply.code === 'ETLS' && context.security === 'starttls'
				? {
						kind: 'config',
						retryable: false,
						stopsAccount: true,
						title: 'STARTTLS failed',
						description: `${context.host}:${context.port} did not upgrade the connection with STARTTLS, so the App Password was not sent. ${PORT_PAIRS_HINT}`,
					}
				: {
						kind: 'config',
						retryable: false,
						stopsAccount: true,
						title: 'TLS handshake failed',
						description: `Could not establish TLS with ${context.host}:${context.port}. ${PORT_PAIRS_HINT}`,
					},
	},
	{
		reply: 'EDNS',
		matches: (reply) => reply.code === 'EDNS',
		failure: (_reply, context) => ({
			kind: 'network',
			retryable: false,
			stopsAccount: true,
			title: 'Host not found',
			description: `The name ${context.host} does not resolve. Check the credential's Host (smtp.gmail.com for Gmail).`,
		}),
	},
	{
		reply: '421 4.7.0 Try again later / 421 4.3.0 / 421 4.4.5',
		matches: (reply) => reply.responseCode === 421,
		failure: GMAIL_BUSY,
	},
	{
		reply: 'ECONNREFUSED / ETIMEDOUT / connection lost',
		matches: (reply) => CONNECTION_CODES.has(reply.code ?? ''),
		failure: (reply, context) => ({
			kind: 'network',
			retryable: true,
			stopsAccount: true,
			title:
				reply.lowLevel === 'ECONNREFUSED'
					? 'Connection refused'
					: reply.code === 'ETIMEDOUT'
						? 'Connection timed out'
						: 'Connection failed',
			description: `Could not talk to ${context.host}:${context.port}. ${OPEN_PORTS_HINT}`,
		}),
	},
	{
		reply: '450 4.2.1',
		matches: (reply) => reply.responseCode === 450,
		failure: transient('Recipient busy', 'The recipient is receiving mail too fast.'),
	},
	{
		reply: '451',
		matches: (reply) => reply.responseCode === 451,
		failure: transient('Temporary server error', 'Gmail could not take the message just now.'),
	},
	{
		reply: '452 4.5.3 too many recipients',
		matches: (reply) => reply.responseCode === 452 && reply.status === '4.5.3',
		failure: transient(
			'Too many recipients',
			'The server takes a limited number of recipients per message: split them or send per item.',
		),
	},
	{
		reply: '452 (mailbox busy or over quota)',
		matches: (reply) => reply.responseCode === 452,
		failure: transient(
			'Mailbox busy',
			"The recipient's mailbox cannot take the message just now (for example, it is over quota).",
		),
	},
	{
		reply: '454 (outside login)',
		matches: (reply) => reply.responseCode === 454,
		failure: {
			kind: 'throttled',
			retryable: true,
			stopsAccount: true,
			title: 'Gmail is throttling this account',
			description: 'Wait before sending again, and send more slowly.',
		},
	},
	{
		reply: '552-5.2.3 / 552 5.3.4 message too large',
		matches: (reply) => reply.responseCode === 552,
		failure: {
			kind: 'message',
			retryable: false,
			stopsAccount: false,
			title: 'Message too large',
			description:
				'Gmail accepts messages up to 25 MB including attachments (about 18 MB of files).',
		},
	},
	{
		reply: '553-5.1.2 recipient domain not found',
		matches: (reply) => reply.responseCode === 553,
		failure: RECIPIENT_REFUSED,
	},
	{
		reply: '550-5.4.5 Daily user sending limit exceeded',
		matches: (reply) => reply.responseCode === 550 && reply.status === '5.4.5',
		failure: {
			kind: 'quota',
			retryable: false,
			stopsAccount: true,
			title: 'Daily sending limit reached',
			description:
				"Gmail counts a rolling 24 hours (free Gmail: about 500 messages; Workspace: 2,000 messages and 10,000 recipients). Sending as this account now pauses for 24 hours in every workflow and n8n process; messages not sent can be sent after that. Lower the credential's Daily Limit so the node stops before Gmail has to.",
		},
	},
	{
		reply: '5xx to MAIL FROM (sender or alias refused)',
		matches: (reply) =>
			Boolean(reply.command?.startsWith('MAIL')) && (reply.responseCode ?? 0) >= 500,
		failure: {
			kind: 'config',
			retryable: false,
			stopsAccount: false,
			title: 'Sender address refused',
			description:
				'The server refused the From address of this message. With From Email, use an address verified in Gmail under Settings → Accounts → "Send mail as"; otherwise leave From Email empty to send as the account.',
		},
	},
	{
		reply: '5.1.x / EENVELOPE: recipient refused',
		matches: (reply) => Boolean(reply.status?.startsWith('5.1.')) || reply.code === 'EENVELOPE',
		failure: RECIPIENT_REFUSED,
	},
	{
		reply: 'EMESSAGE',
		matches: (reply) => reply.code === 'EMESSAGE',
		failure: {
			kind: 'message',
			retryable: false,
			stopsAccount: false,
			title: 'Message refused',
			description: 'The server refused this message.',
		},
	},
];

/** `535-5.7.8 Username...` → `5.7.8`: the machine-readable status from RFC 3463. */
export function enhancedStatus(response: string | undefined): string | undefined {
	return response?.match(/^[245]\d\d[ -]([245]\.\d{1,3}\.\d{1,3})\b/)?.[1];
}

/**
 * Maps a failed SMTP exchange (nodemailer's error) to what the user is told and what the node does
 * next: the first rule of the reply table that matches. Anything else falls through to a safe,
 * non-retryable default. Our own errors never come here: they carry their failure.
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

function transient(title: string, description: string): FailureText {
	return { kind: 'transient', retryable: true, stopsAccount: false, title, description };
}
