import { GmailSmtpError, type Failure } from './GmailSmtpError';

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

const APP_PASSWORD_HINT =
	'Use the full Gmail address as User and a 16-letter App Password (Google Account → Security → 2-Step Verification → App passwords), not the account password.';
const OPEN_PORTS_HINT =
	'Check the host spelling and that outgoing port 465 (TLS) or 587 (STARTTLS) is open: firewalls, antivirus mail scanning, proxies and some ISPs block them.';
const PORT_PAIRS_HINT =
	'Port and security must match: 465 ↔ TLS, 587 ↔ STARTTLS. Change one of them in the credential.';

const CERTIFICATE_CODES = new Set([
	'SELF_SIGNED_CERT_IN_CHAIN',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'UNABLE_TO_GET_ISSUER_CERT',
	'CERT_HAS_EXPIRED',
	'CERT_NOT_YET_VALID',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'CERT_UNTRUSTED',
]);

const TLS_MISMATCH_CODES = new Set([
	'ERR_SSL_WRONG_VERSION_NUMBER',
	'ERR_SSL_PACKET_LENGTH_TOO_LONG',
	'ERR_SSL_UNKNOWN_PROTOCOL',
	'ERR_SSL_RECORD_LAYER_FAILURE',
	'EPROTO',
]);

// The server (or something in between) offers only TLS older than 1.2, which the node refuses.
const TLS_VERSION_CODES = new Set([
	'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
	'ERR_SSL_UNSUPPORTED_PROTOCOL',
	'ERR_SSL_NO_PROTOCOLS_AVAILABLE',
	'ERR_SSL_VERSION_TOO_LOW',
]);

/** `535-5.7.8 Username...` → `5.7.8`: the machine-readable status from RFC 3463. */
export function enhancedStatus(response: string | undefined): string | undefined {
	return response?.match(/^[245]\d\d[ -]([245]\.\d{1,3}\.\d{1,3})\b/)?.[1];
}

/**
 * Maps a failed SMTP exchange to what the user is told and what the node does next
 * (the reply table in DESIGN.md). Unknown failures fall through to a safe, non-retryable default.
 */
