import { isIP } from 'node:net';

import type { GmailSmtpCredentials } from '../../transport/gmailSmtpCredentials';

/** Names of one mail service that reach the same accounts. */
const SAME_SERVICE: Record<string, string> = {
	'smtp.googlemail.com': 'smtp.gmail.com',
};

/**
 * The account a budget belongs to: the address in lower case and the host in one spelling, so that
 * every credential, workflow and process sending as the account counts in one budget.
 *
 * The host rule: case and a trailing dot do not matter; an IP address counts in its canonical form
 * (`::ffff:127.0.0.1` is `127.0.0.1`, IPv6 compressed); every loopback form (`localhost`,
 * `*.localhost`, `127.0.0.0/8`, `::1`) is one host, since they all reach this machine; and
 * `smtp.googlemail.com` is `smtp.gmail.com`. A name and a non-loopback address it resolves to are
 * not merged (DNS answers change and differ between workers): give every credential of an account
 * the same Host.
 */
export function accountKey(credentials: Pick<GmailSmtpCredentials, 'user' | 'host'>): string {
	return `${credentials.user.trim().toLowerCase()}@${normalHost(credentials.host)}`;
}

/** The key this package used before hosts were normalised, for budgets kept under it. */
export function legacyAccountKey(credentials: Pick<GmailSmtpCredentials, 'user' | 'host'>): string {
	return `${credentials.user.toLowerCase()}@${credentials.host.toLowerCase()}`;
}

export function normalHost(host: string): string {
	const name = host
		.trim()
		.toLowerCase()
		.replace(/^\[(.*)\]$/, '$1')
		.replace(/\.$/, '');
	const address = canonicalAddress(name);
	if (address !== undefined) return isLoopback(address) ? 'localhost' : address;
	if (name === 'localhost' || name.endsWith('.localhost') || name === 'localhost.localdomain') {
		return 'localhost';
	}
	return SAME_SERVICE[name] ?? name;
}

function canonicalAddress(name: string): string | undefined {
	if (isIP(name) === 4) return name;
	if (isIP(name) !== 6) return undefined;
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(name);
	if (mapped) return mapped[1];
	// The URL parser writes an IPv6 address in its canonical compressed form.
	const canonical = new URL(`http://[${name}]/`).hostname.slice(1, -1);
	const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
	if (!hexMapped) return canonical;
	const [high, low] = [parseInt(hexMapped[1], 16), parseInt(hexMapped[2], 16)];
	return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

function isLoopback(address: string): boolean {
	return address === '::1' || /^127\./.test(address);
}
