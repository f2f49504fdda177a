import { simpleParser } from 'mailparser';
import type { INodeExecutionData } from 'n8n-workflow';

import * as sharedTransports from '../../nodes/GmailSmtp/transport/sharedTransports';
import * as smtpTransport from '../../nodes/GmailSmtp/transport/smtpTransport';
import { jsonItems } from '../../testkit/fakeExecuteContext';
import { runGmailSmtpNode } from '../helpers/runNode';
import { TEST_USER, credentialsFor, useSmtpTestServer } from '../helpers/smtpTestServer';

const parameters = {
	operation: 'preview',
	toEmail: (_index: number, item: INodeExecutionData) => item.json.email,
	subject: 'Order {{orderId}} for {{firstName}}',
	html: '<p>Hi {{firstName}}, see <a href="https://shop.example/{{orderId}}">your order</a>.</p>',
	text: '',
	options: {
		ccEmail: 'team@example.com',
		bccEmail: 'archive@example.com',
		replyTo: 'support@example.com',
		fromName: 'Acme Shop',
	},
};

describe('preview', () => {
	const server = useSmtpTestServer({ security: 'tls' });
	let createTransport: jest.SpyInstance;
	let leaseTransport: jest.SpyInstance;

	beforeEach(() => {
		createTransport = jest.spyOn(smtpTransport, 'createPooledTransport');
		leaseTransport = jest.spyOn(sharedTransports, 'leaseTransport');
	});
	afterEach(() => {
		createTransport.mockRestore();
		leaseTransport.mockRestore();
	});

	it("takes Subject Text as written, never as a template (an AI Agent's subject)", async () => {
		const output = await runGmailSmtpNode({
			parameters: {
				...parameters,
				options: (_index: number, item: INodeExecutionData) => ({
					subjectText: item.json.agentSubject,
				}),
			},
			items: jsonItems(
				{
					email: 'ada@example.com',
					firstName: 'Ada',
					orderId: 'A-1',
					agentSubject: 'Your {{orderId}} & more',
				},
				{ email: 'bob@example.com', firstName: 'Bob', orderId: 'B-2', agentSubject: '' },
			),
			credentials: credentialsFor(server),
		});

		expect(output.map((item) => item.json.subject)).toEqual([
			'Your {{orderId}} & more',
			'Order B-2 for Bob',
		]);

		// The Subject template is not rendered for an item with Subject Text: its values may be missing.
		const withoutValues = await runGmailSmtpNode({
			parameters: {
				...parameters,
				subject: 'Order {{orderRef}}',
				options: { subjectText: 'Hello' },
			},
			items: jsonItems({ email: 'ada@example.com', firstName: 'Ada', orderId: 'A-1' }),
			credentials: credentialsFor(server),
		});
		expect(withoutValues[0].json.subject).toBe('Hello');
	});

	it('returns every rendered message without creating a transport or opening a connection', async () => {
		const output = await runGmailSmtpNode({
			parameters,
			items: jsonItems(
				{ email: 'ada@example.com', firstName: 'Ada', orderId: 'A-1' },
				{ email: '"Doe, Bob" <bob@example.com>', firstName: 'Bob', orderId: 'B-2' },
			),
			credentials: credentialsFor(server),
		});

		expect(output.map(({ json, pairedItem }) => ({ json, pairedItem }))).toEqual([
			{
				json: {
					subject: 'Order A-1 for Ada',
					html: '<p>Hi Ada, see <a href="https://shop.example/A-1">your order</a>.</p>',
					text: 'Hi Ada, see your order [https://shop.example/A-1].',
					from: `"Acme Shop" <${TEST_USER}>`,
					to: ['ada@example.com'],
					cc: ['team@example.com'],
					bcc: ['archive@example.com'],
					replyTo: ['support@example.com'],
					headers: {},
					attachments: [],
					// 7bit: short ASCII lines are sent as written.
					htmlBytes: 69,
					gmailClipped: false,
				},
				pairedItem: { item: 0 },
			},
			expect.objectContaining({
				json: expect.objectContaining({
					subject: 'Order B-2 for Bob',
					to: ['"Doe, Bob" <bob@example.com>'],
				}),
				pairedItem: { item: 1 },
			}),
		]);
		expect(createTransport).not.toHaveBeenCalled();
		expect(leaseTransport).not.toHaveBeenCalled();
		expect(server.connections).toBe(0);

		// The message to look at: its HTML for n8n's output panel, the whole of it as an .eml file.
		const { html, eml } = output[0].binary!;
		expect(html).toMatchObject({ mimeType: 'text/html', fileName: 'message.html' });
		expect(Buffer.from(html.data, 'base64').toString()).toBe(output[0].json.html);
		expect(eml).toMatchObject({ mimeType: 'message/rfc822', fileName: 'message.eml' });
		const parsed = await simpleParser(Buffer.from(eml.data, 'base64'));
		expect(parsed.subject).toBe('Order A-1 for Ada');
		expect(parsed.text?.trim()).toBe(output[0].json.text);
		expect(parsed.headers.has('bcc')).toBe(false);
		expect(server.messages).toHaveLength(0);
	});

	it('previews a digest as one message paired with all items', async () => {
		const output = await runGmailSmtpNode({
			parameters: {
				...parameters,
				sendMode: 'allItems',
				toEmail: 'owner@example.com',
				subject: '{{items.length}} new {{pluralize items.length "order"}}',
				html: '<ul>{{#each items}}<li>{{orderId}}</li>{{/each}}</ul>',
			},
			items: jsonItems({ orderId: 'A-1' }, { orderId: 'B-2' }),
			credentials: credentialsFor(server),
		});

		expect(output).toHaveLength(1);
		expect(output[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
		expect(output[0].json).toMatchObject({
			subject: '2 new orders',
			text: '* A-1\n* B-2',
			to: ['owner@example.com'],
		});
		expect(server.connections).toBe(0);
	});

	it('with Continue On Fail, reports an item with a missing value and previews the rest', async () => {
		const output = await runGmailSmtpNode({
			parameters,
			items: jsonItems(
				{ email: 'ada@example.com', orderId: 'A-1' },
				{ email: 'bob@example.com', firstName: 'Bob', orderId: 'B-2' },
			),
			credentials: credentialsFor(server),
			continueOnFail: true,
		});

		expect(output[0]).toEqual({
			json: {
				error: expect.objectContaining({ message: 'Missing value for "firstName"', kind: 'input' }),
			},
			pairedItem: { item: 0 },
		});
		expect(output[1].json.subject).toBe('Order B-2 for Bob');
		expect(server.connections).toBe(0);
	});

	it('shows the headers and attachments that options add', async () => {
		const output = await runGmailSmtpNode({
			parameters: {
				...parameters,
				options: {
					customHeaders: { header: [{ name: 'X-Campaign', value: 'spring' }] },
					unsubscribeUrl: 'https://shop.example/u/1',
					inReplyTo: '<first@example.com>',
					attachments: 'invoice',
				},
			},
			items: [
				{
					json: { email: 'ada@example.com', firstName: 'Ada', orderId: 'A-1' },
					binary: {
						invoice: {
							data: Buffer.from('%PDF-1.4').toString('base64'),
							mimeType: 'application/pdf',
							fileName: 'invoice.pdf',
						},
					},
				},
			],
			credentials: credentialsFor(server),
		});

		expect(output[0].json.headers).toEqual({
			'X-Campaign': 'spring',
			'List-Unsubscribe': '<https://shop.example/u/1>',
			'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
			'In-Reply-To': '<first@example.com>',
			References: '<first@example.com>',
		});
		expect(output[0].json.attachments).toEqual([
			{ filename: 'invoice.pdf', contentType: 'application/pdf', size: 8 },
		]);
		expect(server.connections).toBe(0);
	});
});
