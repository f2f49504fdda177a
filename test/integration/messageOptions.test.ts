import type { INodeExecutionData } from 'n8n-workflow';

import { randomBytes } from 'node:crypto';

import { binaryProperty, jsonItems } from '../../testkit/fakeExecuteContext';
import { runGmailSmtpNode } from '../helpers/runNode';
import { credentialsFor, useSmtpTestServer } from '../helpers/smtpTestServer';

const baseParameters = {
	operation: 'send',
	toEmail: (_index: number, item: INodeExecutionData) => item.json.email,
	subject: 'Hello {{firstName}}',
	html: '<p>Hi {{firstName}}</p>',
	text: 'Hi {{firstName}}',
	options: {},
};

const server = useSmtpTestServer({ security: 'tls' }, 'block');

/** The raw header block as the server received it, one entry per physical line. */
function rawHeaderLines(raw: Buffer): string[] {
	const text = raw.toString('utf8');
	return text.slice(0, text.indexOf('\r\n\r\n')).split('\r\n');
}

describe('recipients', () => {
	it('sends to To, CC and BCC given as lists and { name, address } objects', async () => {
		await runGmailSmtpNode({
			parameters: {
				...baseParameters,
				toEmail: [{ name: 'Doe, Jane', address: 'jane@example.com' }, 'bob@example.com'],
				options: {
					ccEmail: ['c1@example.com', 'Carl <c2@example.com>'],
					bccEmail: 'h@example.com',
				},
			},
			items: jsonItems({ firstName: 'Ann' }),
			credentials: credentialsFor(server),
		});

		const [message] = server.messages;
		expect(message.parsed.to).toMatchObject({
			value: [
				{ name: 'Doe, Jane', address: 'jane@example.com' },
				{ name: '', address: 'bob@example.com' },
			],
		});
		expect(message.parsed.cc).toMatchObject({
			value: [
				{ name: '', address: 'c1@example.com' },
				{ name: 'Carl', address: 'c2@example.com' },
			],
		});
		expect(message.envelope.to.sort()).toEqual([
			'bob@example.com',
			'c1@example.com',
			'c2@example.com',
			'h@example.com',
			'jane@example.com',
		]);
	});

	it('refuses more than 100 recipients before connecting, and sends the other items', async () => {
		const many = Array.from({ length: 101 }, (_, index) => `r${index}@example.com`).join(', ');
		const output = await runGmailSmtpNode({
			parameters: {
				...baseParameters,
				toEmail: (_index: number, item: INodeExecutionData) => item.json.to,
			},
			items: jsonItems(
				{ to: many, firstName: 'Many' },
				{ to: 'one@example.com', firstName: 'One' },
			),
			credentials: credentialsFor(server),
			continueOnFail: true,
		});

		expect(output[0].json.error).toMatchObject({ message: 'Too many recipients', kind: 'input' });
		expect((output[0].json.error as { description: string }).description).toMatch(
			/101 recipients .*at most 100.*Split/,
		);
		expect(server.messages.map((message) => message.envelope.to)).toEqual([['one@example.com']]);
	});
});

describe('custom headers', () => {
	it('sends each header as its own line, with values from item data', async () => {
		await runGmailSmtpNode({
			parameters: {
				...baseParameters,
				options: (_index: number, item: INodeExecutionData) => ({
					customHeaders: {
						header: [
							{ name: 'X-Campaign-ID', value: item.json.campaign },
							{ name: 'X-Tag', value: 'a' },
							{ name: 'X-Tag', value: 'b' },
							{ name: 'X-Note', value: 'Grüße' },
							{ name: 'X-Optional', value: '' },
						],
					},
				}),
			},
			items: jsonItems({ email: 'a@example.com', firstName: 'A', campaign: 'spring-26' }),
			credentials: credentialsFor(server),
		});

		const [message] = server.messages;
		const lines = rawHeaderLines(message.raw);
		expect(lines).toContain('X-Campaign-ID: spring-26');
		expect(lines.filter((line) => line.startsWith('X-Tag:'))).toEqual(['X-Tag: a', 'X-Tag: b']);
		// Non-ASCII values travel as RFC 2047 encoded words.
		expect(lines).toContain('X-Note: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=');
		expect(message.parsed.headers.has('x-optional')).toBe(false);
	});

	it('refuses header injection and protected headers per item, naming the header', async () => {
		const output = await runGmailSmtpNode({
			parameters: {
				...baseParameters,
				options: (_index: number, item: INodeExecutionData) => ({
					customHeaders: { header: [{ name: item.json.headerName, value: item.json.headerValue }] },
				}),
			},
			items: jsonItems(
				{
					email: 'a@example.com',
					firstName: 'A',
					headerName: 'X-Ref',
					headerValue: 'x\r\nBcc: victim@example.com',
				},
				{ email: 'b@example.com', firstName: 'B', headerName: 'Subject', headerValue: 'Other' },
				{ email: 'c@example.com', firstName: 'C', headerName: 'X-Ref', headerValue: 'fine' },
			),
			credentials: credentialsFor(server),
			continueOnFail: true,
		});

		expect(output[0].json.error).toMatchObject({ message: 'Invalid custom header value' });
		expect((output[0].json.error as { description: string }).description).toContain('"X-Ref"');
		expect(output[1].json.error).toMatchObject({
			message: 'Header "Subject" cannot be set as a custom header',
		});
		expect(server.messages.map((message) => message.envelope.to)).toEqual([['c@example.com']]);
		expect(rawHeaderLines(server.messages[0].raw)).toContain('X-Ref: fine');
	});
});

