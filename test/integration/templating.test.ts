import Handlebars from 'handlebars';
import type { INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { jsonItems } from '../../testkit/fakeExecuteContext';
import { runGmailSmtpNode } from '../helpers/runNode';
import { credentialsFor, useSmtpTestServer } from '../helpers/smtpTestServer';

const base = {
	operation: 'send',
	toEmail: (_index: number, item: INodeExecutionData) => item.json.email,
	subject: 'Hello {{firstName}}',
	html: '<p>Dear {{firstName}},</p>',
	text: '',
	options: {},
};

describe('templating in the send operation', () => {
	const server = useSmtpTestServer({ security: 'tls' }, 'block');

	it('by default fails an item with a missing value, naming the path and the item', async () => {
		const run = runGmailSmtpNode({
			parameters: base,
			items: jsonItems(
				{ email: 'ada@example.com', firstName: 'Ada' },
				{ email: 'bob@example.com', firstName: '' },
			),
			credentials: credentialsFor(server),
		});

		await expect(run).rejects.toBeInstanceOf(NodeOperationError);
		await run.catch((error: NodeOperationError) => {
			expect(error.message).toBe('Missing value for "firstName"');
			expect(error.description).toContain('Subject template prints "firstName" (line 1, column 9)');
			expect(error.context.itemIndex).toBe(1);
		});
		expect(server.messages.map((message) => message.envelope.to[0])).toEqual(['ada@example.com']);
	});

	it('leaves missing values empty when the option says so', async () => {
		await runGmailSmtpNode({
			parameters: { ...base, options: { missingVariable: 'leaveEmpty' } },
			items: jsonItems({ email: 'bob@example.com' }),
			credentials: credentialsFor(server),
		});
		expect(server.messages[0].parsed.subject).toBe('Hello');
	});

	it('formats dates in the workflow time zone and numbers in the chosen locale, with partials', async () => {
		await runGmailSmtpNode({
			parameters: {
				...base,
				subject: 'Bestellung vom {{formatDate orderedAt "dd.MM.yyyy HH:mm"}}',
				html: '{{#> layout}}<p>Summe: {{formatCurrency total "EUR"}}</p>{{/layout}}',
				options: {
					locale: 'de-DE',
					partials: {
						partial: [
							{ name: 'layout', template: '<main>{{> @partial-block}}{{> footer}}</main>' },
							{ name: 'footer', template: '<footer>{{shop}}</footer>' },
						],
					},
				},
			},
			items: jsonItems({
				email: 'ada@example.com',
				orderedAt: '2026-07-01T22:15:00Z',
				total: 1234.5,
				shop: 'Käse & Co',
			}),
			credentials: credentialsFor(server),
			timezone: 'Europe/Berlin',
		});

		const [message] = server.messages;
		expect(message.parsed.subject).toBe('Bestellung vom 02.07.2026 00:15');
		expect(String(message.parsed.html).trim()).toBe(
			'<main><p>Summe: 1.234,50\u00a0€</p><footer>Käse &amp; Co</footer></main>',
		);
	});

	it('sends HTML-only templates as multipart/alternative with a generated text part', async () => {
		await runGmailSmtpNode({
			parameters: {
				...base,
				html: '<h2>Order {{orderId}}</h2><p>Hi {{firstName}}, track it <a href="https://shop.example/t/{{orderId}}">here</a>:</p><ul>{{#each lines}}<li>{{name}}</li>{{/each}}</ul>',
			},
			items: jsonItems({
				email: 'ada@example.com',
				firstName: 'Ada',
				orderId: 'A-1',
				lines: [{ name: 'Apples' }, { name: 'Pears' }],
			}),
			credentials: credentialsFor(server),
		});

		const [message] = server.messages;
		expect(message.parsed.headers.get('content-type')).toMatchObject({
			value: 'multipart/alternative',
		});
		expect(message.parsed.text?.trim()).toBe(
			'ORDER A-1\n\nHi Ada, track it here [https://shop.example/t/A-1]:\n\n* Apples\n* Pears',
		);
		expect(message.parsed.html).toContain('<h2>Order A-1</h2>');
	});

	it('sends one digest for all items, paired with all of them', async () => {
		const output = await runGmailSmtpNode({
			parameters: {
				...base,
				sendMode: 'allItems',
				toEmail: 'owner@example.com',
				subject: 'Daily digest: {{items.length}} {{pluralize items.length "order"}}',
				html: '<table>{{#each items}}<tr><td>{{orderId}}</td><td>{{formatCurrency total "EUR"}}</td></tr>{{/each}}</table>',
				text: '{{#each items}}{{orderId}} {{formatCurrency total "EUR"}}\n{{/each}}',
			},
			items: jsonItems(
				{ orderId: 'A-1', total: 12.5 },
				{ orderId: 'B-2', total: '7' },
				{ orderId: 'C-3', total: 100 },
			),
			credentials: credentialsFor(server),
		});

		expect(server.messages).toHaveLength(1);
		const [digest] = server.messages;
		expect(digest.envelope.to).toEqual(['owner@example.com']);
		expect(digest.parsed.subject).toBe('Daily digest: 3 orders');
		expect(digest.parsed.text?.trim()).toBe('A-1 €12.50\nB-2 €7.00\nC-3 €100.00');
		expect(digest.parsed.html).toContain('<tr><td>B-2</td><td>€7.00</td></tr>');

		expect(output).toHaveLength(1);
		expect(output[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json.messageId).toBe(digest.parsed.messageId);
	});

	it('renders against Template Data instead of the item, keeping its values inert', async () => {
		const hostile = '{{constructor.constructor "return process"}} <script>x</script> __proto__';
		await runGmailSmtpNode({
			parameters: {
				...base,
				subject: 'Hi {{customer.firstName}}, {{owner.name}} here',
				html: '<p>{{customer.note}}</p>',
				options: {
					templateData: (_index: number, item: INodeExecutionData) => ({
						customer: item.json,
						owner: { name: 'Olga' },
					}),
				},
			},
			items: jsonItems({ email: 'ada@example.com', firstName: 'Ada', note: hostile }),
			credentials: credentialsFor(server),
		});

		const [message] = server.messages;
		expect(message.parsed.subject).toBe('Hi Ada, Olga here');
		expect(message.parsed.html).toBe(
			'<p>{{constructor.constructor &quot;return process&quot;}} &lt;script&gt;x&lt;/script&gt; __proto__</p>',
		);
	});

	it('accepts Template Data given as JSON text and fails the item when it is not an object', async () => {
		const output = await runGmailSmtpNode({
			parameters: {
				...base,
				options: { templateData: (index: number) => (index === 0 ? '{"firstName":"Json"}' : '42') },
			},
			items: jsonItems({ email: 'a@example.com' }, { email: 'b@example.com' }),
			credentials: credentialsFor(server),
			continueOnFail: true,
		});

		expect(server.messages.map((message) => message.parsed.subject)).toEqual(['Hello Json']);
		expect(output[1].json.error).toMatchObject({ message: 'Template Data is not an object' });
	});

	it('compiles each distinct template once per execution, however many items', async () => {
		const compiled: string[] = [];
		const create = Handlebars.create.bind(Handlebars);
		const spy = jest.spyOn(Handlebars, 'create').mockImplementation(() => {
			const environment = create();
			const compile = environment.compile.bind(environment);
			environment.compile = ((input: unknown, options?: CompileOptions) => {
				compiled.push(options?.noEscape ? 'plain' : 'html');
				return compile(input, options);
			}) as typeof environment.compile;
			return environment;
		});
		try {
			const output = await runGmailSmtpNode({
				parameters: {
					...base,
					html: '<p>Dear {{firstName}},</p>{{> footer}}',
					text: 'Dear {{firstName}},\n{{> footer}}',
					options: { partials: { partial: [{ name: 'footer', template: 'Acme' }] } },
				},
				items: jsonItems(
					...Array.from({ length: 40 }, (_, index) => ({
						email: `c${index}@example.com`,
						firstName: `C${index}`,
					})),
				),
				credentials: credentialsFor(server),
			});
			expect(output).toHaveLength(40);
		} finally {
			spy.mockRestore();
		}
		// Subject, HTML and Text, plus the footer once escaped (HTML) and once as written (text).
		expect(compiled.sort()).toEqual(['html', 'html', 'plain', 'plain', 'plain']);
	});

	it('refuses two partials with the same name before connecting', async () => {
		const run = runGmailSmtpNode({
			parameters: {
				...base,
				options: {
					partials: {
						partial: [
							{ name: 'footer', template: 'a' },
							{ name: 'footer', template: 'b' },
						],
					},
				},
			},
			items: jsonItems({ email: 'ada@example.com', firstName: 'Ada' }),
			credentials: credentialsFor(server),
		});

		await expect(run).rejects.toThrow('Duplicate partial name');
		expect(server.connections).toBe(0);
	});
});
