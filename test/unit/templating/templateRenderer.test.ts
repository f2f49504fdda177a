import { GmailSmtpError } from '../../../nodes/GmailSmtp/errors/GmailSmtpError';
import { TemplateRenderer } from '../../../nodes/GmailSmtp/templating/templateRenderer';

const templates = (subject: string, html = '', text = '') => ({ subject, html, text });

describe('TemplateRenderer', () => {
	it('escapes HTML in the html part only', () => {
		const renderer = new TemplateRenderer();
		const data = { name: '<b>"Tom" & Jerry</b>' };
		expect(renderer.render(templates('{{name}}', '<p>{{name}}</p>', '{{name}}'), data)).toEqual({
			subject: '<b>"Tom" & Jerry</b>',
			html: '<p>&lt;b&gt;&quot;Tom&quot; &amp; Jerry&lt;/b&gt;</p>',
			text: '<b>"Tom" & Jerry</b>',
		});
	});

	it.each([
		['a template in the data', { name: '{{secret}}' }, '{{secret}}'],
		[
			'a prototype walk in the data',
			{ name: '{{constructor.constructor "return 1"}}' },
			'{{constructor.constructor "return 1"}}',
		],
	])('treats %s as text', (_label, data, expected) => {
		expect(
			new TemplateRenderer().render(templates('{{name}}'), { ...data, secret: 'x' }).subject,
		).toBe(expected);
	});

	it.each([
		['constructor', '{{constructor}}'],
		['__proto__', '{{__proto__}}'],
		['a prototype method call', '{{#with this}}{{constructor.name}}{{/with}}'],
		['lookup of constructor', '{{lookup this "constructor"}}'],
	])('does not reach prototypes through %s', (_label, subject) => {
		expect(new TemplateRenderer().render(templates(subject), { a: 1 }).subject).toBe('');
	});

	it('reports a syntax error with its line', () => {
		const renderer = new TemplateRenderer();
		try {
			renderer.prepare(templates('ok', '<p>one</p>\n{{/if}}'));
			throw new Error('expected a syntax error');
		} catch (error) {
			expect(error).toBeInstanceOf(GmailSmtpError);
			const failure = (error as GmailSmtpError).failure;
			expect(failure).toMatchObject({ kind: 'input', title: 'Template syntax error in HTML' });
			expect(failure.description).toMatch(/line 2/);
		}
	});

	it('compiles each template once for many items', () => {
		const renderer = new TemplateRenderer();
		const compile = jest.spyOn(
			(renderer as unknown as { handlebars: { compile: () => unknown } }).handlebars,
			'compile',
		);
		for (let index = 0; index < 20; index++) {
			renderer.render(templates('Hi {{n}}', '<p>{{n}}</p>', '{{n}}'), { n: index });
		}
		expect(compile).toHaveBeenCalledTimes(3);
	});

	it('renders nothing for an empty template', () => {
		expect(new TemplateRenderer().render(templates(''), {})).toEqual({
			subject: '',
			html: '',
			text: '',
		});
	});
});
