import { parseCustomHeaders } from '../../../nodes/GmailSmtp/message/headers';
import { failureOf } from '../../helpers/failureOf';

const rows = (...header: Array<{ name?: unknown; value?: unknown }>) => ({ header });

describe('parseCustomHeaders', () => {
	it('returns the rows of the fixed collection as header lines, in order, repeats allowed', () => {
		expect(
			parseCustomHeaders(
				rows(
					{ name: 'X-Campaign-Id', value: 'spring-2026' },
					{ name: ' X-Tag ', value: ' a ' },
					{ name: 'X-Tag', value: 'b' },
					{ name: 'X-Count', value: 3 },
					{ name: 'X-Flag', value: true },
					{ name: 'X-Note', value: 'Grüße ✅' },
				),
			),
		).toEqual([
			{ key: 'X-Campaign-Id', value: 'spring-2026' },
			{ key: 'X-Tag', value: 'a' },
			{ key: 'X-Tag', value: 'b' },
			{ key: 'X-Count', value: '3' },
			{ key: 'X-Flag', value: 'true' },
			{ key: 'X-Note', value: 'Grüße ✅' },
		]);
	});

	it.each([
		['nothing', undefined],
		['an empty collection', {}],
		['an empty list', rows()],
		['an untouched row', rows({ name: '', value: '' })],
		['a row whose value an expression left empty', rows({ name: 'X-Optional', value: '' })],
		['a null value', rows({ name: 'X-Optional', value: null })],
	])('returns no header for %s', (_label, input) => {
		expect(parseCustomHeaders(input)).toEqual([]);
	});

	it('accepts long values that can be folded at spaces or are MIME-encoded', () => {
		const spaced = `${'a'.repeat(900)} ${'b'.repeat(900)}`;
		const nonAscii = 'ü'.repeat(2000);
		expect(
			parseCustomHeaders(
				rows({ name: 'X-Spaced', value: spaced }, { name: 'X-Encoded', value: nonAscii }),
			),
		).toEqual([
			{ key: 'X-Spaced', value: spaced },
			{ key: 'X-Encoded', value: nonAscii },
		]);
	});

	it('also takes a plain list of name/value pairs', () => {
		expect(parseCustomHeaders([{ name: 'X-A', value: '1' }])).toEqual([{ key: 'X-A', value: '1' }]);
	});

	it.each([
		[
			'CR/LF in a value',
			{ name: 'X-A', value: 'ok\r\nBcc: victim@example.com' },
			'Invalid custom header value',
			/"X-A" contains a line break/,
		],
		[
			'a lone LF in a value',
			{ name: 'X-A', value: 'ok\nX-B: 1' },
			'Invalid custom header value',
			/line break/,
		],
		[
			'a trailing CR in a value',
			{ name: 'X-A', value: 'ok\r' },
			'Invalid custom header value',
			/line break/,
		],
		[
			'a NUL in a value',
			{ name: 'X-A', value: 'a\u0000b' },
			'Invalid custom header value',
			/control character/,
		],
		[
			'a DEL in a value',
			{ name: 'X-A', value: 'a\u007fb' },
			'Invalid custom header value',
			/control character/,
		],
		[
			'an object value',
			{ name: 'X-A', value: { a: 1 } },
			'Invalid custom header value',
			/must be text, got object/,
		],
		['a list value', { name: 'X-A', value: ['a'] }, 'Invalid custom header value', /got a list/],
		[
			'CR/LF in a name',
			{ name: 'X-A\r\nBcc', value: 'v' },
			'Invalid custom header name',
			/X-A\\r\\nBcc/,
		],
		[
			'a trailing LF in a name',
			{ name: 'X-A\n', value: 'v' },
			'Invalid custom header name',
			/line break/,
		],
		[
			'a colon in a name',
			{ name: 'X-A: evil', value: 'v' },
			'Invalid custom header name',
			/"X-A: evil" is not a valid header name/,
		],
		[
			'a space in a name',
			{ name: 'X A', value: 'v' },
			'Invalid custom header name',
			/not a valid header name/,
		],
		[
			'a non-ASCII name',
			{ name: 'X-Grüße', value: 'v' },
			'Invalid custom header name',
			/not a valid header name/,
		],
		[
			'an overlong name',
			{ name: `X-${'a'.repeat(80)}`, value: 'v' },
			'Invalid custom header name',
			/up to 76/,
		],
		['a non-text name', { name: 7, value: 'v' }, 'Invalid custom header name', /must be text/],
		[
			'an ASCII word too long for one header line',
			{ name: 'X-Token', value: 'a'.repeat(901) },
			'Invalid custom header value',
			/more than 900 characters without spaces/,
		],
		[
			'a value without a name',
			{ name: '', value: 'v' },
			'Custom header without a name',
			/"v" but no name/,
		],
	])('refuses %s', (_label, row, title, description) => {
		const failure = failureOf(() => parseCustomHeaders(rows(row)));
		expect(failure).toMatchObject({ kind: 'input', title });
		expect(failure.description).toMatch(description);
	});

	it.each([
		['From', /From Name and From Email options/],
		['to', /To field/],
		['CC', /CC option/],
		['Bcc', /BCC option/],
		['Subject', /Subject field/],
		['Message-ID', /unique ID/],
		['message-id', /unique ID/],
		['Date', /time of sending/],
		['Content-Type', /message structure/],
		['Content-Transfer-Encoding', /message structure/],
		['content-disposition', /message structure/],
		['MIME-Version', /message structure/],
		['Sender', /sending account/],
		['Return-Path', /receiving server/],
		['Reply-To', /Reply-To option/],
		['In-Reply-To', /In Reply To option/],
		['References', /In Reply To and References options/],
		['List-Unsubscribe', /Unsubscribe URL/],
		['LIST-UNSUBSCRIBE-POST', /Unsubscribe URL option/],
		['X-Priority', /Priority option/],
		['DKIM-Signature', /Gmail/],
	])('refuses the protected header %s, naming it and where it is set', (name, owner) => {
		const failure = failureOf(() => parseCustomHeaders(rows({ name, value: 'x' })));
		expect(failure.title).toBe(`Header "${name}" cannot be set as a custom header`);
		expect(failure.description).toMatch(owner);
	});

	it('refuses a protected header even when its value is empty', () => {
		expect(failureOf(() => parseCustomHeaders(rows({ name: 'Bcc', value: '' }))).title).toMatch(
			/Header "Bcc"/,
		);
	});

	it('refuses something that is not a list of pairs', () => {
		expect(failureOf(() => parseCustomHeaders({ header: 'X-A: 1' })).title).toBe(
			'Invalid custom headers',
		);
		expect(failureOf(() => parseCustomHeaders(['X-A: 1'])).title).toBe('Invalid custom headers');
	});
});
