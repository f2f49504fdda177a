import { createMessageId } from '../../../nodes/GmailSmtp/message/messageId';
import { parsePriority } from '../../../nodes/GmailSmtp/message/priority';
import { GmailSmtpError } from '../../../nodes/GmailSmtp/errors/GmailSmtpError';

describe('createMessageId', () => {
	it.each([
		['a Gmail account', 'me@gmail.com', 'gmail.com'],
		['a Workspace alias', 'Sales@Example.COM', 'example.com'],
		['an international domain, in punycode', 'zoë@exämple.de', 'xn--exmple-cua.de'],
	])('uses the domain of %s', (_label, from, domain) => {
		expect(createMessageId(from)).toMatch(
			new RegExp(
				`^<[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}@${domain.replace(/\./g, '\\.')}>$`,
			),
		);
	});

	it('is different for every message', () => {
		const ids = new Set(Array.from({ length: 1000 }, () => createMessageId('me@gmail.com')));
		expect(ids.size).toBe(1000);
	});
});

describe('parsePriority', () => {
	it.each([
		[undefined, 'normal'],
		['', 'normal'],
		['high', 'high'],
		[' LOW ', 'low'],
		['normal', 'normal'],
	])('reads %p as %s', (input, expected) => {
		expect(parsePriority(input)).toBe(expected);
	});

	it.each(['urgent', 1, 'high\r\nX: y'])('refuses %p', (input) => {
		expect(() => parsePriority(input)).toThrow(GmailSmtpError);
		expect(() => parsePriority(input)).toThrow('Invalid Priority');
	});
});
