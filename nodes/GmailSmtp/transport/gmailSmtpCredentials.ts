import { configError } from '../errors/GmailSmtpError';

export type SmtpSecurity = 'tls' | 'starttls';

/** The `gmailSmtpApi` credential after normalisation. */
export interface GmailSmtpCredentials {
	user: string;
	appPassword: string;
	host: string;
	port: number;
	security: SmtpSecurity;
	fromName: string;
	dailyLimit: number;
	caCertificate: string;
	allowUnauthorizedCerts: boolean;
	clientHostname: string;
}

export const CREDENTIAL_DEFAULTS = {
	host: 'smtp.gmail.com',
	port: 465,
	security: 'tls',
	dailyLimit: 500,
} as const;

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
		caCertificate: asString(data.caCertificate).trim(),
		allowUnauthorizedCerts: data.allowUnauthorizedCerts === true,
		clientHostname: asString(data.clientHostname).trim(),
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
	if (/[\r\n]/.test(user) || /[\r\n]/.test(host)) {
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
	if (GOOGLE_HOSTS.test(host) && !/^[a-z]{16}$/i.test(appPassword)) {
		throw configError(
			'This is not an App Password',
			'Google App Passwords are 16 letters (shown as four groups of four). Your account password does not work over SMTP: create an App Password under Google Account → Security → 2-Step Verification → App passwords.',
		);
	}
}

function asString(value: unknown): string {
	return typeof value === 'string' ? value : '';
}

function asNumber(value: unknown, fallback: number): number {
	if (value === undefined || value === null || value === '') return fallback;
	return Number(value);
}
