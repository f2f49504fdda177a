import { GmailSmtpError } from '../../../nodes/GmailSmtp/errors/GmailSmtpError';
import { parseAddressList } from '../../../nodes/GmailSmtp/message/addresses';

describe('parseAddressList', () => {
	it.each([
		['one address', 'a@example.com', [{ name: '', address: 'a@example.com' }]],
		[
			'a comma-separated list with spaces',
			' a@example.com ,b@example.org ',
			[
				{ name: '', address: 'a@example.com' },
				{ name: '', address: 'b@example.org' },
			],
		],
		[
			'a quoted name containing a comma',
			'"Doe, Jane" <jane@example.com>',
			[{ name: 'Doe, Jane', address: 'jane@example.com' }],
		],
		[
			'an array of strings',
			['a@example.com', 'Bob <bob@example.com>'],
			[
				{ name: '', address: 'a@example.com' },
				{ name: 'Bob', address: 'bob@example.com' },
			],
		],
		['empty', '', []],
		['nothing', undefined, []],
		['unicode domain', 'zoë@exämple.de', [{ name: '', address: 'zoë@exämple.de' }]],
	])('parses %s', (_label, input, expected) => {
		expect(parseAddressList(input, 'To')).toEqual(expected);
	});

	it.each([
		['no @', 'not-an-address', /"not-an-address" in CC is not an email address/],
		['two @', 'a@@example.com', /not an email address/],
		['no domain dot', 'a@localhost', /not an email address/],
		['a line break', 'a@example.com\r\nBcc: x@example.com', /line break/],
		['a NUL byte', 'a@example.com\u0000', /control character/],
		['a number', 42, /must be text/],
		['one bad among good', 'a@example.com, oops', /"oops"/],
	])('refuses %s, naming the field', (_label, input, message) => {
		expect(() => parseAddressList(input, 'CC')).toThrow(GmailSmtpError);
		try {
			parseAddressList(input, 'CC');
		} catch (error) {
			const failure = (error as GmailSmtpError).failure;
			expect(failure).toMatchObject({ kind: 'input', title: 'Invalid CC' });
			expect(failure.description).toMatch(message);
		}
	});
});
