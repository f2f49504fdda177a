import { renderWith } from './renderWith';

describe('formatNumber and formatCurrency', () => {
	it.each([
		['grouping in en-US', '{{formatNumber n}}', {}, '1,234,567.891'],
		['grouping in de-DE', '{{formatNumber n}}', { locale: 'de-DE' }, '1.234.567,891'],
		[
			'grouping in fr-FR (narrow no-break space)',
			'{{formatNumber n}}',
			{ locale: 'fr-FR' },
			'1\u202f234\u202f567,891',
		],
		['grouping in en-IN (lakh)', '{{formatNumber n}}', { locale: 'en-IN' }, '12,34,567.891'],
		['fixed decimals', '{{formatNumber n decimals=1}}', {}, '1,234,567.9'],
		['numeric text from a CSV', '{{formatNumber text decimals=2}}', {}, '12.50'],
		['percent', '{{formatNumber rate style="percent"}}', {}, '25%'],
		['locale in the template', '{{formatNumber n decimals=0 locale="de-DE"}}', {}, '1.234.568'],
		['euro in en-US', '{{formatCurrency total "EUR"}}', {}, '€12.50'],
		['euro in de-DE', '{{formatCurrency total "EUR"}}', { locale: 'de-DE' }, '12,50\u00a0€'],
		['yen has no minor unit', '{{formatCurrency 1234.4 "JPY" locale="ja-JP"}}', {}, '￥1,234'],
		['pound from numeric text', '{{formatCurrency text "GBP" locale="en-GB"}}', {}, '£12.50'],
		['currency as hash', '{{formatCurrency total currency="USD"}}', {}, '$12.50'],
		['missing value prints nothing', '[{{formatCurrency nothing "EUR"}}]', {}, '[]'],
	])('%s', (_label, template, settings, expected) => {
		expect(
			renderWith(template, { n: 1234567.891, text: '12.5', rate: 0.25, total: 12.5 }, settings)
				.text,
		).toBe(expected);
	});

	it.each([
		[
			'text that is not a number',
			'{{formatNumber x}}',
			{ x: 'twelve' },
			'formatNumber: "twelve" is not a number',
		],
		[
			'a missing currency',
			'{{formatCurrency x}}',
			{ x: 1 },
			'formatCurrency: give a currency code',
		],
		[
			'an unknown currency',
			'{{formatCurrency x "EURO"}}',
			{ x: 1 },
			'formatCurrency: Invalid currency code',
		],
	])('rejects %s', (_label, template, data, message) => {
		expect(() => renderWith(template, data)).toThrow(
			expect.objectContaining({
				failure: expect.objectContaining({ description: expect.stringContaining(message) }),
			}),
		);
	});
});
