import {
	breaksHeaderLine,
	hasControlCharacter,
	hasLineBreak,
	isEmailAddress,
	isUnset,
	truncate,
	withoutControlCharacters,
} from '../../nodes/GmailSmtp/fieldText';

describe('isUnset', () => {
	it.each([
		['undefined', undefined, true],
		['null', null, true],
		['empty text', '', true],
		['a space', ' ', false],
		['zero', 0, false],
		['false', false, false],
		['NaN', Number.NaN, false],
		['an empty list', [], false],
		['an empty object', {}, false],
		['text', 'a', false],
	])('%s', (_label, value, expected) => {
		expect(isUnset(value)).toBe(expected);
	});
});

describe('hasLineBreak', () => {
	it.each([
		['one line', 'smtp.gmail.com', false],
		['LF', 'me@gmail.com\nBcc: x@y.com', true],
		['CR', 'me@gmail.com\r', true],
		['CRLF', 'a\r\nb', true],
		['a tab', 'a\tb', false],
		['another control character', 'a\u0000b', false],
		['a Unicode line separator', 'a\u2028b', false],
		['empty', '', false],
	])('%s', (_label, text, expected) => {
		expect(hasLineBreak(text)).toBe(expected);
	});
});

// The two control-character rules differ only in the tab: header text may fold at one, other
// values (addresses, URLs, custom headers) take none.
describe.each([
	['hasControlCharacter', hasControlCharacter, true],
	['breaksHeaderLine', breaksHeaderLine, false],
])('%s', (_name, rule, refusesTab) => {
	it.each([
		['NUL', '\u0000', true],
		['backspace', '\u0008', true],
		['LF', '\n', true],
		['vertical tab', '\u000b', true],
		['CR', '\r', true],
		['escape', '\u001b', true],
		['unit separator', '\u001f', true],
		['DEL', '\u007f', true],
		['tab', '\t', refusesTab],
		['space', ' ', false],
		['tilde', '~', false],
		['C1 control (NEL)', '\u0085', false],
		['accented letter', 'é', false],
		['emoji', '📦', false],
	])('%s inside text', (_label, character, expected) => {
		expect(rule(`Order ${character}42`)).toBe(expected);
	});

	it('passes plain text', () => {
		expect(rule('Your order #42 has shipped')).toBe(false);
	});
});

describe('withoutControlCharacters', () => {
	it.each([
		['plain', 'invoice.pdf', 'invoice.pdf'],
		['line breaks', 'in\r\nvoice.pdf', 'invoice.pdf'],
		['a tab and NUL', 'in\tvoice\u0000.pdf', 'invoice.pdf'],
		['DEL', 'invoice\u007f.pdf', 'invoice.pdf'],
		['only control characters', '\n\r\t', ''],
		['non-ASCII kept', 'Rechnung für März.pdf', 'Rechnung für März.pdf'],
	])('%s', (_label, text, expected) => {
		expect(withoutControlCharacters(text)).toBe(expected);
	});

	it('gives the same answer when called again (no regex state carried over)', () => {
		expect(withoutControlCharacters('a\nb')).toBe('ab');
		expect(withoutControlCharacters('a\nb')).toBe('ab');
	});
});

describe('isEmailAddress', () => {
	it.each([
		['plain', 'jane@example.com', true],
		['subdomain and plus', 'jane+news@mail.example.co.uk', true],
		['unicode', 'zoë@exämple.de', true],
		['no @', 'jane.example.com', false],
		['two @', 'jane@doe@example.com', false],
		['no dot in the domain', 'jane@localhost', false],
		['a space', 'jane doe@example.com', false],
		['a display name', 'Jane <jane@example.com>', false],
		['a comma', 'a@example.com,b@example.com', false],
		['a quote', '"jane"@example.com', false],
		['a semicolon', 'jane;@example.com', false],
		['a backslash', 'ja\\ne@example.com', false],
		['nothing before @', '@example.com', false],
		['a trailing dot only', 'jane@example.', false],
		['a line break', 'jane@example.com\nBcc: x@y.com', false],
		['empty', '', false],
	])('%s', (_label, text, expected) => {
		expect(isEmailAddress(text)).toBe(expected);
	});
});

describe('truncate', () => {
	it.each([
		['shorter than the limit', 'abc', 5, 'abc'],
		['exactly the limit', 'abcde', 5, 'abcde'],
		['one over the limit', 'abcdef', 5, 'ab...'],
		['empty', '', 5, ''],
		['60: the custom-header quote', 'x'.repeat(61), 60, `${'x'.repeat(57)}...`],
		['80: the Message-ID quote', 'y'.repeat(100), 80, `${'y'.repeat(77)}...`],
	])('%s', (_label, text, maxLength, expected) => {
		const result = truncate(text, maxLength);
		expect(result).toBe(expected);
		expect(result.length).toBeLessThanOrEqual(maxLength);
	});
});
