import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { suppressionsFor } from '../../nodes/GmailSmtp/delivery/suppression/suppressionRegistry';
import { GmailSmtp } from '../../nodes/GmailSmtp/GmailSmtp.node';
import { verifyUnsubscribeToken } from '../../nodes/GmailSmtp/message/unsubscribeToken';
import { readGmailSmtpCredentials } from '../../nodes/GmailSmtp/transport/gmailSmtpCredentials';
import { fakeExecuteContext, jsonItems } from '../../testkit/fakeExecuteContext';
import { runGmailSmtpNode } from '../helpers/runNode';
import {
	credentialsFor,
	TEST_USER,
	useSmtpTestServer,
	type ReceivedMessage,
} from '../helpers/smtpTestServer';

const ENDPOINT = 'https://n8n.example.com/webhook/2d1f6a52-8c1e-4f0b-9f3e-7c2b1a0d9e84/unsubscribe';
const LINK_SECRET = 'Wq8v1Zs3Yt6Ux9Rb2Nc5Md7Lf0Kg4Jh';
const PEOPLE = ['ada@example.com', 'grace@example.com', 'alan@example.com'];

const server = useSmtpTestServer({ security: 'tls' }, 'block');

const credentials = (overrides: Record<string, unknown> = {}) =>
	credentialsFor(server, {
		unsubscribeEndpoint: ENDPOINT,
		linkSecret: LINK_SECRET,
		...overrides,
	});

const parameters = (options: IDataObject = {}, extra: IDataObject = {}) => ({
	operation: 'send',
	toEmail: (_index: number, item: INodeExecutionData) => item.json.email,
	subject: 'News for {{name}}',
	html: '<p>Hi {{name}}</p><p><a href="{{@unsubscribeUrl}}">Unsubscribe</a></p>',
	text: 'Hi {{name}}\nUnsubscribe: {{@unsubscribeUrl}}',
	options: { manageUnsubscribes: true, ...options },
	...extra,
});

const people = (...emails: string[]) =>
	jsonItems(...emails.map((email) => ({ email, name: email.split('@')[0] })));

/** The account's suppression lists, as the node finds them for these credentials. */
const suppressions = (overrides: Record<string, unknown> = {}) =>
	suppressionsFor(readGmailSmtpCredentials(credentials(overrides)));

const suppress = (email: string, list = 'default') =>
	suppressions().add(list, [{ email, reason: 'unsubscribe', at: new Date().toISOString() }]);

function headerValue(message: ReceivedMessage, name: string): string {
	const header = message.parsed.headerLines.find((line) => line.key === name.toLowerCase());
	if (!header) throw new Error(`no ${name} header`);
	return header.line.slice(header.line.indexOf(':') + 1).trim();
}