describe('one-click unsubscribe', () => {
	it('sends List-Unsubscribe and List-Unsubscribe-Post each on one unfolded line', async () => {
		const token = 'c2VjcmV0LXRva2VuLWZvci1yZWNpcGllbnQtNDI'.repeat(3);
		await runGmailSmtpNode({
			parameters: {
				...baseParameters,
				options: (_index: number, item: INodeExecutionData) => ({
					unsubscribeUrl: `https://lists.example.com/unsubscribe?recipient=${item.json.id}&token=${token}`,
					unsubscribeEmail: 'mailto:unsubscribe@lists.example.com?subject=unsubscribe',
				}),
			},
			items: jsonItems({ email: 'a@example.com', firstName: 'A', id: 42 }),
			credentials: credentialsFor(server),
		});

		const lines = rawHeaderLines(server.messages[0].raw);
		const expected = `List-Unsubscribe: <https://lists.example.com/unsubscribe?recipient=42&token=${token}>, <mailto:unsubscribe@lists.example.com?subject=unsubscribe>`;
		expect(expected.length).toBeGreaterThan(200);
		const index = lines.indexOf(expected);
		expect(index).toBeGreaterThanOrEqual(0);
		// The next physical line starts a new header: nothing was folded into a continuation.
		expect(lines[index + 1]).toMatch(/^[\x21-\x39\x3b-\x7e]+: /);
		expect(lines).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
		expect(lines.filter((line) => /^list-unsubscribe/i.test(line))).toHaveLength(2);
	});

	it('refuses a non-HTTPS unsubscribe URL for that item', async () => {
		const output = await runGmailSmtpNode({
			parameters: { ...baseParameters, options: { unsubscribeUrl: 'http://example.com/u' } },
			items: jsonItems({ email: 'a@example.com', firstName: 'A' }),
			credentials: credentialsFor(server),
			continueOnFail: true,
		});

		expect(output[0].json.error).toMatchObject({
			message: 'Unsubscribe URL must use HTTPS',
			kind: 'input',
		});
		expect(server.messages).toHaveLength(0);
	});
});

describe('threaded follow-ups', () => {
	it('threads a follow-up under the messageId output of an earlier send', async () => {
		const [first] = await runGmailSmtpNode({
			parameters: { ...baseParameters, subject: 'Your quote' },
			items: jsonItems({ email: 'lead@example.com', firstName: 'Lea' }),
			credentials: credentialsFor(server),
		});
		const firstId = first.json.messageId as string;

		// The next workflow step carries the earlier output in the item, as a CRM sequence does.
		const [followUp] = await runGmailSmtpNode({
			parameters: {
				...baseParameters,
				subject: 'Your quote',
				options: (_index: number, item: INodeExecutionData) => ({
					inReplyTo: item.json.messageId,
					prefixSubjectWithRe: true,
				}),
			},
			items: jsonItems({ email: 'lead@example.com', firstName: 'Lea', messageId: firstId }),
			credentials: credentialsFor(server),
		});

		const [original, reply] = server.messages;
		expect(original.parsed.messageId).toBe(firstId);
		expect(reply.parsed.inReplyTo).toBe(firstId);
		expect(reply.parsed.references).toBe(firstId);
		expect(reply.parsed.subject).toBe('Re: Your quote');
		expect(rawHeaderLines(reply.raw)).toEqual(
			expect.arrayContaining([`In-Reply-To: ${firstId}`, `References: ${firstId}`]),
		);
		expect(followUp.json.messageId).not.toBe(firstId);
	});

	it('lists the whole chain in References, with a bare ID bracketed', async () => {
		const chain = ['<one@mail.example.com>', '<two@mail.example.com>'];
		await runGmailSmtpNode({
			parameters: {
				...baseParameters,
				subject: 'Re: Checking in',
				options: {
					references: chain.join(' '),
					inReplyTo: 'three@mail.example.com',
					prefixSubjectWithRe: true,
				},
			},
			items: jsonItems({ email: 'lead@example.com', firstName: 'Lea' }),
			credentials: credentialsFor(server),
		});

		const [message] = server.messages;
		expect(message.parsed.inReplyTo).toBe('<three@mail.example.com>');
		expect(message.parsed.references).toEqual([...chain, '<three@mail.example.com>']);
		expect(message.parsed.subject).toBe('Re: Checking in');
	});

	it('fails the item whose Message-ID is malformed', async () => {
		const output = await runGmailSmtpNode({
			parameters: { ...baseParameters, options: { inReplyTo: 'not a message id' } },
			items: jsonItems({ email: 'lead@example.com', firstName: 'Lea' }),
			credentials: credentialsFor(server),
			continueOnFail: true,
		});

		expect(output[0].json.error).toMatchObject({ message: 'Invalid In Reply To', kind: 'input' });
		expect((output[0].json.error as { description: string }).description).toMatch(
			/^"not a message id" in In Reply To is not a Message-ID/,
		);
		expect(server.messages).toHaveLength(0);
	});
});

