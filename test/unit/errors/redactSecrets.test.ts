import fc from 'fast-check';

import { redactSecrets } from '../../../nodes/GmailSmtp/errors/redactSecrets';

const base64 = (text: string) => Buffer.from(text).toString('base64');

describe('redactSecrets', () => {
	const secret = 'abcdefghijklmnop';
	const user = 'me@gmail.com';

	it.each([
		['plain', `login with ${secret} failed`, 'login with [redacted] failed'],
		['grouped as Google shows it', 'pw abcd efgh ijkl mnop', 'pw [redacted]'],
		['base64 as in AUTH LOGIN', `AUTH ${base64(secret)}`, 'AUTH [redacted]'],
		[
			'AUTH PLAIN echoed back',
			`535 5.7.8 Authentication failed for ${base64(`\0${user}\0${secret}`)}`,
			'535 5.7.8 Authentication failed for [redacted]',
		],
		[
			'AUTH PLAIN with an authzid',
			`x ${base64(`${user}\0${user}\0${secret}`)} y`,
			'x [redacted] y',
		],
		['user\\0password', `x ${base64(`${user}\0${secret}`)}`, 'x [redacted]'],
		['unpadded base64', `x ${base64(`\0${user}\0${secret}`).replace(/=+$/, '')}.`, 'x [redacted].'],
		['every occurrence', `${secret}/${secret}`, '[redacted]/[redacted]'],
		['nothing to hide', 'all fine', 'all fine'],
	])('%s', (_label, input, expected) => {
		expect(redactSecrets(input, [secret], user)).toBe(expected);
	});

	it('URL-encoded forms, e.g. of a Redis password', () => {
		const password = 'p@ss/word+1';
		expect(redactSecrets(`redis://u:${encodeURIComponent(password)}@h`, [password])).toBe(
			'redis://u:[redacted]@h',
		);
	});

	it('ignores empty and very short secrets instead of shredding the text', () => {
		expect(redactSecrets('a b c', ['', 'a'])).toBe('a b c');
	});

	it('no form of a generated secret survives, wherever the server puts it', () => {
		const letters = fc.stringMatching(/^[a-z]{16}$/);
		const address = fc.emailAddress();
		const around = fc.string({ maxLength: 20 });
		fc.assert(
			fc.property(
				letters,
				address,
				around,
				around,
				fc.nat(6),
				(password, login, before, after, pick) => {
					const forms = [
						password,
						password.match(/.{4}/g)!.join(' '),
						base64(password),
						base64(`\0${login}\0${password}`),
						base64(`${login}\0${login}\0${password}`),
						base64(`${login}\0${password}`).replace(/=+$/, ''),
						encodeURIComponent(base64(`\0${login}\0${password}`)),
					];
					const form = forms[pick % forms.length];
					const output = redactSecrets(`${before}${form}${after}`, [password], login);
					expect(output).not.toContain(password);
					expect(output).not.toContain(form);
				},
			),
		);
	});
});
