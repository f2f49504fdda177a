import {
	assertRecipientLimit,
	parseAddressList,
	type MailAddress,
} from '../../../nodes/GmailSmtp/message/addresses';
import { failureOf } from '../../helpers/failureOf';

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
		[
			'semicolons and empty entries',
			'a@example.com;; b@example.com, ,',
			[
				{ name: '', address: 'a@example.com' },
				{ name: '', address: 'b@example.com' },
			],
		],
		[
			'an address in angle brackets only',
			'<a@example.com>',
			[{ name: '', address: 'a@example.com' }],
		],
		[
			'a display name that is itself an address',
			'"boss@example.com" <a@example.com>',
			[{ name: 'boss@example.com', address: 'a@example.com' }],
		],
		[
			'a group',
			'Team: a@example.com, b@example.com;',
			[
				{ name: '', address: 'a@example.com' },
				{ name: '', address: 'b@example.com' },
			],
		],
		['an empty group', 'undisclosed-recipients:;', []],
		[
			'a name before a bare address',
			'Jane jane@example.com',
			[{ name: 'Jane', address: 'jane@example.com' }],
		],
		[
			'{ name, address } objects as mail triggers output them',
			[{ name: 'Doe, "J"', address: 'j@example.com' }, { address: 'k@example.com' }],
			[
				{ name: 'Doe, "J"', address: 'j@example.com' },
				{ name: '', address: 'k@example.com' },
			],
		],
		[
			'a mix of strings and objects, with empty entries',
			['a@example.com, b@example.com', null, '', { name: 'C', address: 'c@example.com' }],
			[
				{ name: '', address: 'a@example.com' },
				{ name: '', address: 'b@example.com' },
				{ name: 'C', address: 'c@example.com' },
			],
		],
	])('parses %s', (_label, input, expected) => {
		expect(parseAddressList(input, 'To')).toEqual(expected);
	});

	it.each([
		['no @', 'not-an-address', /"not-an-address" in CC is not an email address/],
		['two @', 'a@@example.com', /not an email address/],
		['no domain dot', 'a@localhost', /not an email address/],
		['a line break', 'a@example.com\r\nBcc: x@example.com', /line break/],
		['a NUL byte', 'a@example.com\u0000', /control character/],
		['a number', 42, /must be text.*got number/],
		['a nested list', [['a@example.com']], /got a nested list/],
		['an object without address', [{ email: 'a@example.com' }], /got an object without an address/],
		['an object with a non-text address', [{ address: 42 }], /non-text name or address/],
		[
			'an object with CR/LF in its name',
			[{ name: 'A\r\nBcc: x@y.z', address: 'a@example.com' }],
			/line break/,
		],
		[
			'an object smuggling a second address',
			[{ address: 'a@example.com, b@example.com' }],
			/not an email address/,
		],
		['one bad among good', 'a@example.com, oops', /"oops"/],
		['a bare name', 'Jane Doe', /"Jane Doe" in CC is not an email address/],
		['an empty address', 'a@example.com, <>', /CC contains an empty address/],
		['space-separated addresses', 'a@example.com b@example.com', /separate them with commas/],
		['a lone @', '@', /"@"/],
		['an unterminated quote', '"Jane <a@example.com>', /not an email address/],
		['a line feed only', 'a@example.com\nb@example.com', /line break/],
		['a tab', 'a@example.com\t', /control character/],
		['a DEL character', 'a@example.com\u007f', /control character/],
		[
			'header injection via the display name',
			'"X\r\nBcc: v@example.com" <a@example.com>',
			/line break/,
		],
	])('refuses %s, naming the field', (_label, input, message) => {
		const failure = failureOf(() => parseAddressList(input, 'CC'));
		expect(failure).toMatchObject({ kind: 'input', title: 'Invalid CC' });
		expect(failure.description).toMatch(message);
	});
});

describe('assertRecipientLimit', () => {
	const addresses = (count: number, prefix: string): MailAddress[] =>
		Array.from({ length: count }, (_, index) => ({
			name: '',
			address: `${prefix}${index}@example.com`,
		}));

	it('accepts exactly 100 recipients over To, CC and BCC', () => {
		expect(() =>
			assertRecipientLimit({
				To: addresses(50, 'to'),
				CC: addresses(30, 'cc'),
				BCC: addresses(20, 'bcc'),
			}),
		).not.toThrow();
	});

	it('counts the same address in two fields (in any case) once', () => {
		const to = addresses(100, 'x');
		const cc = to.map((entry) => ({ ...entry, address: entry.address.toUpperCase() }));
		expect(() => assertRecipientLimit({ To: to, CC: cc, BCC: [] })).not.toThrow();
	});

	it('refuses 101, with the count per field and what to do instead', () => {
		const failure = failureOf(() =>
			assertRecipientLimit({ To: addresses(1, 'to'), CC: [], BCC: addresses(100, 'bcc') }),
		);
		expect(failure).toMatchObject({ kind: 'input', title: 'Too many recipients' });
		expect(failure.description).toContain('101 recipients (To 1, BCC 100)');
		expect(failure.description).toContain('at most 100');
		expect(failure.description).toMatch(/Split the recipients/);
		expect(failure.description).toMatch(/one message per recipient/);
	});
});
