import fc from 'fast-check';

import { redactSecrets } from '../../nodes/GmailSmtp/errors/redactSecrets';

const USER = 'ada@example.com';

/** Passwords made of what makes quoting and escaping go wrong, and ordinary characters. */
const password = fc
	.array(fc.constantFrom(...'ab9Z "\\%+/=:@\'{}\t'.split(''), 'cd', 'xyz', '0123'), {
		minLength: 2,
		maxLength: 12,
	})
	.map((parts) => parts.join(''))
	.filter((value) => value.replace(/\s+/g, '').length >= 4);

/** Text around the secret: a server's words, line breaks, quotes. */
const surrounding = fc
	.array(fc.constantFrom('535 5.7.8 ', 'NO ', 'LOGIN "', '" ', '\r\n', ' ', 'failed', '"', '{'), {
		maxLength: 5,
	})
	.map((parts) => parts.join(''));

const imapQuoted = (value: string) => value.replace(/["\\]/g, '\\$&');
const base64 = (value: string) => Buffer.from(value).toString('base64');

describe('redaction of the App Password in any form a server may echo', () => {
	it.each([
		['as typed', (value: string) => value],
		['IMAP-quoted (LOGIN "user" "pass" with \\" and \\\\)', imapQuoted],
		['JSON-escaped', (value: string) => JSON.stringify(value).slice(1, -1)],
		['URL-encoded', encodeURIComponent],
		['base64 (AUTH LOGIN)', base64],
		['base64 of AUTH PLAIN', (value: string) => base64(`\0${USER}\0${value}`)],
	])('%s', (_label, encode) => {
		fc.assert(
			fc.property(password, surrounding, surrounding, (secret, before, after) => {
				const form = encode(secret);
				const redacted = redactSecrets(`${before}${form}${after}`, [secret], USER);
				expect(redacted).not.toContain(form);
				expect(redacted).toContain('[redacted]');
			}),
			{ numRuns: 50 },
		);
	});

	it('a base64 login echoed over several reply lines, each with its reply code', () => {
		const replyPrefix = fc.constantFrom('535-5.7.8 ', '535 5.7.8 ', '334 ', '* ', '+ ', '  ', '');
		fc.assert(
			fc.property(
				password,
				fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
				replyPrefix,
				(secret, cuts, prefix) => {
					const form = base64(`\0${USER}\0${secret}`);
					const at = [...new Set(cuts.map((cut) => 1 + (cut % (form.length - 1))))].sort(
						(a, b) => a - b,
					);
					const pieces = at.map((end, index) => form.slice(at[index - 1] ?? 0, end));
					pieces.push(form.slice(at[at.length - 1]));
					const reply = `535-5.7.8 Authentication failed for ${pieces.join(`\r\n${prefix}`)}\r\n535 5.7.8 end`;

					const redacted = redactSecrets(reply, [secret], USER);
					const unwrapped = redacted.split(`\r\n${prefix}`).join('');
					expect(unwrapped).not.toContain(form);
					expect(unwrapped).not.toContain(form.replace(/=+$/, ''));
					expect(redacted).toContain('[redacted]');
				},
			),
			{ numRuns: 200 },
		);
	});
});
