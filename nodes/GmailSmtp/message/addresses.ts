import addressparser from 'nodemailer/lib/addressparser';

import { inputError } from '../errors/GmailSmtpError';

export interface MailAddress {
	name: string;
	address: string;
}

// Deliberately simple: one @, no spaces or control characters, a dotted domain. The server decides
// about the rest; this only catches what is certainly wrong before anything is sent.
const ADDRESS_PATTERN = /^[^\s@"<>,;()[\]\\]+@[^\s@"<>,;()[\]\\]+\.[^\s@"<>,;()[\]\\]+$/;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/**
 * Parses a recipient field: a comma-separated string (`a@x.com, "Doe, Jane" <jane@y.com>`) or an
 * array of such strings. Every address must be valid; an invalid one is reported with the field.
 */
export function parseAddressList(value: unknown, fieldLabel: string): MailAddress[] {
	const parts = (Array.isArray(value) ? value : [value]).filter(
		(part) => part !== undefined && part !== null && part !== '',
	);
	const addresses: MailAddress[] = [];
	for (const part of parts) {
		if (typeof part !== 'string') {
			throw inputError(
				`Invalid ${fieldLabel}`,
				`${fieldLabel} must be text or a list of text, got ${typeof part}.`,
			);
		}
		if (CONTROL_CHARACTERS.test(part)) {
			throw inputError(
				`Invalid ${fieldLabel}`,
				`${fieldLabel} contains a line break or control character; addresses must be on one line.`,
			);
		}
		for (const parsed of addressparser(part, { flatten: true }) as MailAddress[]) {
			const address = parsed.address.trim();
			if (!ADDRESS_PATTERN.test(address)) {
				throw inputError(
					`Invalid ${fieldLabel}`,
					`"${parsed.address || parsed.name}" in ${fieldLabel} is not an email address.`,
				);
			}
			addresses.push({ name: parsed.name.trim(), address });
		}
	}
	return addresses;
}
