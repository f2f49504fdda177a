import { DEFAULT_SUPPRESSION_LIST } from '../defaults';
import { inputError } from '../errors/GmailSmtpError';
import { hasControlCharacter, isUnset } from '../fieldText';
import { signUnsubscribeToken, type TokenKey } from './unsubscribeToken';

/** Where Manage Unsubscribes sends people, and how their links are signed. */
export interface ManagedUnsubscribe {
	/** The Gmail SMTP Trigger's production URL (https), without the token. */
	endpoint: string;
	key: TokenKey;
	list: string;
}

/** The token's query parameter in the link. */
export const TOKEN_PARAMETER = 't';
/** An HMAC key should carry at least 128 bits; 16 characters is the least we take. */
const MIN_SECRET_LENGTH = 16;
/** Above this the Message-ID is left out of the token, so the header keeps to one line. */
const MAX_URL_LENGTH = 900;
const LIST_NAME = /^[a-z0-9][a-z0-9 _.-]{0,63}$/;
const PRINTABLE_ASCII_WITHOUT_SPACE = /^[\x21-\x7e]+$/;

/**
 * A suppression list's name as kept: trimmed and lower-cased ("Newsletter" and "newsletter" are
 * one list); empty means the default list.
 */
export function normalizeListName(value: unknown, label = 'Suppression List'): string {
	if (isUnset(value)) return DEFAULT_SUPPRESSION_LIST;
	const name = String(value).trim().toLowerCase();
	if (name === '') return DEFAULT_SUPPRESSION_LIST;
	if (!LIST_NAME.test(name)) {
		throw inputError(
			`Invalid ${label}`,
			`"${String(value).slice(0, 80)}" cannot name a suppression list: use up to 64 letters, digits, spaces, ".", "_" and "-", starting with a letter or digit (e.g. "newsletter").`,
		);
	}
	return name;
}

/**
 * The credential's Unsubscribe Endpoint and Link Secret, checked for Manage Unsubscribes: each
 * problem is reported with the field that has it.
 */
export function readManagedUnsubscribe(
	credentials: { user: string; unsubscribeEndpoint: string; linkSecret: string },
	list: string,
): ManagedUnsubscribe {
	const text = credentials.unsubscribeEndpoint.trim();
	if (!text) {
		throw inputError(
			'No Unsubscribe Endpoint in the credential',
			"Manage Unsubscribes needs the credential's Unsubscribe Endpoint: add a Gmail SMTP Trigger (event Unsubscribe) to a workflow, activate it, and copy its Production URL (https://…) into the Gmail SMTP credential.",
		);
	}
	if (
		hasControlCharacter(text) ||
		!PRINTABLE_ASCII_WITHOUT_SPACE.test(text) ||
		/[<>,]/.test(text)
	) {
		throw inputError(
			'Invalid Unsubscribe Endpoint',
			"The credential's Unsubscribe Endpoint contains spaces, non-ASCII text, angle brackets, commas or control characters; copy the trigger's Production URL exactly.",
		);
	}
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw inputError(
			'Invalid Unsubscribe Endpoint',
			`The credential's Unsubscribe Endpoint "${text}" is not a URL. Copy the Gmail SMTP Trigger's Production URL.`,
		);
	}
	if (url.protocol !== 'https:') {
		throw inputError(
			'Unsubscribe Endpoint must use HTTPS',
			`The credential's Unsubscribe Endpoint starts with ${url.protocol}//. One-click unsubscribe (RFC 8058) needs https://, and Gmail ignores other links: serve n8n over HTTPS (e.g. behind a reverse proxy, with WEBHOOK_URL set to its https:// address) and copy the trigger's Production URL again.`,
		);
	}
	if (url.hash || url.searchParams.has(TOKEN_PARAMETER)) {
		throw inputError(
			'Invalid Unsubscribe Endpoint',
			`The credential's Unsubscribe Endpoint must not have a #fragment or a "${TOKEN_PARAMETER}" parameter: the node adds the recipient's token itself.`,
		);
	}
	if (!credentials.linkSecret) {
		throw inputError(
			'No Link Secret in the credential',
			"Manage Unsubscribes signs each link with the credential's Link Secret: set one (at least 16 random characters, e.g. from `openssl rand -base64 32`) in the Gmail SMTP credential the trigger uses too.",
		);
	}
	if (credentials.linkSecret.length < MIN_SECRET_LENGTH) {
		throw inputError(
			'Link Secret too short',
			`The credential's Link Secret has ${credentials.linkSecret.length} characters; use at least ${MIN_SECRET_LENGTH} random ones (e.g. from \`openssl rand -base64 32\`), or anyone could forge unsubscribe links.`,
		);
	}
	return {
		endpoint: url.href,
		key: { account: credentials.user, secret: credentials.linkSecret },
		list,
	};
}

/** The recipient's own unsubscribe link, naming the message it came with when it fits. */
export function unsubscribeUrlFor(
	managed: ManagedUnsubscribe,
	email: string,
	messageId?: string,
): string {
	const claim = { email: email.toLowerCase(), list: managed.list, messageId };
	const link = (token: string) => {
		const url = new URL(managed.endpoint);
		url.searchParams.set(TOKEN_PARAMETER, token);
		return url.href;
	};
	const full = link(signUnsubscribeToken(claim, managed.key));
	if (full.length <= MAX_URL_LENGTH) return full;
	return link(signUnsubscribeToken(claim, managed.key, { withMessageId: false }));
}
