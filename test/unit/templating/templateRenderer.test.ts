import Handlebars from 'handlebars';

import {
	compileTemplates,
	type TemplateSettings,
} from '../../../nodes/GmailSmtp/templating/templateRenderer';
import { failureOf } from '../../helpers/failureOf';

const templates = (subject: string, html = '', text = '') => ({ subject, html, text });

const leaveEmpty: Partial<TemplateSettings> = { missingVariable: 'leaveEmpty' };

describe('compileTemplates', () => {
	it('escapes HTML in the html part only', () => {
		const data = { name: '<b>"Tom" & Jerry</b>' };
		expect(
			compileTemplates(templates('{{name}}', '<p>{{name}}</p>', '{{name}}')).render(data),
		).toEqual({
			subject: '<b>"Tom" & Jerry</b>',
			html: '<p>&lt;b&gt;&quot;Tom&quot; &amp; Jerry&lt;/b&gt;</p>',
			text: '<b>"Tom" & Jerry</b>',
		});
	});

	it.each([
		['a template in the data', '{{secret}}'],
		['a prototype walk in the data', '{{constructor.constructor "return 1"}}'],
		['a __proto__ key', '{{__proto__}}'],
		['a script tag', '<script>alert(1)</script>'],
	])('treats %s as inert text', (_label, value) => {
		const rendered = compileTemplates(templates('{{name}}', '<p>{{name}}</p>')).render({
			name: value,
			secret: 'x',
		});
		expect(rendered.subject).toBe(value);
		expect(rendered.html).not.toContain('<script>');
		expect(rendered.html).toContain(
			value.replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'),
		);
	});

	it('does not let a "__proto__" key in item data change prototypes', () => {
		const data = JSON.parse('{"__proto__": {"polluted": "yes"}, "name": "Ada"}');
		compileTemplates(templates('{{name}} {{__proto__.polluted}}')).render(data);
		expect(({} as { polluted?: string }).polluted).toBeUndefined();
	});

	it.each([
		['constructor', '{{constructor}}'],
		['__proto__', '{{__proto__}}'],
		['a prototype method call', '{{#with this}}{{constructor.name}}{{/with}}'],
		['lookup of constructor', '{{lookup this "constructor"}}'],
		['a helper argument', '{{upper constructor.name}}'],
	])('does not reach prototypes through %s', (_label, subject) => {
		expect(compileTemplates(templates(subject), leaveEmpty).render({ a: 1 }).subject).toBe('');
		// Under the error policy a prototype member is simply missing.
		if (!subject.includes('lookup')) {
			expect(failureOf(() => compileTemplates(templates(subject)).render({ a: 1 })).title).toMatch(
				/^Missing value/,
			);
		}
	});

	it.each([
		[
			'an unclosed mustache',
			'ok',
			'<p>one</p>\n  {{foo bar}',
			/^Line 2, column 12: Parse error on line 2/,
		],
		[
			'a mismatched block',
			'ok',
			'<p>one</p>\n  {{#if x}}a{{/each}}',
			/^Line 2, column 6: if doesn't match each/,
		],
		['a stray closing block', '{{/if}}', '', /^Line 1, column 1: Parse error/],
	])('reports %s with line and column', (_label, subject, html, description) => {
		const failure = failureOf(() => compileTemplates(templates(subject, html)));
		expect(failure.kind).toBe('input');
		expect(failure.title).toMatch(/^Template syntax error in (HTML|Subject)$/);
		expect(failure.description).toMatch(description);
	});

	it('reports an unknown helper before rendering', () => {
		const failure = failureOf(() => compileTemplates(templates('', '<p>\n{{formatdate at}}</p>')));
		expect(failure.title).toBe('Unknown helper "formatdate" in HTML');
		expect(failure.description).toMatch(/^Line 2, column 1: .*formatDate/);
	});

	it('compiles each template and partial once, then renders many items', () => {
		const create = Handlebars.create.bind(Handlebars);
		let compiles = 0;
		const spy = jest.spyOn(Handlebars, 'create').mockImplementation(() => {
			const environment = create();
			const compile = environment.compile.bind(environment);
			environment.compile = ((...args: Parameters<typeof compile>) => {
				compiles++;
				return compile(...args);
			}) as typeof compile;
			return environment;
		});
		const compiled = compileTemplates(
			templates('Hi {{n}}', '<p>{{n}}</p>{{> footer}}', '{{n}} {{> footer}}'),
			{ partials: { footer: 'Bye {{n}}' } },
		);
		spy.mockRestore();
		const rendered = Array.from({ length: 20 }, (_, n) => compiled.render({ n }));
		// subject, html, text, and the footer once for HTML and once for plain text.
		expect(compiles).toBe(5);
		expect(rendered[19]).toEqual({ subject: 'Hi 19', html: '<p>19</p>Bye 19', text: '19 Bye 19' });
	});

	it('leaves the subject out of a render when asked, without rendering it', () => {
		const compiled = compileTemplates(templates('Hi {{name}}', '<p>{{total}}</p>'));
		expect(compiled.render({ total: 3 }, { subject: false })).toEqual({
			subject: '',
			html: '<p>3</p>',
			text: '',
		});
		expect(failureOf(() => compiled.render({ total: 3 })).title).toBe('Missing value for "name"');
	});

	it('renders nothing for an empty template', () => {
		expect(compileTemplates(templates('')).render({})).toEqual({
			subject: '',
			html: '',
			text: '',
		});
	});
});

