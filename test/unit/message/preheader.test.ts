import { withPreheader } from '../../../nodes/GmailSmtp/message/preheader';

describe('withPreheader', () => {
	it('puts the preheader first in the body, hidden, followed by filler', () => {
		const html = withPreheader(
			'<html><head><title>x</title></head><body class="b"><p>Hello</p></body></html>',
			'Order A-1 ships today',
		);
		expect(html).toMatch(
			/^<html><head><title>x<\/title><\/head><body class="b"><div style="display:none;[^"]*">Order A-1 ships today(&#847;&zwnj;&nbsp;)+<\/div><p>Hello<\/p>/,
		);
	});

	it('goes before a fragment that has no <body>', () => {
		expect(withPreheader('<p>Hello</p>', 'Hi')).toMatch(
			/^<div style="display:none;[^"]*">Hi.*<\/div><p>Hello<\/p>$/,
		);
	});

	it('changes nothing when the preheader renders to nothing, or there is no HTML', () => {
		expect(withPreheader('<p>Hello</p>', '  ')).toBe('<p>Hello</p>');
		expect(withPreheader('<p>Hello</p>', undefined)).toBe('<p>Hello</p>');
		expect(withPreheader('', 'Hi')).toBe('');
	});
});
