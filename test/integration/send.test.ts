import type { INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { jsonItems } from '../../testkit/fakeExecuteContext';
import { runGmailSmtpNode } from '../helpers/runNode';
import {
	TEST_APP_PASSWORD,
	TEST_USER,
	credentialsFor,
	startSmtpTestServer,
	useSmtpTestServer,
	type SmtpTestServer,
	type TestServerOptions,
} from '../helpers/smtpTestServer';

const templates = {
	operation: 'send',
	toEmail: (_index: number, item: INodeExecutionData) => item.json.email,
	subject: 'Order {{orderId}} for {{firstName}}',
	html: '<p>Hi {{firstName}}, your total is {{order.total}}.</p>',
	text: 'Hi {{firstName}}, your total is {{order.total}}.',
	options: {},
};
/** What the templates above print, for tests about something else. */
const order = { orderId: '1', order: { total: '1.00' } };
/** An item for `letter`@example.com that the templates render. */
const customer = (letter: string) => ({
	email: `${letter.toLowerCase()}@example.com`,
	firstName: letter,
	...order,
});

/** Runs `test` against a server of its own, closed whatever happens. */
async function withSmtpTestServer(
	options: TestServerOptions,
	test: (server: SmtpTestServer) => Promise<void>,
) {
	const server = await startSmtpTestServer(options);
	try {
		await test(server);
	} finally {
		await server.close();
	}
}

describe.each(['tls', 'starttls'] as const)('send over %s', (security) => {
	const server = useSmtpTestServer({ security });

	it('renders the templates per item and returns what the server accepted', async () => {
		const output = await runGmailSmtpNode({
			parameters: templates,
			items: jsonItems(
				{ email: 'ada@example.com', firstName: 'Ada', orderId: 'A-1', order: { total: '12.50' } },
				{ email: 'bob@example.net', firstName: 'Bob', orderId: 'B-2', order: { total: '7.00' } },
			),
			credentials: credentialsFor(server),
		});

		expect(server.messages).toHaveLength(2);
		const [ada, bob] = server.messages;
		expect(ada.parsed.subject).toBe('Order A-1 for Ada');
		expect(ada.parsed.html).toBe('<p>Hi Ada, your total is 12.50.</p>');
		expect(ada.parsed.text?.trim()).toBe('Hi Ada, your total is 12.50.');
		expect(ada.parsed.headers.get('content-type')).toMatchObject({
			value: 'multipart/alternative',
		});
		expect(ada.envelope).toEqual({ from: TEST_USER, to: ['ada@example.com'] });
		expect(bob.parsed.subject).toBe('Order B-2 for Bob');

		expect(output).toHaveLength(2);
		output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.messageId).toBe(server.messages[index].parsed.messageId);
			expect(item.json.response).toMatch(/^250 /);
		});
		expect(output[0].json).toMatchObject({
			accepted: ['ada@example.com'],
			rejected: [],
			envelope: { from: TEST_USER, to: ['ada@example.com'] },
		});
		expect(server.logins.every((login) => login.secure)).toBe(true);
	});

	const fiftyCustomers = () =>
		jsonItems(
			...Array.from({ length: 50 }, (_, index) => ({
				email: `customer${index}@example.com`,
				firstName: `Customer ${index}`,
				orderId: String(index),
				order: { total: index },
			})),
		);

	it('sends 50 items over one connection and one login', async () => {
		const items = fiftyCustomers();

		const output = await runGmailSmtpNode({
			parameters: { ...templates, options: { maxConnections: 1 } },
			items,
			credentials: credentialsFor(server),
		});

		expect(output).toHaveLength(50);
		expect(server.messages.map((message) => message.envelope.to[0])).toEqual(
			items.map((item) => item.json.email),
		);
		expect(server.connections).toBe(1);
		expect(server.logins).toEqual([{ username: TEST_USER, ok: true, secure: true }]);
	});

	it('by default uses at most three connections, each logged in once, for 50 items', async () => {
		const items = fiftyCustomers();

		const output = await runGmailSmtpNode({
			parameters: templates,
			items,
			credentials: credentialsFor(server),
		});

		expect(output.map((item) => item.json.messageId)).toEqual(
			items.map(
				(item) =>
					server.messages.find((message) => message.envelope.to[0] === item.json.email)?.parsed
						.messageId,
			),
		);
		expect(server.messages).toHaveLength(50);
		expect(server.connections).toBeLessThanOrEqual(3);
		expect(server.logins).toHaveLength(server.connections);
	});
});

