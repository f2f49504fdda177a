import { accountKey, normalHost } from '../../../../nodes/GmailSmtp/delivery/account/accountKey';

describe('one account, one key', () => {
	it.each([
		['smtp.gmail.com', 'smtp.gmail.com'],
		['SMTP.Gmail.COM.', 'smtp.gmail.com'],
		[' smtp.gmail.com ', 'smtp.gmail.com'],
		['smtp.googlemail.com', 'smtp.gmail.com'],
		['smtp-relay.gmail.com', 'smtp-relay.gmail.com'],
		['localhost', 'localhost'],
		['LOCALHOST.', 'localhost'],
		['mail.localhost', 'localhost'],
		['127.0.0.1', 'localhost'],
		['127.1.2.3', 'localhost'],
		['::1', 'localhost'],
		['[::1]', 'localhost'],
		['0:0:0:0:0:0:0:1', 'localhost'],
		['::ffff:127.0.0.1', 'localhost'],
		['::ffff:7f00:1', 'localhost'],
		['::ffff:192.0.2.10', '192.0.2.10'],
		['192.0.2.10', '192.0.2.10'],
		['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
		['142.250.1.108', '142.250.1.108'],
	])('host %s is %s', (host, expected) => {
		expect(normalHost(host)).toBe(expected);
	});

	it('the address counts in lower case', () => {
		expect(accountKey({ user: ' Ada@Example.COM', host: '127.0.0.1' })).toBe(
			accountKey({ user: 'ada@example.com', host: 'localhost' }),
		);
	});
});
