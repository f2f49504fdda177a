import { createHmac, timingSafeEqual } from 'node:crypto';

import { DEFAULT_SUPPRESSION_LIST } from '../defaults';

/** What an unsubscribe link says: who leaves which list, and (when known) from which message. */
export interface UnsubscribeClaim {
	/** The recipient, lower-cased. */
	email: string;
	/** The suppression list's name, as `normalizeListName` gives it. */
	list: string;
	/** `<id@domain>` of the message the link came with. */
	messageId?: string;
}

/** Whose links these are: the account's address, and the credential's Link Secret. */
export interface TokenKey {
	account: string;
	secret: string;
}

const VERSION = 1;
const MAC_BYTES = 16;
const UUID_BYTES = 16;
const HAS_MESSAGE_ID = 1;
/** A token longer than any this module writes is refused before anything is decoded. */
const MAX_TOKEN_LENGTH = 1200;
const UUID_MESSAGE_ID =
	/^<([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})@([^<>@\s]+)>$/i;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * A compact, URL-safe token: a version byte, a flags byte, the Message-ID's UUID as 16 bytes, then
 * `email \n list \n domain` (the default list written as nothing), then the first 16 bytes of an
 * HMAC-SHA256 over all of it and the account, keyed by the Link Secret. A token made for another
 * account, list or address, or cut short, does not verify. About 85 characters for a usual address.
 * Only Message-IDs of the form this node creates (`<uuid@domain>`) are carried.
 */
export function signUnsubscribeToken(
	claim: UnsubscribeClaim,
	key: TokenKey,
	{ withMessageId = true } = {},
): string {
	const match = withMessageId && claim.messageId ? UUID_MESSAGE_ID.exec(claim.messageId) : null;
	const uuid = match ? Buffer.from(match.slice(1, 6).join(''), 'hex') : Buffer.alloc(0);
	const text = [claim.email, claim.list === DEFAULT_SUPPRESSION_LIST ? '' : claim.list];
	if (match) text.push(match[6].toLowerCase());
	const body = Buffer.concat([
		Buffer.from([VERSION, match ? HAS_MESSAGE_ID : 0]),
		uuid,
		Buffer.from(text.join('\n'), 'utf8'),
	]);
	return Buffer.concat([body, mac(body, key)]).toString('base64url');
}

/** The claim of a token this key signed, or undefined for anything else (never throws). */
export function verifyUnsubscribeToken(
	token: unknown,
	key: TokenKey,
): UnsubscribeClaim | undefined {
	if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !BASE64URL.test(token)) {
		return undefined;
	}
	const bytes = Buffer.from(token, 'base64url');
	// Only the one spelling this module writes: the last character's unused bits must be zero.
	if (bytes.toString('base64url') !== token) return undefined;
	if (bytes.length < 2 + MAC_BYTES || bytes[0] !== VERSION) return undefined;
	const body = bytes.subarray(0, bytes.length - MAC_BYTES);
	const expected = mac(body, key);
	if (!timingSafeEqual(expected, bytes.subarray(bytes.length - MAC_BYTES))) return undefined;

	const hasMessageId = (body[1] & HAS_MESSAGE_ID) !== 0;
	const textStart = 2 + (hasMessageId ? UUID_BYTES : 0);
	if (body.length < textStart) return undefined;
	const [email, list, domain, ...rest] = body.subarray(textStart).toString('utf8').split('\n');
	if (!email || rest.length > 0 || hasMessageId !== (domain !== undefined)) return undefined;
	const claim: UnsubscribeClaim = { email, list: list || DEFAULT_SUPPRESSION_LIST };
	if (hasMessageId) {
		const hex = body.subarray(2, 2 + UUID_BYTES).toString('hex');
		const uuid = [
			hex.slice(0, 8),
			hex.slice(8, 12),
			hex.slice(12, 16),
			hex.slice(16, 20),
			hex.slice(20),
		];
		claim.messageId = `<${uuid.join('-')}@${domain}>`;
	}
	return claim;
}

function mac(body: Buffer, { account, secret }: TokenKey): Buffer {
	return createHmac('sha256', secret)
		.update(`n8n-nodes-gmail-smtp unsubscribe\0${account.trim().toLowerCase()}\0`)
		.update(body)
		.digest()
		.subarray(0, MAC_BYTES);
}
