import { CREDENTIAL_DEFAULTS, MAX_CONNECTIONS_CEILING } from '../defaults';
import { configError } from '../errors/GmailSmtpError';
import { hasLineBreak, isUnset } from '../fieldText';

export type SmtpSecurity = 'tls' | 'starttls';

/** Where the account's budget is kept (see delivery/account). */
export type LimitStoreChoice = 'auto' | 'embedded' | 'redis';

/** The `gmailSmtpApi` credential after normalisation. */
export interface GmailSmtpCredentials {
	user: string;
	appPassword: string;
	host: string;
	port: number;
	security: SmtpSecurity;
	fromName: string;
	/** Messages per rolling 24 hours for the account; 0 = not guarded. */
	dailyLimit: number;
	/** To, Cc and Bcc addresses per rolling 24 hours for the account; 0 = not guarded. */
	dailyRecipientLimit: number;
	/** The account's connections open at once, across every n8n process. */
	maxConnections: number;
	/** The account's messages reaching the server in any second; 0 = no cap. */
	maxPerSecond: number;
	limitStore: LimitStoreChoice;
	/** Only for `limitStore: redis` pointing at a Redis other than n8n's queue Redis. */
	redisUrl: string;
	caCertificate: string;
	allowUnauthorizedCerts: boolean;
	clientHostname: string;
	/** The same account's IMAP server, for Check Replies and Bounces (implicit TLS). */
	imapHost: string;
	imapPort: number;
	/** The Gmail SMTP Trigger's production URL, where Manage Unsubscribes links lead. */
	unsubscribeEndpoint: string;
	/** HMAC key of the unsubscribe links; checked when Manage Unsubscribes uses it. */
	linkSecret: string;
}

const GOOGLE_HOSTS = /(^|\.)(gmail|googlemail|google)\.com$/i;

/**
 * Normalises the stored credential and rejects settings that cannot work before any connection
 * is made: missing login, an App Password that cannot be one, or a port/security pair that does
 * not match.
 */
export function readGmailSmtpCredentials(data: Record<string, unknown>): GmailSmtpCredentials {
	const credentials: GmailSmtpCredentials = {
		user: asString(data.user).trim(),
		appPassword: asString(data.appPassword).replace(/\s+/g, ''),
		host: asString(data.host).trim() || CREDENTIAL_DEFAULTS.host,
		port: asNumber(data.port, CREDENTIAL_DEFAULTS.port),
		security: data.security === 'starttls' ? 'starttls' : CREDENTIAL_DEFAULTS.security,
		fromName: asString(data.fromName).trim(),
		dailyLimit: asNumber(data.dailyLimit, CREDENTIAL_DEFAULTS.dailyLimit),
		dailyRecipientLimit: asNumber(
			data.dailyRecipientLimit,
			CREDENTIAL_DEFAULTS.dailyRecipientLimit,
		),
		maxConnections: asNumber(data.maxConnections, CREDENTIAL_DEFAULTS.maxConnections),
		maxPerSecond: asNumber(data.maxPerSecond, CREDENTIAL_DEFAULTS.maxPerSecond),
		limitStore: asLimitStore(data.limitStore),
		redisUrl: asString(data.redisUrl).trim(),
		caCertificate: asString(data.caCertificate).trim(),
		allowUnauthorizedCerts: data.allowUnauthorizedCerts === true,
		clientHostname: asString(data.clientHostname).trim(),
		imapHost: asString(data.imapHost).trim() || CREDENTIAL_DEFAULTS.imapHost,
		imapPort: asNumber(data.imapPort, CREDENTIAL_DEFAULTS.imapPort),
		unsubscribeEndpoint: asString(data.unsubscribeEndpoint).trim(),
		linkSecret: asString(data.linkSecret),
	};
	assertUsable(credentials);
	return credentials;
}