describe('missing variables', () => {
	const data = {
		firstName: 'Ada',
		blank: ' ',
		nothing: null,
		zero: 0,
		no: false,
		order: { id: 'A-1' },
	};

	it.each([
		['an absent field', 'Dear {{lastName}},', 'lastName', 'line 1, column 8'],
		['a blank field', 'Dear {{blank}},', 'blank', 'line 1, column 8'],
		['a null field', 'Dear {{nothing}},', 'nothing', 'line 1, column 8'],
		['an absent nested field', 'Order {{order.total}}', 'order.total', 'line 1, column 9'],
		['a field under an absent object', 'Hi {{customer.name}}', 'customer.name', 'line 1, column 6'],
		['a triple-stash', 'Hi {{{lastName}}}', 'lastName', 'line 1, column 7'],
		['a formatting helper argument', 'Hi\n{{upper lastName}}', 'lastName', 'line 2, column 9'],
		[
			'a field in a loop',
			'{{#each items}}{{name}}{{/each}}',
			'name',
			'in entry 1 of an {{#each}} loop',
		],
	])('fail the item for %s, naming the path and position', (_label, subject, path, where) => {
		const failure = failureOf(() =>
			compileTemplates(templates(subject)).render({
				...data,
				items: [{ name: 'x' }, { other: 1 }],
			}),
		);
		expect(failure).toMatchObject({ kind: 'input', title: `Missing value for "${path}"` });
		expect(failure.description).toContain('Subject template');
		expect(failure.description).toContain(where);
	});

	it.each([
		['default', '{{default lastName "there"}}', 'there'],
		['#if', '{{#if lastName}}{{lastName}}{{else}}friend{{/if}}', 'friend'],
		['#unless', '{{#unless lastName}}no name{{/unless}}', 'no name'],
		['#with', '{{#with customer}}{{name}}{{else}}none{{/with}}', 'none'],
		['#each over nothing', '[{{#each items}}{{this}}{{/each}}]', '[]'],
		['comparisons', '{{#if (eq customer.tier "gold")}}gold{{else}}std{{/if}}', 'std'],
		['zero and false are values', '{{zero}} {{no}}', '0 false'],
		['nested default', '{{upper (default lastName "x")}}', 'X'],
		['@index inside a loop', '{{#each order}}{{@key}}{{/each}}', 'id'],
	])('still lets templates handle missing values with %s', (_label, subject, expected) => {
		expect(compileTemplates(templates(subject)).render(data).subject).toBe(expected);
	});

	it('leaves them empty when asked to', () => {
		expect(
			compileTemplates(templates('Dear {{lastName}}, {{upper blank}}'), leaveEmpty).render(data)
				.subject,
		).toBe('Dear , ');
	});
});

describe('partials', () => {
	const partials = {
		footer: '-- {{shop}}',
		greeting: 'Hi {{firstName}}',
		layout: '<div class="mail">{{> @partial-block}}</div>{{> footer}}',
	};

	it('are usable from subject, HTML and text, escaped in HTML only', () => {
		const rendered = compileTemplates(
			templates(
				'{{> greeting}}!',
				'{{#> layout}}<p>{{> greeting}}</p>{{/layout}}',
				'{{> greeting}}, thanks.\n{{> footer}}',
			),
			{ partials },
		).render({ firstName: 'Ada', shop: 'A & B <Shop>' });
		expect(rendered).toEqual({
			subject: 'Hi Ada!',
			html: '<div class="mail"><p>Hi Ada</p></div>-- A &amp; B &lt;Shop&gt;',
			text: 'Hi Ada, thanks.\n-- A & B <Shop>',
		});
	});

	it('can also be defined inline in a template', () => {
		expect(
			compileTemplates(templates('{{#*inline "sig"}}-- {{shop}}{{/inline}}Hi {{> sig}}')).render({
				shop: 'Acme',
			}).subject,
		).toBe('Hi -- Acme');
	});

	it('see the data of the loop they are used in', () => {
		const compiled = compileTemplates(templates('{{#each lines}}{{> line}}; {{/each}}'), {
			partials: { line: '{{name}} x{{qty}}' },
		});
		expect(
			compiled.render({
				lines: [
					{ name: 'Apples', qty: 2 },
					{ name: 'Pears', qty: 1 },
				],
			}).subject,
		).toBe('Apples x2; Pears x1; ');
	});

	it('report missing values with the partial name', () => {
		const failure = failureOf(() =>
			compileTemplates(templates('', '{{> footer}}'), { partials }).render({}),
		);
		expect(failure.title).toBe('Missing value for "shop"');
		expect(failure.description).toContain('partial "footer" used by HTML');
	});

	it.each([
		['an unknown partial', {}, '{{> footr}}', 'Unknown partial "footr" in Subject'],
		[
			'a prototype name as partial',
			{},
			'{{> constructor}}',
			'Unknown partial "constructor" in Subject',
		],
		[
			'a syntax error in a partial',
			{ footer: '{{#if}}' },
			'{{> footer}}',
			'Template syntax error in partial "footer"',
		],
	])('report %s before sending', (_label, defined, subject, title) => {
		expect(failureOf(() => compileTemplates(templates(subject), { partials: defined })).title).toBe(
			title,
		);
	});

	it('reject names that cannot be written as {{> name}}', () => {
		expect(
			failureOf(() => compileTemplates(templates(''), { partials: { 'my footer': 'x' } })).title,
		).toBe('Invalid partial name');
	});
});