export function classifySmtpError(error: unknown, context: ConnectionContext): Failure {
	if (error instanceof GmailSmtpError) return error.failure;
	const fields = (typeof error === 'object' && error !== null ? error : {}) as SmtpErrorFields;
	const code = fields.code;
	const responseCode = typeof fields.responseCode === 'number' ? fields.responseCode : undefined;
	const status = enhancedStatus(fields.response);
	const reply = fields.response ? ` Server replied: ${fields.response.trim()}` : '';
	const failure = (partial: Omit<Failure, 'code' | 'responseCode'>): Failure => ({
		...partial,
		description: partial.description + reply,
		code: fields.originalCode ?? code,
		responseCode,
	});

	if (code === 'EAUTH' || fields.command?.startsWith('AUTH')) {
		if (responseCode === 454) {
			return failure({
				kind: 'throttled',
				retryable: true,
				stopsAccount: true,
				title: 'Too many login attempts',
				description:
					'Gmail refuses new logins for a while. Wait before running again; keep connections reused and send more slowly.',
			});
		}
		if (responseCode === 530) return starttlsFirst(failure);
		if (status === '5.7.9') {
			return failure({
				kind: 'auth',
				retryable: false,
				stopsAccount: true,
				title: 'App Password required',
				description:
					'2-Step Verification is on for this account, so Gmail needs an App Password. Create one under Google Account → Security → 2-Step Verification → App passwords.',
			});
		}
		if (status === '5.7.14') {
			return failure({
				kind: 'auth',
				retryable: false,
				stopsAccount: true,
				title: 'Google blocked the sign-in',
				description:
					'Open Gmail in a browser with this account, review the security alert and confirm it was you, then run again.',
			});
		}
		return failure({
			kind: 'auth',
			retryable: false,
			stopsAccount: true,
			title: 'Username and App Password not accepted',
			description: APP_PASSWORD_HINT,
		});
	}

	if (code === 'ENOAUTH') {
		return failure({
			kind: 'config',
			retryable: false,
			stopsAccount: true,
			title: 'No login details',
			description: 'The credential needs both User and App Password.',
		});
	}

	if (responseCode === 530 && status === '5.7.0') return starttlsFirst(failure);

	const lowLevel = fields.originalCode;
	if (lowLevel && CERTIFICATE_CODES.has(lowLevel)) {
		return failure({
			kind: 'config',
			retryable: false,
			stopsAccount: true,
			title: 'Server certificate not trusted',
			description: `The certificate presented by ${context.host} could not be verified (${lowLevel}). If a proxy or antivirus inspects TLS on this network, paste its CA into the credential's CA Certificate field; otherwise check the host name.`,
		});
	}
	if (lowLevel && TLS_VERSION_CODES.has(lowLevel)) {
		return failure({
			kind: 'config',
			retryable: false,
			stopsAccount: true,
			title: 'TLS version too old',
			description: `${context.host}:${context.port} offers only TLS older than 1.2, which the node refuses so that the App Password is not exposed to known attacks (Gmail offers TLS 1.3). If a proxy or antivirus sits in between, update it or let SMTP bypass it.`,
		});
	}
	if (code === 'ETLS' || (lowLevel && TLS_MISMATCH_CODES.has(lowLevel))) {
		const starttlsMissing = code === 'ETLS' && context.security === 'starttls';
		return failure({
			kind: 'config',
			retryable: false,
			stopsAccount: true,
			title: starttlsMissing ? 'STARTTLS failed' : 'TLS handshake failed',
			description: starttlsMissing
				? `${context.host}:${context.port} did not upgrade the connection with STARTTLS, so the App Password was not sent. ${PORT_PAIRS_HINT}`
				: `Could not establish TLS with ${context.host}:${context.port}. ${PORT_PAIRS_HINT}`,
		});
	}

	if (code === 'EDNS') {
		return failure({
			kind: 'network',
			retryable: false,
			stopsAccount: true,
			title: 'Host not found',
			description: `The name ${context.host} does not resolve. Check the credential's Host (smtp.gmail.com for Gmail).`,
		});
	}
	if (code === 'ETIMEDOUT' || code === 'ECONNECTION' || code === 'ESOCKET') {
		if (responseCode === 421)
			return transient(failure, 'Gmail is busy', 'Gmail closed the connection for now.');
		const refused = lowLevel === 'ECONNREFUSED';
		return failure({
			kind: 'network',
			retryable: true,
			stopsAccount: true,
			title: refused
				? 'Connection refused'
				: code === 'ETIMEDOUT'
					? 'Connection timed out'
					: 'Connection failed',
			description: `Could not talk to ${context.host}:${context.port}. ${OPEN_PORTS_HINT}`,
		});
	}

	switch (responseCode) {
		case 421:
			return transient(failure, 'Gmail is busy', 'Gmail closed the connection for now.');
		case 450:
			return transient(failure, 'Recipient busy', 'The recipient is receiving mail too fast.');
		case 451:
			return transient(
				failure,
				'Temporary server error',
				'Gmail could not take the message just now.',
			);
		case 452:
			return status === '4.5.3'
				? transient(
						failure,
						'Too many recipients',
						'The server takes a limited number of recipients per message: split them or send per item.',
					)
				: transient(
						failure,
						'Mailbox busy',
						"The recipient's mailbox cannot take the message just now (for example, it is over quota).",
					);
		case 454:
			return failure({
				kind: 'throttled',
				retryable: true,
				stopsAccount: true,
				title: 'Gmail is throttling this account',
				description: 'Wait before sending again, and send more slowly.',
			});
		case 552:
			return failure({
				kind: 'message',
				retryable: false,
				stopsAccount: false,
				title: 'Message too large',
				description:
					'Gmail accepts messages up to 25 MB including attachments (about 18 MB of files).',
			});
		case 553:
			return recipient(failure);
	}
	if (responseCode === 550 && status === '5.4.5') {
		return failure({
			kind: 'quota',
			retryable: false,
			stopsAccount: true,
			title: 'Daily sending limit reached',
			description:
				"Gmail counts a rolling 24 hours (free Gmail: about 500 messages; Workspace: 2,000 messages and 10,000 recipients). Sending as this account now pauses for 24 hours in every workflow and n8n process; messages not sent can be sent after that. Lower the credential's Daily Limit so the node stops before Gmail has to.",
		});
	}
	if (fields.command?.startsWith('MAIL') && responseCode !== undefined && responseCode >= 500) {
		return failure({
			kind: 'config',
			retryable: false,
			stopsAccount: false,
			title: 'Sender address refused',
			description:
				'The server refused the From address of this message. With From Email, use an address verified in Gmail under Settings → Accounts → "Send mail as"; otherwise leave From Email empty to send as the account.',
		});
	}
	if (status?.startsWith('5.1.') || code === 'EENVELOPE') return recipient(failure);
	if (code === 'EMESSAGE') {
		return failure({
			kind: 'message',
			retryable: false,
			stopsAccount: false,
			title: 'Message refused',
			description: 'The server refused this message.',
		});
	}
	// Not an SMTP failure at all: say what it was (secrets are redacted before it leaves the node).
	const detail = !code && error instanceof Error ? ` ${error.message}` : '';
	return failure({
		kind: 'unknown',
		retryable: false,
		stopsAccount: false,
		title: 'Sending failed',
		description: `Unexpected failure${code ? ` (${code})` : ''} talking to ${context.host}:${context.port}.${detail}`,
	});
}

type FailureFactory = (partial: Omit<Failure, 'code' | 'responseCode'>) => Failure;

function starttlsFirst(failure: FailureFactory): Failure {
	return failure({
		kind: 'config',
		retryable: false,
		stopsAccount: true,
		title: 'STARTTLS required',
		description: 'The server needs encryption before login. Port 587 needs security STARTTLS.',
	});
}

function transient(failure: FailureFactory, title: string, description: string): Failure {
	return failure({ kind: 'transient', retryable: true, stopsAccount: false, title, description });
}

function recipient(failure: FailureFactory): Failure {
	return failure({
		kind: 'recipient',
		retryable: false,
		stopsAccount: false,
		title: 'Recipient refused',
		description: 'Check the recipient addresses of this item.',
	});
}
