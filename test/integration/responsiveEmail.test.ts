import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { GmailSmtp } from '../../nodes/GmailSmtp/GmailSmtp.node';
import { fakeExecuteContext, jsonItems } from '../../testkit/fakeExecuteContext';
import { runGmailSmtpNode } from '../helpers/runNode';
import { credentialsFor, useSmtpTestServer } from '../helpers/smtpTestServer';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const ORDER_MJML = readFileSync(join(EXAMPLES, 'order-confirmation', 'html.mjml'), 'utf8');
const ORDERS = JSON.parse(readFileSync(join(EXAMPLES, 'orders.json'), 'utf8')) as IDataObject[];

/** The example, made a template of its own: prepared templates are kept per n8n process. */
const orderMjml = (variant: string) =>
	ORDER_MJML.replace('<mj-body ', `<mj-body css-class="${variant}" `);

/** Five orders: the example's three and two more, one with many lines. */
const orders = (linesOfLast = 2): INodeExecutionData[] =>
	jsonItems(
		...ORDERS,
		{ ...ORDERS[1], email: 'edsger@example.com', firstName: 'Edsger', vip: true },
		{
			...ORDERS[0],
			email: 'katherine@example.com',
			firstName: 'Katherine',
			order: {
				...(ORDERS[0].order as IDataObject),
				id: 'A-2000',
				lines: Array.from({ length: linesOfLast }, (_, index) => ({
					name: `Star chart ${index + 1}`,
					quantity: 1,
					price: '3.00',
				})),
			},
		},
	);

const parameters = (html: string, options: IDataObject = {}) => ({
	toEmail: (_index: number, item: INodeExecutionData) => item.json.email,
	subject: 'Your order {{order.id}} is confirmed, {{firstName}}',
	templateFormat: 'mjml',
	html,
	text: '',
	options: { preheader: 'Order {{order.id}}: {{order.total}} {{order.currency}}', ...options },
});

const escapeHtml = (text: string) =>
	text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const mjmlCore = jest.requireActual<{ default: (...args: unknown[]) => unknown }>('mjml-core');

