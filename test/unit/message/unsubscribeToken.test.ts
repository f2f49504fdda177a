import fc from 'fast-check';

import {
	signUnsubscribeToken,
	verifyUnsubscribeToken,
	type UnsubscribeClaim,
} from '../../../nodes/GmailSmtp/message/unsubscribeToken';

const key = { account: 'sender@example.com', secret: 'kq3Hn0Vq1d9yJt0rZ8c7uY2lW5sXa4bE' };
const claim: UnsubscribeClaim = {
	email: 'jane.doe@example.com',
	list: 'default',
	messageId: '<0b1c2d3e-4f50-4617-8899-aabbccddeeff@example.com>',
};

/** The token with one character changed to another base64url character. */
function flipped(token: string, at: number): string {
	const swap = token[at] === 'A' ? 'B' : 'A';
	return `${token.slice(0, at)}${swap}${token.slice(at + 1)}`;
}

describe('unsubscribe tokens', () => {
	it('verifies what it signed, Message-ID included', () => {
		const token = signUnsubscribeToken(claim, key);
		expect(verifyUnsubscribeToken(token, key)).toEqual(claim);
	});

	it('is compact and URL-safe: about 85 characters for a usual address', () => {
		const token = signUnsubscribeToken(claim, key);
		expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
		expect(token.length).toBeLessThanOrEqual(90);
		// The list name costs its length; the default list costs nothing.
		const named = signUnsubscribeToken({ ...claim, list: 'newsletter' }, key);
		expect(named.length - token.length).toBeLessThanOrEqual(14);
	});

	it('carries a list other than the default, and no Message-ID when there is none', () => {
		const token = signUnsubscribeToken({ email: 'a@example.com', list: 'newsletter' }, key);
		expect(verifyUnsubscribeToken(token, key)).toEqual({
			email: 'a@example.com',
			list: 'newsletter',
		});
	});

	it('leaves out a Message-ID this node did not create, or when asked to', () => {
		const foreign = signUnsubscribeToken({ ...claim, messageId: '<CAF=abc@mail.gmail.com>' }, key);
		expect(verifyUnsubscribeToken(foreign, key)).toEqual({ email: claim.email, list: 'default' });
		const without = signUnsubscribeToken(claim, key, { withMessageId: false });
		expect(verifyUnsubscribeToken(without, key)).toEqual({ email: claim.email, list: 'default' });
	});

	it('is refused when any character was changed', () => {
		const token = signUnsubscribeToken(claim, key);
		for (let at = 0; at < token.length; at++) {
			expect(verifyUnsubscribeToken(flipped(token, at), key)).toBeUndefined();
		}
	});

	it('is refused when cut short, by any number of characters', () => {
		const token = signUnsubscribeToken(claim, key);
		for (let length = 0; length < token.length; length++) {
			expect(verifyUnsubscribeToken(token.slice(0, length), key)).toBeUndefined();
		}
		expect(verifyUnsubscribeToken(`${token}A`, key)).toBeUndefined();
	});

	it('cannot be moved to another list or address: both are signed', () => {
		const bytes = Buffer.from(signUnsubscribeToken(claim, key), 'base64url');
		const mac = bytes.subarray(bytes.length - 16);
		// Version, flags and the Message-ID's UUID, then `email \n list \n domain`.
		const head = bytes.subarray(0, 18);
		const [email, , domain] = bytes
			.subarray(18, bytes.length - 16)
			.toString('utf8')
			.split('\n');
		const withText = (text: string) =>
			Buffer.concat([head, Buffer.from(text, 'utf8'), mac]).toString('base64url');
		expect(verifyUnsubscribeToken(withText(`${email}\n\n${domain}`), key)).toEqual(claim);
		expect(
			verifyUnsubscribeToken(withText(`${email}\nnewsletter\n${domain}`), key),
		).toBeUndefined();
		expect(verifyUnsubscribeToken(withText(`boss@example.com\n\n${domain}`), key)).toBeUndefined();
		// A genuine token of the other list says so.
		const newsletter = signUnsubscribeToken({ ...claim, list: 'newsletter' }, key);
		expect(verifyUnsubscribeToken(newsletter, key)?.list).toBe('newsletter');
	});

	it('made for another account, or with another Link Secret, is refused', () => {
		const token = signUnsubscribeToken(claim, key);
		expect(verifyUnsubscribeToken(token, { ...key, account: 'other@example.com' })).toBeUndefined();
		expect(verifyUnsubscribeToken(token, { ...key, secret: `${key.secret}x` })).toBeUndefined();
		// The account is compared as an address: its case does not matter.
		expect(verifyUnsubscribeToken(token, { ...key, account: 'Sender@Example.com' })).toEqual(claim);
	});

	it.each([
		['not text', 42],
		['empty', ''],
		['not base64url', 'abc+/def='],
		['far too long', 'A'.repeat(5000)],
		['another version', Buffer.from([2, 0, 97, 64, 98]).toString('base64url') + 'A'.repeat(22)],
	])('is refused when %s', (_, token) => {
		expect(verifyUnsubscribeToken(token, key)).toBeUndefined();
	});

	it('round-trips any address and list name (property)', () => {
		fc.assert(
			fc.property(
				fc.emailAddress(),
				fc.stringMatching(/^[a-z0-9][a-z0-9 _.-]{0,20}$/),
				fc.uuid(),
				(email, list, uuid) => {
					const original = { email, list, messageId: `<${uuid}@example.com>` };
					expect(verifyUnsubscribeToken(signUnsubscribeToken(original, key), key)).toEqual(
						original,
					);
				},
			),
		);
	});
});
