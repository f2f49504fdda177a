import { compileTemplates } from '../../../nodes/GmailSmtp/templating/templateRenderer';
import { failureOf } from '../../helpers/failureOf';

// What MJML makes of an author's template: the same Handlebars, on other lines, inside more HTML
// (and, for a block between components, nothing at all).
const authored = [
	'<mjml><mj-body>', // 1
	'<mj-section><mj-column>', // 2
	'<mj-text>Hi {{firstName}},</mj-text>', // 3
	'<mj-table>{{#each lines}}<tr><td>{{name}}</td></tr>{{else}}<tr><td>none</td></tr>{{/each}}</mj-table>', // 4
	'<mj-button href="https://shop.example/{{orderId}}">Track</mj-button>', // 5
	'</mj-column></mj-section>',
	'</mj-body></mjml>',
].join('\n');
const produced = [
	'<!doctype html><html><body>',
	'<div>',
	'<table>',
	'<tr><td><div>Hi {{firstName}},</div></td></tr>',
	'<tr><td><table>{{#each lines}}<tr><td>{{name}}</td></tr>{{else}}<tr><td>none</td></tr>{{/each}}</table></td></tr>',
	'<tr><td><a href="https://shop.example/{{orderId}}">Track</a></td></tr>',
	'<!--[if mso]><v:roundrect href="https://shop.example/{{orderId}}"><![endif]-->',
	'</table></div></body></html>',
].join('\n');

const compile = (html: string, authoredHtml = authored) =>
	compileTemplates({ subject: '', html, text: '' }, { authoredHtml });

describe('templates produced from what the author wrote (MJML)', () => {
	it('renders the produced HTML', () => {
		const html = compile(produced).render({
			firstName: 'Ada',
			lines: [{ name: 'Poster' }],
			orderId: 'A-1',
		}).html;
		expect(html).toContain('<div>Hi Ada,</div>');
		expect(html).toContain('<td>Poster</td>');
		expect(html.match(/shop\.example\/A-1/g)).toHaveLength(2);
	});

	it.each([
		['firstName', { lines: [], orderId: 'A-1' }, '(line 3, column 13)'],
		['name', { firstName: 'Ada', lines: [{}], orderId: 'A-1' }, '(line 4, column 34) (in entry 0'],
		['orderId', { firstName: 'Ada', lines: [] }, '(line 5, column 39)'],
	])('reports a missing "%s" at the line and column the author wrote it', (path, data, where) => {
		const failure = failureOf(() => compile(produced).render(data));
		expect(failure.title).toBe(`Missing value for "${path}"`);
		expect(failure.description).toContain(where);
	});

	it('refuses Handlebars the producer dropped, at the author line, with the fix', () => {
		const dropped = produced
			.replace('{{#each lines}}', '')
			.replace('{{else}}<tr><td>none</td></tr>{{/each}}', '');
		const failure = failureOf(() => compile(dropped));
		expect(failure.title).toBe('MJML removed Handlebars from HTML');
		expect(failure.description).toMatch(
			/^Line 4, column 11: \{\{#each lines\}\} sits where MJML keeps no text/,
		);
		expect(failure.description).toContain('<mj-raw>{{#each items}}</mj-raw>');
	});

	it('notices a lost {{else}}', () => {
		const failure = failureOf(() =>
			compile(produced.replace('{{else}}<tr><td>none</td></tr>', '')),
		);
		expect(failure.description).toMatch(/^Line 4, column 11: \{\{#each lines\}\}/);
	});

	it("reports syntax errors and unknown helpers at the author's lines", () => {
		expect(
			failureOf(() => compile(produced, authored.replace('{{orderId}}', '{{orderId}'))).description,
		).toMatch(/^Line 5/);
		const helper = failureOf(() =>
			compile(produced, authored.replace('{{firstName}}', '{{shout firstName}}')),
		);
		expect(helper.title).toBe('Unknown helper "shout" in HTML');
		expect(helper.description).toMatch(/^Line 3, column 13/);
	});
});

describe('the preheader template', () => {
	it('is rendered per item with HTML escaping, and left out when empty', () => {
		const compiled = compileTemplates({
			subject: 'x',
			html: '<p>x</p>',
			text: '',
			preheader: 'Order {{orderId}} for {{name}}',
		});
		expect(compiled.render({ orderId: 'A-1', name: 'Tom & Jerry' }).preheader).toBe(
			'Order A-1 for Tom &amp; Jerry',
		);
		expect(compileTemplates({ subject: 'x', html: '', text: 'y' }).render({})).not.toHaveProperty(
			'preheader',
		);
	});

	it('names the Preheader in its errors', () => {
		expect(
			failureOf(() => compileTemplates({ subject: '', html: '', text: 'x', preheader: '{{#if}}' }))
				.title,
		).toBe('Template syntax error in Preheader');
		expect(
			failureOf(() =>
				compileTemplates({ subject: '', html: '', text: 'x', preheader: 'Hi {{who}}' }).render({}),
			).description,
		).toContain('The Preheader template prints "who"');
	});
});
