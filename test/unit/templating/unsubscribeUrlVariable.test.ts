import { compileTemplates } from '../../../nodes/GmailSmtp/templating/templateRenderer';

const url = 'https://n8n.example.com/webhook/x/unsubscribe?t=AQE&b=1';

describe('{{@unsubscribeUrl}}', () => {
	it('is a data variable: escaped in HTML, as written in text, never an item field', () => {
		const templates = compileTemplates({
			subject: 'Hi',
			html: '<a href="{{@unsubscribeUrl}}">Leave</a> {{unsubscribeUrl}}',
			text: 'Leave: {{@unsubscribeUrl}}',
		});
		const rendered = templates.render(
			{ unsubscribeUrl: 'from the item' },
			{},
			{ unsubscribeUrl: url },
		);
		expect(rendered.html).toBe(
			'<a href="https://n8n.example.com/webhook/x/unsubscribe?t&#x3D;AQE&amp;b&#x3D;1">Leave</a> from the item',
		);
		expect(rendered.text).toBe(`Leave: ${url}`);
	});

	it('reaches loops and partials', () => {
		const templates = compileTemplates(
			{
				subject: 'Hi',
				html: '',
				text: '{{#each items}}{{name}}: {{@unsubscribeUrl}}\n{{/each}}{{> footer}}',
			},
			{ partials: { footer: 'Footer: {{@unsubscribeUrl}}' } },
		);
		const rendered = templates.render(
			{ items: [{ name: 'a' }, { name: 'b' }] },
			{},
			{ unsubscribeUrl: url },
		);
		expect(rendered.text).toBe(`a: ${url}\nb: ${url}\nFooter: ${url}`);
	});

	it('is a missing value under the "error" policy when no link was made', () => {
		const templates = compileTemplates({ subject: 'Hi', html: '', text: '{{@unsubscribeUrl}}' });
		expect(() => templates.render({})).toThrow(/Missing value for "@unsubscribeUrl"/);
	});
});
