import { renderWith } from './renderWith';

const data = {
	status: 'paid',
	count: 3,
	countText: '3',
	tags: ['vip', 'newsletter'],
	lines: [{ name: 'Apples' }, { name: 'Pears' }, { other: 1 }],
	name: 'ada lovelace',
};

describe('text helpers', () => {
	it.each([
		['{{join tags}}', 'vip, newsletter'],
		['{{join tags " / "}}', 'vip / newsletter'],
		['{{join lines ", " property="name"}}', 'Apples, Pears'],
		['{{join lines ", " property="constructor"}}', ''],
		['[{{join missing}}]', '[]'],
		['{{upper name}}', 'ADA LOVELACE'],
		['{{lower "ÉCOLE"}}', 'école'],
		['{{upper "istanbul" locale="tr"}}', 'İSTANBUL'],
		['{{capitalize name}}', 'Ada lovelace'],
		['[{{capitalize missing}}]', '[]'],
		['{{count}} {{pluralize count "item"}}', '3 items'],
		['{{pluralize 1 "item"}}', 'item'],
		['{{pluralize 0 "item"}}', 'items'],
		['{{pluralize countText "child" "children"}}', 'children'],
		['{{pluralize 0 "article" "articles" locale="fr"}}', 'article'],
	])('%s → %s', (template, expected) => {
		expect(renderWith(template, data).text).toBe(expected);
	});

	it('rejects pluralize without a number', () => {
		expect(() => renderWith('{{pluralize status "item"}}', data)).toThrow(/Could not render/);
	});
});

describe('escaping of their output', () => {
	const hostile = { name: '<b>"Tom" & Jerry</b>', list: ['<i>', '&'] };

	it.each([
		['{{upper name}}', '&lt;B&gt;&quot;TOM&quot; &amp; JERRY&lt;/B&gt;', '<B>"TOM" & JERRY</B>'],
		[
			'{{capitalize name}}',
			'&lt;b&gt;&quot;Tom&quot; &amp; Jerry&lt;/b&gt;',
			'<b>"Tom" & Jerry</b>',
		],
		['{{join list}}', '&lt;i&gt;, &amp;', '<i>, &'],
		['{{{upper name}}}', '<B>"TOM" & JERRY</B>', '<B>"TOM" & JERRY</B>'],
	])('%s is escaped in HTML only', (template, html, text) => {
		expect(renderWith(template, hostile)).toEqual({ html, text });
	});
});