describe('send: content and recipients', () => {
	const server = useSmtpTestServer({ security: 'tls' }, 'block');

	it('escapes hostile item data in HTML but not in subject and text', async () => {
		const hostile = '<script>alert("x")</script> & {{constructor.constructor}}';
		await runGmailSmtpNode({
			parameters: {
				...templates,
				subject: 'Re: {{name}}',
				text: 'Name: {{name}}',
				html: '<b>{{name}}</b>',
			},
			items: jsonItems({ email: 'eve@example.com', name: hostile }),
			credentials: credentialsFor(server),
		});

		const [message] = server.messages;
		expect(message.parsed.html).toBe(
			'<b>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; {{constructor.constructor}}</b>',
		);
		expect(message.parsed.html).not.toContain('<script>');
		expect(message.parsed.subject).toBe(`Re: ${hostile}`);
		expect(message.parsed.text?.trim()).toBe(`Name: ${hostile}`);
	});

	it('keeps UTF-8 subjects and bodies intact', async () => {
		await runGmailSmtpNode({
			parameters: {
				...templates,
				subject: 'Grüße, {{firstName}} — 注文 {{orderId}} ✅',
				html: '<p>Ça va, {{firstName}}?</p>',
			},
			items: jsonItems({
				email: 'zoe@example.com',
				firstName: 'Zoë',
				orderId: '№7',
				order: { total: 1 },
			}),
			credentials: credentialsFor(server),
		});

		expect(server.messages[0].parsed.subject).toBe('Grüße, Zoë — 注文 №7 ✅');
		expect(server.messages[0].parsed.html).toBe('<p>Ça va, Zoë?</p>');
	});

	it('carries a 200 KB single-line body intact', async () => {
		const long = 'x'.repeat(200_000);
		await runGmailSmtpNode({
			parameters: { ...templates, html: '<p>{{long}}</p>', text: '{{long}}' },
			items: jsonItems({ email: 'long@example.com', firstName: 'L', long, ...order }),
			credentials: credentialsFor(server),
		});

		const [message] = server.messages;
		expect(message.parsed.html).toBe(`<p>${long}</p>`);
		expect(message.parsed.text).toBe(long);
		const rawLines = message.raw.toString('latin1').split('\r\n');
		expect(Math.max(...rawLines.map((line) => line.length))).toBeLessThanOrEqual(998);
	});

	it('accepts comma-separated To, CC, BCC and Reply-To lists and a From name', async () => {
		const output = await runGmailSmtpNode({
			parameters: {
				...templates,
				toEmail: 'a@example.com, "Doe, Jane" <jane@example.com>',
				options: {
					ccEmail: 'c1@example.com,c2@example.com',
					bccEmail: 'hidden@example.com',
					replyTo: 'support@example.com',
					fromName: 'Acme Shop',
				},
			},
			items: jsonItems({ firstName: 'Ann', orderId: '1', order: { total: 1 } }),
			credentials: credentialsFor(server),
		});

		const [message] = server.messages;
		expect(message.envelope.to.sort()).toEqual(
			[
				'a@example.com',
				'c1@example.com',
				'c2@example.com',
				'hidden@example.com',
				'jane@example.com',
			].sort(),
		);
		expect(message.parsed.headers.has('bcc')).toBe(false);
		expect(message.parsed.from?.value).toEqual([{ name: 'Acme Shop', address: TEST_USER }]);
		expect(message.parsed.replyTo?.text).toBe('support@example.com');
		expect((output[0].json.accepted as string[]).sort()).toEqual(message.envelope.to.sort());
	});

	it('fails an item with an invalid address, naming the field and the item', async () => {
		const run = runGmailSmtpNode({
			parameters: { ...templates, options: { ccEmail: 'not-an-address' } },
			items: jsonItems(
				{ email: 'ok@example.com', firstName: 'A', orderId: '1', order: { total: 1 } },
				{ email: 'ok2@example.com', firstName: 'B', orderId: '2', order: { total: 2 } },
			),
			credentials: credentialsFor(server),
		});

		await expect(run).rejects.toBeInstanceOf(NodeOperationError);
		await run.catch((error: NodeOperationError) => {
			expect(error.message).toBe('Invalid CC');
			expect(error.description).toContain('"not-an-address" in CC is not an email address');
			expect(error.context.itemIndex).toBe(0);
		});
		expect(server.messages).toHaveLength(0);
	});

	it('without Continue On Fail, names the items already sent with their Message-IDs', async () => {
		const error = await runGmailSmtpNode({
			parameters: templates,
			items: jsonItems(
				{ email: 'one@example.com', firstName: 'One', orderId: '1', order: { total: 1 } },
				{ email: 'two@example.com', firstName: 'Two', orderId: '2', order: { total: 2 } },
				{ email: 'not an address', firstName: 'Three', orderId: '3', order: { total: 3 } },
			),
			credentials: credentialsFor(server),
		}).catch((thrown: NodeOperationError) => thrown);

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(server.messages).toHaveLength(2);
		const sentIds = new Map(
			server.messages.map((message) => [message.envelope.to[0], message.parsed.messageId]),
		);
		expect((error as NodeOperationError).description).toContain(
			`2 other item(s) of this run were sent; skip them when re-running (item 0: ${sentIds.get('one@example.com')}, item 1: ${sentIds.get('two@example.com')}).`,
		);
		expect((error as NodeOperationError).context.itemIndex).toBe(2);
	});

	it('with Continue On Fail, reports the bad item and sends the others, in order', async () => {
		const output = await runGmailSmtpNode({
			parameters: templates,
			items: jsonItems(
				{ email: 'one@example.com', firstName: 'One', orderId: '1', order: { total: 1 } },
				{ email: 'not an address', firstName: 'Two', orderId: '2', order: { total: 2 } },
				{ email: 'three@example.com', firstName: 'Three', orderId: '3', order: { total: 3 } },
			),
			credentials: credentialsFor(server),
			continueOnFail: true,
		});

		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json.messageId).toBe(server.messages[0].parsed.messageId);
		expect(output[1].json).toEqual({
			error: {
				message: 'Invalid To',
				description: '"not an address" in To is not an email address.',
				kind: 'input',
			},
		});
		expect(output[2].json.messageId).toBe(server.messages[1].parsed.messageId);
		expect(server.messages.map((message) => message.envelope.to[0])).toEqual([
			'one@example.com',
			'three@example.com',
		]);
	});

	it('rejects a subject that item data turns into two lines', async () => {
		const output = await runGmailSmtpNode({
			parameters: { ...templates, subject: 'Hello {{firstName}}' },
			items: jsonItems({
				email: 'x@example.com',
				firstName: 'Mallory\r\nBcc: victim@example.com',
				...order,
			}),
			credentials: credentialsFor(server),
			continueOnFail: true,
		});

		expect(output[0].json.error).toMatchObject({
			message: 'Subject contains a line break',
			kind: 'input',
		});
		expect(server.messages).toHaveLength(0);
	});

	it('fails before sending when a template has a syntax error', async () => {
		const run = runGmailSmtpNode({
			parameters: { ...templates, html: '<p>{{#if firstName}}Hi</p>' },
			items: jsonItems({ email: 'x@example.com', firstName: 'X' }),
			credentials: credentialsFor(server),
		});

		await expect(run).rejects.toThrow('Template syntax error in HTML');
		expect(server.connections).toBe(0);
	});
});