/** HTML character references as Handlebars writes them (`&#x3D;`, `&amp;`). */
function decodeEntities(text: string): string {
	return text
		.replace(/&#x([0-9a-f]+);/gi, (_, code) => String.fromCodePoint(parseInt(code, 16)))
		.replace(/&amp;/g, '&');
}

function receivedBy(email: string): ReceivedMessage {
	const message = server.messages.find((candidate) => candidate.envelope.to.includes(email));
	if (!message) throw new Error(`nothing was delivered to ${email}`);
	return message;
}

describe('Manage Unsubscribes', () => {
	it("gives each message its recipient's signed one-click link, in the header and the body", async () => {
		const output = await runGmailSmtpNode({
			parameters: parameters(),
			items: people(...PEOPLE),
			credentials: credentials(),
		});
		expect(output).toHaveLength(3);
		for (const [index, email] of PEOPLE.entries()) {
			const message = receivedBy(email);
			const listUnsubscribe = headerValue(message, 'List-Unsubscribe');
			const link = /^<(https:\/\/[^>]+)>$/.exec(listUnsubscribe)?.[1];
			expect(link).toBeDefined();
			const url = new URL(link!);
			expect(`${url.origin}${url.pathname}`).toBe(ENDPOINT);
			expect(headerValue(message, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
			// The token names this recipient, the default list and the message it came with.
			expect(
				verifyUnsubscribeToken(url.searchParams.get('t'), {
					account: TEST_USER,
					secret: LINK_SECRET,
				}),
			).toEqual({ email, list: 'default', messageId: message.parsed.messageId });
			expect(output[index].json).toMatchObject({
				messageId: message.parsed.messageId,
				suppressed: [],
			});
			// The same link in the body, as {{@unsubscribeUrl}}: escaped in HTML, as written in text.
			const href = /<a href="([^"]+)">Unsubscribe<\/a>/.exec(String(message.parsed.html))?.[1];
			expect(decodeEntities(href!)).toBe(link);
			expect(message.parsed.text).toContain(`Unsubscribe: ${link}`);
		}
	});

	it('writes each header on one line, within the 998 characters of RFC 5322', async () => {
		const longEmail = `${'a'.repeat(64)}@${'sub.'.repeat(40)}example.com`;
		await runGmailSmtpNode({
			parameters: parameters({ suppressionList: 'Quarterly Newsletter for Partners' }),
			items: people(longEmail),
			credentials: credentials(),
		});
		const raw = server.messages[0].raw.toString('utf8');
		const lines = raw.slice(0, raw.indexOf('\r\n\r\n')).split('\r\n');
		const header = lines.find((line) => line.startsWith('List-Unsubscribe:'))!;
		expect(header.length).toBeLessThanOrEqual(998);
		expect(lines[lines.indexOf(header) + 1]).toMatch(/^[A-Za-z-]+:/);
		const token = new URL(/<([^>]+)>/.exec(header)![1]).searchParams.get('t');
		expect(
			verifyUnsubscribeToken(token, { account: TEST_USER, secret: LINK_SECRET }),
		).toMatchObject({ email: longEmail, list: 'quarterly newsletter for partners' });
	});

	it('keeps an Unsubscribe Email next to the managed link', async () => {
		await runGmailSmtpNode({
			parameters: parameters({ unsubscribeEmail: 'leave@example.com' }),
			items: people('ada@example.com'),
			credentials: credentials(),
		});
		expect(headerValue(server.messages[0], 'List-Unsubscribe')).toMatch(
			/^<https:\/\/n8n\.example\.com\/[^>]+>, <mailto:leave@example\.com>$/,
		);
	});

	it('skips a suppressed recipient: not sent, not counted against the Daily Limit, status "suppressed"', async () => {
		await suppress('Alan@Example.com');
		// A Daily Limit of 2: a counted third message would be refused.
		const output = await runGmailSmtpNode({
			parameters: parameters(),
			items: people('ada@example.com', 'grace@example.com', 'ALAN@example.com'),
			credentials: credentials({ dailyLimit: 2 }),
		});
		expect(server.messages.map((message) => message.envelope.to)).toEqual([
			['ada@example.com'],
			['grace@example.com'],
		]);
		expect(output.map((item) => item.json.messageId !== undefined)).toEqual([true, true, false]);
		expect(output[2]).toEqual({
			json: { status: 'suppressed', suppressed: ['alan@example.com'] },
			pairedItem: { item: 2 },
		});
		// The Daily Limit counted two: a third address still goes out... after a new day only.
		const more = await runGmailSmtpNode({
			parameters: parameters(),
			items: people('alan@example.com', 'edsger@example.com'),
			credentials: credentials({ dailyLimit: 3 }),
			continueOnFail: true,
		});
		expect(more.map((item) => item.json.status ?? item.json.messageId !== undefined)).toEqual([
			'suppressed',
			true,
		]);
	});

	it('honours each list on its own', async () => {
		await suppress('ada@example.com', 'newsletter');
		const output = await runGmailSmtpNode({
			parameters: parameters(),
			items: people('ada@example.com'),
			credentials: credentials(),
		});
		expect(output[0].json.messageId).toBeDefined();
		const onNewsletter = await runGmailSmtpNode({
			parameters: parameters({ suppressionList: 'Newsletter' }),
			items: people('ada@example.com'),
			credentials: credentials(),
		});
		expect(onNewsletter[0].json).toEqual({ status: 'suppressed', suppressed: ['ada@example.com'] });
	});

	it('Preview shows the link and header without reading the list or sending', async () => {
		await suppress('ada@example.com');
		const output = await runGmailSmtpNode({
			parameters: { ...parameters(), operation: 'preview' },
			items: people('ada@example.com'),
			credentials: credentials(),
		});
		const preview = output[0].json as { headers: Record<string, string>; text: string };
		const link = /^<([^>]+)>$/.exec(preview.headers['List-Unsubscribe'])![1];
		expect(preview.text).toContain(link);
		expect(server.messages).toHaveLength(0);
	});

	it('Send and Wait does not wait for a recipient on the list', async () => {
		await suppress('ada@example.com');
		const { context, wait } = fakeExecuteContext({
			parameters: { ...parameters(), operation: 'sendAndWait', responseType: 'approval' },
			items: people('ada@example.com'),
			credentials: credentials(),
		});
		const [output] = await new GmailSmtp().execute.call(context);
		expect(output[0].json).toEqual({ status: 'suppressed', suppressed: ['ada@example.com'] });
		expect(wait.waitTill).toBeUndefined();
		expect(server.messages).toHaveLength(0);
	});
});

describe('Suppression List without Manage Unsubscribes', () => {
	const plain = (options: IDataObject) => ({
		...parameters({ manageUnsubscribes: false, ...options }),
		html: '<p>Hi {{name}}</p>',
		text: 'Hi {{name}}',
	});

	it('takes suppressed addresses out of To, CC and BCC and says which', async () => {
		await suppress('cc.gone@example.com');
		await suppress('BCC.gone@example.com');
		const output = await runGmailSmtpNode({
			parameters: plain({
				suppressionList: 'default',
				ccEmail: 'cc.kept@example.com, CC.Gone@example.com',
				bccEmail: 'bcc.gone@example.com',
			}),
			items: people('ada@example.com'),
			credentials: credentials(),
		});
		const [message] = server.messages;
		expect(message.envelope.to.sort()).toEqual(['ada@example.com', 'cc.kept@example.com']);
		expect(message.parsed.headers.get('cc')).toMatchObject({ text: 'cc.kept@example.com' });
		expect(output[0].json.suppressed).toEqual(['cc.gone@example.com', 'bcc.gone@example.com']);
		expect(message.parsed.headers.has('list-unsubscribe')).toBe(false);
	});

	it('does not mail CC and BCC alone when every To address is suppressed', async () => {
		await suppress('ada@example.com');
		const output = await runGmailSmtpNode({
			parameters: plain({ suppressionList: 'default', ccEmail: 'boss@example.com' }),
			items: people('ada@example.com'),
			credentials: credentials(),
		});
		expect(output[0].json).toEqual({ status: 'suppressed', suppressed: ['ada@example.com'] });
		expect(server.messages).toHaveLength(0);
	});

	it('reads no list and adds no field when neither option is set', async () => {
		await suppress('ada@example.com');
		const output = await runGmailSmtpNode({
			parameters: plain({}),
			items: people('ada@example.com'),
			credentials: credentials(),
		});
		expect(output[0].json.suppressed).toBeUndefined();
		expect(server.messages).toHaveLength(1);
	});
});

describe('bad input is an item error naming the field', () => {
	it.each([
		['no endpoint', {}, { unsubscribeEndpoint: '' }, 'No Unsubscribe Endpoint in the credential'],
		[
			'an http endpoint',
			{},
			{ unsubscribeEndpoint: 'http://n8n.example.com/webhook/x/unsubscribe' },
			'Unsubscribe Endpoint must use HTTPS',
		],
		[
			'not a URL',
			{},
			{ unsubscribeEndpoint: 'n8n.example.com/unsubscribe' },
			'Invalid Unsubscribe Endpoint',
		],
		['no secret', {}, { linkSecret: '' }, 'No Link Secret in the credential'],
		['a short secret', {}, { linkSecret: 'tooShort42' }, 'Link Secret too short'],
		['a bad list name', { suppressionList: 'news/letter' }, {}, 'Invalid Suppression List'],
		[
			'an Unsubscribe URL as well',
			{ unsubscribeUrl: 'https://example.com/u' },
			{},
			'Two unsubscribe links',
		],
	])('%s', async (_, options, credentialOverrides, title) => {
		const output = await runGmailSmtpNode({
			parameters: parameters(options),
			items: people('ada@example.com'),
			credentials: credentials(credentialOverrides),
			continueOnFail: true,
		});
		expect(output[0].json.error).toMatchObject({ message: title, kind: 'input' });
		expect(server.messages).toHaveLength(0);
	});

	it('several To addresses in one message', async () => {
		const output = await runGmailSmtpNode({
			parameters: parameters(),
			items: people('ada@example.com, grace@example.com'),
			credentials: credentials(),
			continueOnFail: true,
		});
		expect(output[0].json.error).toMatchObject({
			message: 'One To address per message with Manage Unsubscribes',
		});
	});

	it('an address that is not an address', async () => {
		const output = await runGmailSmtpNode({
			parameters: parameters(),
			items: people('not-an-address'),
			credentials: credentials(),
			continueOnFail: true,
		});
		expect(output[0].json.error).toMatchObject({ message: 'Invalid To', kind: 'input' });
	});

	it('{{@unsubscribeUrl}} in a template without Manage Unsubscribes', async () => {
		const output = await runGmailSmtpNode({
			parameters: parameters({ manageUnsubscribes: false }),
			items: people('ada@example.com'),
			credentials: credentials(),
			continueOnFail: true,
		});
		expect(output[0].json.error).toMatchObject({
			message: '{{@unsubscribeUrl}} needs Manage Unsubscribes',
		});
		expect(server.messages).toHaveLength(0);
	});

	it('never shows the Link Secret, even when it was typed into another field', async () => {
		const output = await runGmailSmtpNode({
			parameters: parameters({ suppressionList: `${LINK_SECRET}/x` }),
			items: people('ada@example.com'),
			credentials: credentials(),
			continueOnFail: true,
		});
		expect(output[0].json.error).toMatchObject({ message: 'Invalid Suppression List' });
		expect(JSON.stringify(output)).toContain('[redacted]');
		expect(JSON.stringify(output)).not.toContain(LINK_SECRET);
	});
});
