import { renderWith } from './renderWith';

const data = {
	status: 'paid',
	count: 3,
	countText: '3',
	zero: 0,
	empty: '',
	none: null,
	tags: ['vip', 'newsletter'],
	noTags: [],
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
