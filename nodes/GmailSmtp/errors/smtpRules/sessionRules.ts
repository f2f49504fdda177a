import { CERTIFICATE_CODES, TLS_VERSION_CODES } from '../tlsCodes';
import { transient, type FailureText, type Rule, type SmtpReply } from './smtpRule';

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

/**
 * Failures of the session rather than of one message: the login, TLS, the name, the connection,
 * and Gmail closing it (421). Login replies come before transport codes.
 */
export const SESSION_RULES: Rule[] = [
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
];
