import { inputError } from '../errors/GmailSmtpError';
import { hasControlCharacter, isEmailAddress } from '../fieldText';
import { MAX_HEADER_LINE_LENGTH, type HeaderLine } from './headers';

export interface UnsubscribeTargets {
	/** HTTPS URL that unsubscribes the recipient on a POST (RFC 8058 one-click). */
	url?: unknown;
	/** Address (or `mailto:` URL) that unsubscribes the recipient when mailed. */
	email?: unknown;
}

const PRINTABLE_ASCII_WITHOUT_SPACE = /^[\x21-\x7e]+$/;

/**
 * `List-Unsubscribe` and, with an HTTPS URL, `List-Unsubscribe-Post: List-Unsubscribe=One-Click`
 * (RFC 2369, RFC 8058), each on one unfolded line: Gmail's bulk-sender rules check these lines,
 * so they are emitted prepared, after making sure nothing in them needs encoding.
 */
export function buildUnsubscribeHeaders(options: UnsubscribeTargets): HeaderLine[] {
	const url = optionalText(options.url, 'Unsubscribe URL');
	const email = optionalText(options.email, 'Unsubscribe Email');
	const targets = [url && httpsUrl(url), email && mailtoUrl(email)].filter(Boolean);
	if (targets.length === 0) return [];

	const value = targets.map((target) => `<${target}>`).join(', ');
	if (`List-Unsubscribe: ${value}`.length > MAX_HEADER_LINE_LENGTH) {
		throw inputError(
			'Unsubscribe URL too long',
			`The List-Unsubscribe header would be ${value.length + 18} characters; a header line may have at most ${MAX_HEADER_LINE_LENGTH}. Use a shorter URL (for example a short token instead of the full recipient data).`,
		);
	}
	const headers: HeaderLine[] = [{ key: 'List-Unsubscribe', value: { prepared: true, value } }];
	if (url) {
		headers.push({
			key: 'List-Unsubscribe-Post',
			value: { prepared: true, value: 'List-Unsubscribe=One-Click' },
		});
	}
	return headers;
}

function httpsUrl(text: string): string {
	let parsed: URL;
	try {
		parsed = new URL(text);
	} catch {
		throw inputError(
			'Invalid Unsubscribe URL',
			`"${text}" is not a URL. Give the full address of your unsubscribe endpoint, starting with https://.`,
		);
	}
	if (parsed.protocol !== 'https:') {
		throw inputError(
			'Unsubscribe URL must use HTTPS',
			`"${text}" starts with ${parsed.protocol}//; one-click unsubscribe (RFC 8058) needs an https:// URL, and Gmail ignores others.`,
		);
	}
	// RFC 2369 separates URLs with commas, so a literal one inside a URL must be escaped.
	const href = parsed.href.replace(/,/g, '%2C');
	assertHeaderSafe(href, 'Unsubscribe URL');
	return href;
}

function mailtoUrl(text: string): string {
	const withoutScheme = text.replace(/^mailto:/i, '');
	const [address, ...query] = withoutScheme.split('?');
	if (!isEmailAddress(address)) {
		throw inputError(
			'Invalid Unsubscribe Email',
			`"${address}" is not an email address. Give an address such as unsubscribe@example.com, optionally as mailto:unsubscribe@example.com?subject=unsubscribe.`,
		);
	}
	const mailto = `mailto:${address}${query.length > 0 ? `?${query.join('?')}` : ''}`;
	assertHeaderSafe(mailto, 'Unsubscribe Email');
	return mailto;
}

function assertHeaderSafe(target: string, label: string): void {
	if (!PRINTABLE_ASCII_WITHOUT_SPACE.test(target) || /[<>,]/.test(target)) {
		throw inputError(
			`Invalid ${label}`,
			`"${target}" contains spaces, non-ASCII text, angle brackets, commas or control characters that cannot go into the List-Unsubscribe header. Percent-encode them (%20, %2C, ...).`,
		);
	}
}

function optionalText(value: unknown, label: string): string {
	if (value === undefined || value === null) return '';
	if (typeof value !== 'string') {
		throw inputError(`Invalid ${label}`, `${label} must be text, got ${typeof value}.`);
	}
	// Checked before URL parsing, which would silently drop line breaks and tabs inside.
	if (hasControlCharacter(value.trim())) {
		throw inputError(
			`Invalid ${label}`,
			`${label} contains a line break or control character; it must be one line.`,
		);
	}
	return value.trim();
}