describe('responsive emails: MJML, inlined CSS, preheader, Gmail clipping', () => {
	const server = useSmtpTestServer({ security: 'tls' }, 'block');
	let mjmlCompiles: jest.SpyInstance;
	beforeEach(() => {
		mjmlCompiles = jest.spyOn(mjmlCore, 'default');
	});
	afterEach(() => mjmlCompiles.mockRestore());

	it('Preview: compiles the MJML once for five items and renders each with its own order', async () => {
		const items = orders();
		const { context, hints } = fakeExecuteContext({
			parameters: { operation: 'preview', ...parameters(orderMjml('preview')) },
			items,
			credentials: credentialsFor(server),
		});
		const [output] = (await new GmailSmtp().execute.call(context)) as INodeExecutionData[][];

		expect(mjmlCompiles).toHaveBeenCalledTimes(1);
		expect(output).toHaveLength(5);
		for (const [index, { json, binary, pairedItem }] of output.entries()) {
			const order = items[index].json.order as IDataObject;
			const html = String(json.html);
			expect(pairedItem).toEqual({ item: index });
			expect(html).not.toContain('{{');
			expect(html).toContain(`Thank you, ${items[index].json.firstName}!`);
			for (const line of order.lines as IDataObject[]) {
				expect(html).toContain(`× ${escapeHtml(String(line.name))}`);
			}
			expect(html.includes('As a VIP customer')).toBe(items[index].json.vip === true);
			expect(html).toContain(`href="https://shop.example/orders/${order.id}"`);
			expect(html).toContain(`href="https://shop.example/email-preferences?order=${order.id}"`);
			// Inlined from <mj-style>, and the media queries kept for phones.
			expect(html).toMatch(/<td style="[^"]*padding: 6px 0; border-bottom: 1px solid #e8eaed;/);
			expect(html).toContain('@media only screen and (max-width: 480px)');
			// The preheader comes first in the body; the text part is made from the HTML without it.
			expect(html).toMatch(
				new RegExp(
					`<body[^>]*>\\s*<div style="display:none;[^"]*">Order ${order.id}: ${order.total} EUR&#847;`,
				),
			);
			expect(String(json.text)).toMatch(new RegExp(`^Thank you, ${items[index].json.firstName}!`));
			expect(String(json.text)).not.toContain('Order A-');
			expect(json).toMatchObject({ gmailClipped: false, htmlBytes: expect.any(Number) });
			expect(json.htmlBytes).toBeGreaterThan(html.length);
			expect(Buffer.from(binary!.html.data, 'base64').toString()).toBe(html);
		}
		expect(hints).toEqual([]);
		expect(server.connections).toBe(0);
	});

	it('Send: the delivered message carries the inlined styles, the media query and a text part', async () => {
		const output = await runGmailSmtpNode({
			parameters: { operation: 'send', ...parameters(orderMjml('send')) },
			items: orders(),
			credentials: credentialsFor(server),
		});
		expect(output.map((item) => item.json.messageId)).toHaveLength(5);
		expect(server.messages).toHaveLength(5);
		const ada = server.messages.find(
			(message) => message.envelope.to[0] === 'ada.lovelace@example.com',
		)!;
		const html = String(ada.parsed.html);
		expect(html).toMatch(
			/<td style="[^"]*border-bottom: 1px solid #e8eaed;[^"]*">1 × Analytical Engine poster<\/td>/,
		);
		expect(html).toContain('@media only screen and (max-width: 480px)');
		expect(ada.parsed.text).toMatch(/^Thank you, Ada!/);
	});

	it('an MJML error stops the node with its line before anything is sent (with Continue On Fail: every item fails with it)', async () => {
		const broken = orderMjml('broken')
			.replace('<mj-button ', '<mj-buton ')
			.replace('</mj-button>', '</mj-buton>');
		const run = (continueOnFail: boolean) =>
			runGmailSmtpNode({
				parameters: { operation: 'send', ...parameters(broken) },
				items: orders(),
				credentials: credentialsFor(server),
				continueOnFail,
			});
		const stopped = run(false);
		await expect(stopped).rejects.toBeInstanceOf(NodeOperationError);
		await stopped.catch((error: NodeOperationError) => {
			expect(error.message).toBe('MJML error in HTML');
			expect(error.description).toMatch(/^Line 39: Element mj-buton doesn't exist/);
		});
		const items = await run(true);
		expect(items).toHaveLength(orders().length);
		items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.error).toMatchObject({ message: 'MJML error in HTML', kind: 'input' });
		});
		expect(server.connections).toBe(0);
	});

	it('When Gmail Would Clip = Fail: the long order fails with its size, the others are sent; Preview flags it and warns', async () => {
		const items = orders(700);
		const template = orderMjml('clip');
		const sent = await runGmailSmtpNode({
			parameters: { operation: 'send', ...parameters(template, { whenGmailWouldClip: 'fail' }) },
			items,
			credentials: credentialsFor(server),
			continueOnFail: true,
		});
		expect(sent.slice(0, 4).every((item) => typeof item.json.messageId === 'string')).toBe(true);
		expect(sent[4].json.error).toMatchObject({
			message: 'Gmail would clip this message',
			description: expect.stringMatching(/^Its HTML is \d+\.\d KB as sent; .* about 102\.0 KB/),
		});
		expect(server.messages.map((message) => message.envelope.to[0])).not.toContain(
			'katherine@example.com',
		);

		// Preview shows what Send would do with the same options: that item fails there too.
		const failing = await runGmailSmtpNode({
			parameters: { operation: 'preview', ...parameters(template, { whenGmailWouldClip: 'fail' }) },
			items,
			credentials: credentialsFor(server),
			continueOnFail: true,
		});
		expect(failing[4].json.error).toMatchObject({ message: 'Gmail would clip this message' });

		const { context, hints } = fakeExecuteContext({
			parameters: { operation: 'preview', ...parameters(template) },
			items,
			credentials: credentialsFor(server),
		});
		const [preview] = (await new GmailSmtp().execute.call(context)) as INodeExecutionData[][];
		expect(preview.map((item) => item.json.gmailClipped)).toEqual([
			false,
			false,
			false,
			false,
			true,
		]);
		expect(preview[4].json.htmlBytes).toBeGreaterThan(102 * 1024);
		expect(hints).toEqual([
			expect.objectContaining({
				type: 'warning',
				location: 'outputPane',
				message: expect.stringContaining('Gmail would clip 1 of 5 message(s) (item 4)'),
			}),
		]);
	});

	it('HTML with Inline CSS off is sent exactly as written', async () => {
		const html = '<style>.x { color: red }</style><p class="x">Hi {{firstName}}</p>';
		const output = await runGmailSmtpNode({
			parameters: {
				operation: 'preview',
				...parameters(html, { inlineCss: false, preheader: '' }),
				subject: 'Hi',
				templateFormat: 'html',
			},
			items: jsonItems({ email: 'ada@example.com', firstName: 'Ada' }),
			credentials: credentialsFor(server),
		});
		expect(output[0].json.html).toBe('<style>.x { color: red }</style><p class="x">Hi Ada</p>');
		expect(mjmlCompiles).not.toHaveBeenCalled();
	});

	it('HTML with Inline CSS on (the default) gets its <style> rules inlined', async () => {
		const html = '<style>.x { color: red }</style><p class="x">Hi {{firstName}}</p>';
		const output = await runGmailSmtpNode({
			parameters: {
				operation: 'preview',
				...parameters(html, { preheader: '' }),
				subject: 'Hi',
				templateFormat: 'html',
			},
			items: jsonItems({ email: 'ada@example.com', firstName: 'Ada' }),
			credentials: credentialsFor(server),
		});
		expect(output[0].json.html).toBe(
			'<style>.x { color: red }</style><p class="x" style="color: red;">Hi Ada</p>',
		);
	});
});
