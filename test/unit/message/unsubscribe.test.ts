import { buildUnsubscribeHeaders } from '../../../nodes/GmailSmtp/message/unsubscribeHeaders';
import { failureOf } from '../../helpers/failureOf';

const oneClick = {
	key: 'List-Unsubscribe-Post',
	value: { prepared: true, value: 'List-Unsubscribe=One-Click' },
};

describe('buildUnsubscribeHeaders', () => {
	it('adds List-Unsubscribe with both targets and the one-click POST header', () => {
		expect(
			buildUnsubscribeHeaders({
				url: 'https://example.com/unsubscribe?u=42&t=abc',
				email: 'unsubscribe@example.com',
			}),
		).toEqual([
			{
				key: 'List-Unsubscribe',
				value: {
					prepared: true,
					value: '<https://example.com/unsubscribe?u=42&t=abc>, <mailto:unsubscribe@example.com>',
				},
			},
			oneClick,
		]);
	});

	it('adds only List-Unsubscribe for a mailto alone: one-click needs an HTTPS URL', () => {
		expect(
			buildUnsubscribeHeaders({ email: 'mailto:leave@example.com?subject=unsubscribe%2042' }),
		).toEqual([
			{
				key: 'List-Unsubscribe',
				value: { prepared: true, value: '<mailto:leave@example.com?subject=unsubscribe%2042>' },
			},
		]);
	});

	it.each([
		['nothing', {}],
		['empty strings', { url: '', email: '' }],
		['whitespace', { url: '  ', email: ' ' }],
	])('adds nothing for %s', (_label, options) => {
		expect(buildUnsubscribeHeaders(options)).toEqual([]);
	});

	it.each([
		[
			'spaces, quotes and brackets',
			'https://example.com/u?n=a b"<c>',
			'https://example.com/u?n=a%20b%22%3Cc%3E',
		],
		[
			'a comma (the RFC 2369 separator)',
			'https://example.com/u?lists=a,b',
			'https://example.com/u?lists=a%2Cb',
		],
		['a non-ASCII host and path', 'https://exämple.com/ü', 'https://xn--exmple-cua.com/%C3%BC'],
		[
			'surrounding whitespace and a trailing line break',
			'  https://example.com/u \n',
			'https://example.com/u',
		],
	])('encodes %s so the header stays one plain line', (_label, url, expected) => {
		const [header] = buildUnsubscribeHeaders({ url });
		expect(header.value).toEqual({ prepared: true, value: `<${expected}>` });
	});

	it.each([
		[
			'an http URL',
			{ url: 'http://example.com/u' },
			'Unsubscribe URL must use HTTPS',
			/https:\/\//,
		],
		[
			'a javascript: URL',
			{ url: 'javascript:alert(1)' },
			'Unsubscribe URL must use HTTPS',
			/javascript:/,
		],
		[
			'a mailto in the URL field',
			{ url: 'mailto:a@example.com' },
			'Unsubscribe URL must use HTTPS',
			/mailto:/,
		],
		['no scheme', { url: 'example.com/u' }, 'Invalid Unsubscribe URL', /not a URL/],
		[
			'CR/LF inside the URL',
			{ url: 'https://example.com/u\r\nBcc: v@example.com' },
			'Invalid Unsubscribe URL',
			/line break/,
		],
		[
			'a tab inside the URL',
			{ url: 'https://example.com/\tu' },
			'Invalid Unsubscribe URL',
			/control character/,
		],
		['a number', { url: 42 }, 'Invalid Unsubscribe URL', /must be text/],
		[
			'an overlong URL',
			{ url: `https://example.com/${'a'.repeat(1000)}` },
			'Unsubscribe URL too long',
			/at most 998/,
		],
		[
			'a bad unsubscribe address',
			{ email: 'not an address' },
			'Invalid Unsubscribe Email',
			/not an email address/,
		],
		[
			'an address smuggling a second target',
			{ email: 'a@example.com>, <https://evil.example' },
			'Invalid Unsubscribe Email',
			/not an email address/,
		],
		[
			'CR/LF in the unsubscribe address',
			{ email: 'a@example.com\r\nX: 1' },
			'Invalid Unsubscribe Email',
			/line break/,
		],
		[
			'a space in the mailto query',
			{ email: 'a@example.com?subject=un subscribe' },
			'Invalid Unsubscribe Email',
			/Percent-encode/,
		],
		[
			'a non-ASCII unsubscribe address',
			{ email: 'zoë@example.com' },
			'Invalid Unsubscribe Email',
			/non-ASCII/,
		],
	])('refuses %s', (_label, options, title, description) => {
		const failure = failureOf(() => buildUnsubscribeHeaders(options));
		expect(failure).toMatchObject({ kind: 'input', title });
		expect(failure.description).toMatch(description);
	});
});
