import { renderWith } from './renderWith';

const data = {
	status: 'paid',
	count: 3,
	countText: '3',
	zero: 0,
	empty: '',
	blank: '  ',
	none: null,
	tags: ['vip', 'newsletter'],
	noTags: [],
	lines: [{ name: 'Apples' }, { name: 'Pears' }, { other: 1 }],
	name: 'ada lovelace',
	nickname: '',
	order: { id: 'A-1', total: 12.5 },
};

describe('comparison helpers in {{#if}}', () => {
	it.each([
		['{{#if (eq status "paid")}}y{{else}}n{{/if}}', 'y'],
		['{{#if (eq count "3")}}y{{else}}n{{/if}}', 'y'],
		['{{#if (eq countText 3)}}y{{else}}n{{/if}}', 'y'],
		['{{#if (eq status "PAID")}}y{{else}}n{{/if}}', 'n'],
		['{{#if (eq missing none)}}y{{else}}n{{/if}}', 'n'],
		['{{#if (ne status "refunded")}}y{{else}}n{{/if}}', 'y'],
		['{{#if (gt count 2)}}y{{else}}n{{/if}}', 'y'],
		['{{#if (gt countText "10")}}y{{else}}n{{/if}}', 'n'],
		['{{#if (lt zero 1)}}y{{else}}n{{/if}}', 'y'],
		['{{#if (gte count 3)}}y{{else}}n{{/if}}', 'y'],
		['{{#if (lte count 2)}}y{{else}}n{{/if}}', 'n'],
		['{{#if (gt missing 0)}}y{{else}}n{{/if}}', 'n'],
		['{{#if (lt "2026-01-01" "2026-03-14")}}y{{else}}n{{/if}}', 'y'],
		['{{#if (and status count)}}y{{else}}n{{/if}}', 'y'],
		['{{#if (and status noTags)}}y{{else}}n{{/if}}', 'n'],
		['{{#if (or empty zero tags)}}y{{else}}n{{/if}}', 'y'],
		['{{#if (or empty zero)}}y{{else}}n{{/if}}', 'n'],
		['{{#if (not missing)}}y{{else}}n{{/if}}', 'y'],
		['{{#if (and (eq status "paid") (not (gt count 5)))}}y{{else}}n{{/if}}', 'y'],
		['{{eq status "paid"}}', 'true'],
	])('%s → %s', (template, expected) => {
		expect(renderWith(template, data).text).toBe(expected);
	});
});

describe('value and text helpers', () => {
	it.each([
		['{{default nickname "there"}}', 'there'],
		['{{default nickname blank none missing name}}', 'ada lovelace'],
		['{{default zero 5}}', '0'],
		['[{{default missing}}]', '[]'],
		['{{join tags}}', 'vip, newsletter'],
		['{{join tags " / "}}', 'vip / newsletter'],
		['{{join lines ", " property="name"}}', 'Apples, Pears'],
		['{{join lines ", " property="constructor"}}', ''],
		['[{{join missing}}]', '[]'],
		['{{json order}}', '{"id":"A-1","total":12.5}'],
		['{{json tags 1}}', '[\n "vip",\n "newsletter"\n]'],
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

describe('escaping of helper output', () => {
	const hostile = { name: '<b>"Tom" & Jerry</b>', list: ['<i>', '&'], obj: { html: '<script>' } };

	it.each([
		['{{upper name}}', '&lt;B&gt;&quot;TOM&quot; &amp; JERRY&lt;/B&gt;', '<B>"TOM" & JERRY</B>'],
		[
			'{{capitalize name}}',
			'&lt;b&gt;&quot;Tom&quot; &amp; Jerry&lt;/b&gt;',
			'<b>"Tom" & Jerry</b>',
		],
		[
			'{{default missing name}}',
			'&lt;b&gt;&quot;Tom&quot; &amp; Jerry&lt;/b&gt;',
			'<b>"Tom" & Jerry</b>',
		],
		['{{join list}}', '&lt;i&gt;, &amp;', '<i>, &'],
		['{{json obj}}', '{&quot;html&quot;:&quot;&lt;script&gt;&quot;}', '{"html":"<script>"}'],
		['{{{upper name}}}', '<B>"TOM" & JERRY</B>', '<B>"TOM" & JERRY</B>'],
	])('%s is escaped in HTML only', (template, html, text) => {
		expect(renderWith(template, hostile)).toEqual({ html, text });
	});
});
