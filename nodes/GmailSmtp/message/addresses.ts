import addressparser from 'nodemailer/lib/addressparser';

import { inputError } from '../errors/GmailSmtpError';
import { hasControlCharacter, isEmailAddress, isUnset } from '../fieldText';

export interface MailAddress {
	name: string;
	address: string;
}

/** Gmail accepts at most this many recipients (To + CC + BCC) in one message over SMTP. */
export const GMAIL_MAX_RECIPIENTS_PER_MESSAGE = 100;

/**
 * Parses a recipient field: a comma-separated string (`a@x.com, "Doe, Jane" <jane@y.com>`), an
 * array of such strings, or `{ name, address }` objects (as mail triggers output them). Every
 * address must be valid; an invalid one is reported with the field.
 */
export function parseAddressList(value: unknown, fieldLabel: string): MailAddress[] {
	const parts = (Array.isArray(value) ? value : [value]).filter((part) => !isUnset(part));
	const addresses: MailAddress[] = [];
	for (const part of parts) {
		if (isAddressObject(part)) {
			addresses.push(...parseAddressList(addressObjectText(part, fieldLabel), fieldLabel));
			continue;
		}
		if (typeof part !== 'string') {
			throw inputError(
				`Invalid ${fieldLabel}`,
				`${fieldLabel} must be text, a list of text or of { name, address } objects, got ${describeType(part)}.`,
			);
		}
		addresses.push(...parseAddressText(part, fieldLabel));
	}
	return addresses;
}

/**
 * Refuses a message with more recipients than Gmail takes in one message. The same address in
 * two fields is one recipient for the server, so it is counted once.
 */
export function assertRecipientLimit(fields: Record<string, MailAddress[]>): void {
	const unique = new Set(
		Object.values(fields).flatMap((list) => list.map((entry) => entry.address.toLowerCase())),
	);
	if (unique.size <= GMAIL_MAX_RECIPIENTS_PER_MESSAGE) return;
	const breakdown = Object.entries(fields)
		.filter(([, list]) => list.length > 0)
		.map(([label, list]) => `${label} ${list.length}`)
		.join(', ');
	throw inputError(
		'Too many recipients',
		`This message has ${unique.size} recipients (${breakdown}); Gmail accepts at most ${GMAIL_MAX_RECIPIENTS_PER_MESSAGE} per message over SMTP. Split the recipients over several messages, or send one message per recipient: give each recipient its own input item (e.g. with a Split Out node before this one) and put only that item's address in To.`,
	);
}

function parseAddressText(text: string, fieldLabel: string): MailAddress[] {
	if (hasControlCharacter(text)) {
		throw inputError(
			`Invalid ${fieldLabel}`,
			`${fieldLabel} contains a line break or control character; addresses must be on one line.`,
		);
	}
	const addresses: MailAddress[] = [];
	for (const parsed of addressparser(text, { flatten: true }) as MailAddress[]) {
		const address = parsed.address.trim();
		const name = parsed.name.trim();
		if (!isEmailAddress(address)) {
			const shown = parsed.address || parsed.name;
			throw inputError(
				`Invalid ${fieldLabel}`,
				shown
					? `"${shown}" in ${fieldLabel} is not an email address.`
					: `${fieldLabel} contains an empty address (<>).`,
			);
		}
		// `a@x.com b@y.com` parses as b's display name for a: one recipient silently lost.
		if (!text.includes('<') && name.includes('@')) {
			throw inputError(
				`Invalid ${fieldLabel}`,
				`"${text}" in ${fieldLabel} looks like several addresses separated by spaces; separate them with commas.`,
			);
		}
		addresses.push({ name, address });
	}
	return addresses;
}

function isAddressObject(value: unknown): value is { address: unknown; name?: unknown } {
	return typeof value === 'object' && value !== null && !Array.isArray(value) && 'address' in value;
}

function addressObjectText(
	entry: { address: unknown; name?: unknown },
	fieldLabel: string,
): string {
	const { address, name } = entry;
	if (typeof address !== 'string' || (name !== undefined && typeof name !== 'string')) {
		throw inputError(
			`Invalid ${fieldLabel}`,
			`An entry in ${fieldLabel} has a non-text name or address; use { "name": "Jane", "address": "jane@example.com" }.`,
		);
	}
	if (hasControlCharacter(`${name ?? ''}${address}`)) {
		throw inputError(
			`Invalid ${fieldLabel}`,
			`${fieldLabel} contains a line break or control character; addresses must be on one line.`,
		);
	}
	if (address.includes('<') || address.includes(',')) {
		throw inputError(
			`Invalid ${fieldLabel}`,
			`"${address}" in ${fieldLabel} is not an email address.`,
		);
	}
	// Quoted so that a name with commas or brackets stays one display name.
	return name ? `${JSON.stringify(name)} <${address}>` : address;
}

function describeType(value: unknown): string {
	if (Array.isArray(value)) return 'a nested list';
	if (value === null) return 'null';
	return typeof value === 'object' ? 'an object without an address' : typeof value;
}