describe('sender, priority and Message-ID', () => {
	it('uses the account domain for the Message-ID and returns that ID', async () => {
		const [output] = await runGmailSmtpNode({
			parameters: baseParameters,
			items: jsonItems({ email: 'a@example.com', firstName: 'A' }),
			credentials: credentialsFor(server, { fromName: 'Acme Shop' }),
		});

		const [message] = server.messages;
		expect(message.parsed.messageId).toMatch(/^<[0-9a-f-]{36}@example\.com>$/);
		expect(output.json.messageId).toBe(message.parsed.messageId);
		expect(message.parsed.from?.value).toEqual([
			{ name: 'Acme Shop', address: 'sender@example.com' },
		]);
	});

	it('uses the send-as alias for From, envelope and Message-ID domain, with the node From Name', async () => {
		await runGmailSmtpNode({
			parameters: {
				...baseParameters,
				options: { fromEmail: 'sales@alias-domain.example', fromName: 'Acme Sales' },
			},
			items: jsonItems({ email: 'a@example.com', firstName: 'A' }),
			credentials: credentialsFor(server, { fromName: 'Acme Shop' }),
		});

		const [message] = server.messages;
		expect(message.parsed.from?.value).toEqual([
			{ name: 'Acme Sales', address: 'sales@alias-domain.example' },
		]);
		expect(message.envelope.from).toBe('sales@alias-domain.example');
		expect(message.parsed.messageId).toMatch(/@alias-domain\.example>$/);
	});

	it.each([
		['high', ['X-Priority: 1 (Highest)', 'X-Msmail-Priority: High', 'Importance: High']],
		['low', ['X-Priority: 5 (Lowest)', 'X-Msmail-Priority: Low', 'Importance: Low']],
	])('marks a %s-priority message', async (priority, lines) => {
		await runGmailSmtpNode({
			parameters: { ...baseParameters, options: { priority } },
			items: jsonItems({ email: 'a@example.com', firstName: 'A' }),
			credentials: credentialsFor(server),
		});

		expect(rawHeaderLines(server.messages[0].raw)).toEqual(expect.arrayContaining(lines));
	});

	it('adds no priority headers for normal priority', async () => {
		await runGmailSmtpNode({
			parameters: { ...baseParameters, options: { priority: 'normal' } },
			items: jsonItems({ email: 'a@example.com', firstName: 'A' }),
			credentials: credentialsFor(server),
		});

		expect(rawHeaderLines(server.messages[0].raw).join('\n')).not.toMatch(/priority|importance/i);
	});
});

