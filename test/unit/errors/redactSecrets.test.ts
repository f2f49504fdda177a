import { redactSecrets } from '../../../nodes/GmailSmtp/errors/redactSecrets';

describe('redactSecrets', () => {
	const secret = 'abcdefghijklmnop';

	it.each([
		['plain', `login with ${secret} failed`, 'login with [redacted] failed'],
		['grouped as Google shows it', 'pw abcd efgh ijkl mnop', 'pw [redacted]'],
		['base64 as in AUTH', `AUTH ${Buffer.from(secret).toString('base64')}`, 'AUTH [redacted]'],
		['every occurrence', `${secret}/${secret}`, '[redacted]/[redacted]'],
		['nothing to hide', 'all fine', 'all fine'],
	])('%s', (_label, input, expected) => {
		expect(redactSecrets(input, [secret])).toBe(expected);
	});

	it('ignores empty and very short secrets instead of shredding the text', () => {
		expect(redactSecrets('a b c', ['', 'a'])).toBe('a b c');
	});
});
