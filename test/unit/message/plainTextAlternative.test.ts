import {
	htmlToPlainText,
	withPlainTextAlternative,
} from '../../../nodes/GmailSmtp/message/plainTextAlternative';

describe('htmlToPlainText', () => {
	it.each([
		[
			'links as text [url]',
			'<p>See <a href="https://shop.example/o/1">your order</a>.</p>',
			'See your order [https://shop.example/o/1].',
		],
		[
			'a link whose text is its URL once',
			'<a href="https://x.example">https://x.example</a>',
			'https://x.example',
		],
		['bullet lists', '<ul><li>Apples x2</li><li>Pears</li></ul>', '* Apples x2\n* Pears'],
		['numbered lists', '<ol><li>one</li><li>two</li></ol>', '1. one\n 2. two'],
		['headings in capitals, set apart', '<h1>Your order</h1><p>Thanks</p>', 'YOUR ORDER\n\nThanks'],
		['line breaks and paragraphs', '<p>Bye<br>Shop</p><p>PS</p>', 'Bye\nShop\n\nPS'],
		['entities decoded', '<p>A &amp; B &lt;3</p>', 'A & B <3'],
		[
			'no styles, scripts or images',
			'<style>p{}</style><img src="cid:logo" alt="Logo"><p>Hi</p>',
			'Hi',
		],
	])('%s', (_label, html, text) => {
		expect(htmlToPlainText(html)).toBe(text);
	});
});

describe('withPlainTextAlternative', () => {
	it('generates text only when the text part is empty and there is HTML', () => {
		expect(withPlainTextAlternative({ subject: 's', html: '<p>Hi</p>', text: '' }).text).toBe('Hi');
		expect(withPlainTextAlternative({ subject: 's', html: '<p>Hi</p>', text: 'Own' }).text).toBe(
			'Own',
		);
		expect(withPlainTextAlternative({ subject: 's', html: '', text: '' }).text).toBe('');
	});
});

describe('very large HTML', () => {
	it("is turned into text without writing to the console (n8n's log)", () => {
		const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
		try {
			const text = htmlToPlainText(`<p>${'word '.repeat(3_500_000)}</p>`);
			expect(text.startsWith('word word')).toBe(true);
			expect(warn).not.toHaveBeenCalled();
		} finally {
			warn.mockRestore();
		}
	});
});