describe('attachments and inline images', () => {
	const pdfBytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(50_000)]);
	const pngBytes = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), randomBytes(2_000)]);
	const csvText = 'id;name\n1;Zoë\n';

	const itemWithFiles = (email: string): INodeExecutionData => ({
		json: { email, firstName: 'Ann' },
		binary: {
			invoice: binaryProperty(pdfBytes, {
				fileName: 'Rechnung März.pdf',
				mimeType: 'application/pdf',
			}),
			export: binaryProperty(csvText, { fileName: 'export.csv', mimeType: 'text/csv' }),
			logo: binaryProperty(pngBytes, { fileName: 'logo.png', mimeType: 'image/png' }),
		},
	});

	it('sends named binary properties as real attachments with their names, types and bytes', async () => {
		await runGmailSmtpNode({
			parameters: { ...baseParameters, options: { attachments: 'invoice, export' } },
			items: [itemWithFiles('a@example.com')],
			credentials: credentialsFor(server),
		});

		const [message] = server.messages;
		const attachments = message.parsed.attachments;
		expect(
			attachments.map((file) => [file.filename, file.contentType, file.contentDisposition]),
		).toEqual([
			['Rechnung März.pdf', 'application/pdf', 'attachment'],
			['export.csv', 'text/csv', 'attachment'],
		]);
		expect(attachments[0].content.equals(pdfBytes)).toBe(true);
		expect(attachments[1].content.toString('utf8')).toBe(csvText);
		expect(attachments.some((file) => file.related || file.cid)).toBe(false);
		expect(message.parsed.html).toBe('<p>Hi Ann</p>');
		// The logo was not named, so it was not sent.
		expect(attachments).toHaveLength(2);
	});

	it('embeds inline images with a cid the HTML refers to; only those are inline', async () => {
		await runGmailSmtpNode({
			parameters: {
				...baseParameters,
				html: '<p>Hi {{firstName}}</p><img src="cid:logo" alt="Acme">',
				options: {
					attachments: 'invoice',
					inlineImages: { image: [{ binaryPropertyName: 'logo', contentId: 'logo' }] },
				},
			},
			items: [itemWithFiles('a@example.com')],
			credentials: credentialsFor(server),
		});

		const [message] = server.messages;
		const { attachments } = message.parsed;
		expect(attachments).toHaveLength(2);
		const invoice = attachments.find((file) => file.filename === 'Rechnung März.pdf')!;
		const logo = attachments.find((file) => file.filename === 'logo.png')!;
		expect(invoice).toMatchObject({
			filename: 'Rechnung März.pdf',
			contentDisposition: 'attachment',
		});
		expect(invoice.cid).toBeUndefined();
		expect(logo).toMatchObject({
			filename: 'logo.png',
			contentType: 'image/png',
			contentDisposition: 'inline',
			cid: 'logo',
			related: true,
		});
		expect(logo.content.equals(pngBytes)).toBe(true);
		// mailparser resolves a cid: link to the part it names: the link found the logo.
		expect(message.parsed.html).toContain(
			`src="data:image/png;base64,${pngBytes.toString('base64')}"`,
		);
		const raw = message.raw.toString('utf8');
		expect(raw).toMatch(/Content-Type: multipart\/related; type="text\/html"/);
		expect(raw).toMatch(/\r\nContent-Id: <logo>\r\n/i);
		expect(raw).toMatch(/src=(3D)?"cid:logo"/);
	});

	it('fails the item that lacks a named binary property, naming the property and the item', async () => {
		const output = await runGmailSmtpNode({
			parameters: { ...baseParameters, options: { attachments: 'invoice' } },
			items: [
				itemWithFiles('a@example.com'),
				{
					json: { email: 'b@example.com', firstName: 'Bob' },
					binary: { data: binaryProperty('x', { mimeType: 'text/plain' }) },
				},
				{ json: { email: 'c@example.com', firstName: 'Cy' } },
			],
			credentials: credentialsFor(server),
			continueOnFail: true,
		});

		expect(output[1].json.error).toEqual({
			message: 'Binary property "invoice" not found',
			description:
				'Attachments names the binary property "invoice", but item 1 has only "data". Check the name in Attachments against the Binary tab of the previous node\'s output.',
			kind: 'input',
		});
		expect((output[2].json.error as { description: string }).description).toContain(
			'item 2 has no binary data',
		);
		expect(server.messages.map((message) => message.envelope.to)).toEqual([['a@example.com']]);
	});
});

describe('size guard', () => {
	it('refuses a message over 25 MB before connecting, with its size', async () => {
		const big = randomBytes(19 * 1024 * 1024);
		const run = runGmailSmtpNode({
			parameters: { ...baseParameters, options: { attachments: 'data' } },
			items: [
				{
					json: { email: 'a@example.com', firstName: 'A' },
					binary: {
						data: binaryProperty(big, { fileName: 'backup.zip', mimeType: 'application/zip' }),
					},
				},
			],
			credentials: credentialsFor(server),
		});

		await expect(run).rejects.toThrow('Message too large for Gmail');
		await run.catch((error: { description: string; context: { itemIndex: number } }) => {
			expect(error.description).toMatch(/about 26\.\d MB as sent; Gmail accepts at most 25\.0 MB/);
			expect(error.description).toContain('backup.zip 19.0 MB');
			expect(error.context.itemIndex).toBe(0);
		});
		expect(server.connections).toBe(0);
		expect(server.messages).toHaveLength(0);
	});
});