describe('send: authentication and TLS', () => {
	it('reports a wrong App Password with the App Password hint, logs in once, and leaks nothing', async () => {
		const wrongPassword = 'wxyz wxyz wxyz wxyz';
		await withSmtpTestServer({ security: 'tls' }, async (server) => {
			const output = await runGmailSmtpNode({
				parameters: templates,
				items: jsonItems(customer('A'), customer('B'), customer('C')),
				credentials: credentialsFor(server, { appPassword: wrongPassword }),
				continueOnFail: true,
			});

			expect(output).toHaveLength(3);
			for (const [index, item] of output.entries()) {
				expect(item.pairedItem).toEqual({ item: index });
				expect(item.json.error).toMatchObject({
					message: 'Username and App Password not accepted',
					kind: 'auth',
					code: 'EAUTH',
					responseCode: 535,
				});
				expect((item.json.error as { description: string }).description).toContain('App Password');
			}
			// Repeated bad logins lock Google accounts: the other items must not try again.
			expect(server.logins).toHaveLength(1);
			expect(server.messages).toHaveLength(0);
			expect(JSON.stringify(output)).not.toMatch(/wxyz ?wxyz/);
		});
	});

	it('throws a NodeOperationError without the App Password in any field', async () => {
		const wrongPassword = 'qrstqrstqrstqrst';
		await withSmtpTestServer({ security: 'starttls' }, async (server) => {
			const error: NodeOperationError = await runGmailSmtpNode({
				parameters: templates,
				items: jsonItems(customer('A')),
				credentials: credentialsFor(server, { appPassword: wrongPassword }),
			}).then(
				() => {
					throw new Error('expected the node to fail');
				},
				(caught: NodeOperationError) => caught,
			);

			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe('Username and App Password not accepted');
			expect(error.description).toContain('App Password');
			expect(error.context.itemIndex).toBe(0);
			const everything = JSON.stringify({
				message: error.message,
				description: error.description,
				stack: error.stack,
				context: error.context,
				cause: (error as { cause?: unknown }).cause,
			});
			expect(everything).not.toContain(wrongPassword);
			expect(everything).not.toContain(Buffer.from(wrongPassword).toString('base64'));
			expect(everything).not.toContain(TEST_APP_PASSWORD);
		});
	});

	it('on STARTTLS, refuses to log in when the server does not offer STARTTLS', async () => {
		await withSmtpTestServer({ security: 'starttls', withoutStartTls: true }, async (server) => {
			const output = await runGmailSmtpNode({
				parameters: templates,
				items: jsonItems(customer('A'), customer('B')),
				credentials: credentialsFor(server),
				continueOnFail: true,
			});

			expect(server.logins).toEqual([]);
			expect(server.messages).toEqual([]);
			expect(output[0].json.error).toMatchObject({
				kind: 'config',
				code: 'ETLS',
				message: 'STARTTLS failed',
			});
			expect(output[1].json.error).toMatchObject({ kind: 'config', code: 'ETLS' });
		});
	});

	it('refuses a server whose certificate is not trusted, unless its CA is given', async () => {
		await withSmtpTestServer({ security: 'tls' }, async (server) => {
			const output = await runGmailSmtpNode({
				parameters: templates,
				items: jsonItems(customer('A')),
				credentials: credentialsFor(server, { caCertificate: '' }),
				continueOnFail: true,
			});

			expect(output[0].json.error).toMatchObject({
				kind: 'config',
				message: 'Server certificate not trusted',
				code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
			});
			expect(server.logins).toEqual([]);
		});
	});

	it('connects to an untrusted certificate only with the insecure switch on', async () => {
		await withSmtpTestServer({ security: 'tls' }, async (server) => {
			const output = await runGmailSmtpNode({
				parameters: templates,
				items: jsonItems(customer('A')),
				credentials: credentialsFor(server, { caCertificate: '', allowUnauthorizedCerts: true }),
			});

			expect(output[0].json.messageId).toBe(server.messages[0].parsed.messageId);
		});
	});

	it('reports a port/security mismatch before connecting', async () => {
		const run = runGmailSmtpNode({
			parameters: templates,
			items: jsonItems({ email: 'a@example.com' }),
			credentials: {
				user: TEST_USER,
				appPassword: TEST_APP_PASSWORD,
				port: 465,
				security: 'starttls',
			},
		});

		await expect(run).rejects.toThrow('Port and security do not match');
	});
});