function assertUsable(credentials: GmailSmtpCredentials): void {
	const { user, appPassword, host, port, security } = credentials;
	if (!user || !appPassword) {
		throw configError(
			'Credential incomplete',
			'The Gmail SMTP credential needs User (your Gmail address) and an App Password.',
		);
	}
	if (hasLineBreak(user) || hasLineBreak(host)) {
		throw configError('Credential invalid', 'User and Host must be on one line.');
	}
	if (!Number.isInteger(port) || port < 1 || port > 65535) {
		throw configError(
			'Invalid port',
			`Port ${port} is not a TCP port. Gmail uses 465 (TLS) or 587 (STARTTLS).`,
		);
	}
	if (port === 465 && security === 'starttls') {
		throw configError(
			'Port and security do not match',
			'Port 465 speaks TLS from the first byte: set Security to "SSL/TLS", or use port 587 with STARTTLS.',
		);
	}
	if ((port === 587 || port === 25) && security === 'tls') {
		throw configError(
			'Port and security do not match',
			`Port ${port} starts in plain text and upgrades with STARTTLS: set Security to "STARTTLS", or use port 465 with SSL/TLS.`,
		);
	}
	assertLimits(credentials);
	if (GOOGLE_HOSTS.test(host) && !/^[a-z]{16}$/i.test(appPassword)) {
		throw configError(
			'This is not an App Password',
			'Google App Passwords are 16 letters (shown as four groups of four). Your account password does not work over SMTP: create an App Password under Google Account → Security → 2-Step Verification → App passwords.',
		);
	}
}

/**
 * The IMAP fields are only read by Check Replies and Bounces, so they are checked when it runs:
 * a typo there must not stop sending.
 */
export function assertImapUsable(credentials: GmailSmtpCredentials): void {
	const { imapHost, imapPort } = credentials;
	if (/[\r\n\s]/.test(imapHost)) {
		throw configError('Credential invalid', 'IMAP Host must be one host name, without spaces.');
	}
	if (!Number.isInteger(imapPort) || imapPort < 1 || imapPort > 65535) {
		throw configError(
			'Invalid IMAP port',
			`IMAP Port ${imapPort} is not a TCP port. Gmail's IMAP uses 993 (TLS from the first byte).`,
		);
	}
	if (imapPort === 143) {
		throw configError(
			'IMAP port 143 is not supported',
			'Port 143 starts in plain text; the node only speaks IMAP with TLS from the first byte, so that the App Password is never sent unencrypted. Use port 993 (imap.gmail.com:993).',
		);
	}
}

function assertLimits(credentials: GmailSmtpCredentials): void {
	const { dailyLimit, dailyRecipientLimit, maxConnections, maxPerSecond, limitStore, redisUrl } =
		credentials;
	for (const [label, value] of [
		['Daily Limit', dailyLimit],
		['Daily Recipient Limit', dailyRecipientLimit],
		['Max Messages per Second', maxPerSecond],
	] as const) {
		if (!Number.isFinite(value) || value < 0) {
			throw configError('Invalid limit', `${label} must be 0 or more (0 turns it off).`);
		}
	}
	if (
		!Number.isInteger(maxConnections) ||
		maxConnections < 1 ||
		maxConnections > MAX_CONNECTIONS_CEILING
	) {
		throw configError(
			'Invalid Max Connections',
			`Max Connections must be a whole number from 1 to ${MAX_CONNECTIONS_CEILING}; every connection is a login to Gmail.`,
		);
	}
	if (redisUrl && limitStore !== 'redis') {
		throw configError(
			'Redis URL not used',
			'The credential has a Redis URL but Limit Store is not "Redis": choose Redis, or clear the URL.',
		);
	}
}

function asLimitStore(value: unknown): LimitStoreChoice {
	return value === 'embedded' || value === 'redis' ? value : CREDENTIAL_DEFAULTS.limitStore;
}

function asString(value: unknown): string {
	return typeof value === 'string' ? value : '';
}

function asNumber(value: unknown, fallback: number): number {
	if (isUnset(value)) return fallback;
	return Number(value);
}
