import { renderWith } from './renderWith';

const data = {
	zero: 0,
	blank: '  ',
	none: null,
	tags: ['vip', 'newsletter'],
	name: 'ada lovelace',
	nickname: '',
	order: { id: 'A-1', total: 12.5 },
};

describe('default and json', () => {
	it.each([
		['{{default nickname "there"}}', 'there'],
		['{{default nickname blank none missing name}}', 'ada lovelace'],
		['{{default zero 5}}', '0'],
		['[{{default missing}}]', '[]'],
		['{{json order}}', '{"id":"A-1","total":12.5}'],
		['{{json tags 1}}', '[\n "vip",\n "newsletter"\n]'],
	])('%s → %s', (template, expected) => {
		expect(renderWith(template, data).text).toBe(expected);
	});
});

describe('escaping of their output', () => {
	const hostile = { name: '<b>"Tom" & Jerry</b>', obj: { html: '<script>' } };

	it.each([
		[
			'{{default missing name}}',
			'&lt;b&gt;&quot;Tom&quot; &amp; Jerry&lt;/b&gt;',
			'<b>"Tom" & Jerry</b>',
		],
		['{{json obj}}', '{&quot;html&quot;:&quot;&lt;script&gt;&quot;}', '{"html":"<script>"}'],
	])('%s is escaped in HTML only', (template, html, text) => {
		expect(renderWith(template, hostile)).toEqual({ html, text });
	});
});
