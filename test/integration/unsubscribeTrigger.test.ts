import type {
	IDataObject,
	IHookFunctions,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { suppressionsFor } from '../../nodes/GmailSmtp/delivery/suppression/suppressionRegistry';
import {
	readManagedUnsubscribe,
	unsubscribeUrlFor,
} from '../../nodes/GmailSmtp/message/managedUnsubscribe';
import { readGmailSmtpCredentials } from '../../nodes/GmailSmtp/transport/gmailSmtpCredentials';
import { GmailSmtpTrigger } from '../../nodes/GmailSmtpTrigger/GmailSmtpTrigger.node';
import { jsonItems } from '../../testkit/fakeExecuteContext';
import { startRedisServer } from '../../testkit/redisServer';
import { runGmailSmtpNode } from '../helpers/runNode';
import { credentialsFor, useSmtpTestServer } from '../helpers/smtpTestServer';

const ENDPOINT = 'https://n8n.example.com/webhook/2d1f6a52-8c1e-4f0b-9f3e-7c2b1a0d9e84/unsubscribe';
const LINK_SECRET = 'Wq8v1Zs3Yt6Ux9Rb2Nc5Md7Lf0Kg4Jh';

const server = useSmtpTestServer({ security: 'tls' }, 'block');

const credentials = (overrides: Record<string, unknown> = {}) =>
	credentialsFor(server, { unsubscribeEndpoint: ENDPOINT, linkSecret: LINK_SECRET, ...overrides });

interface Request {
	method: 'GET' | 'POST';
	url: string;
	/** As n8n hands it over: parsed from application/x-www-form-urlencoded or multipart/form-data. */
	body?: IDataObject;
	credentials?: Record<string, unknown>;
}

/** What n8n hands the trigger's `webhook` for one request, and what the trigger answered. */
async function callTrigger(request: Request) {
	const written: { status?: number; headers: Record<string, string>; body?: string } = {
		headers: {},
	};
	const response = {
		setHeader: (name: string, value: string) => void (written.headers[name.toLowerCase()] = value),
		status: (code: number) => ((written.status = code), response),
		end: (body: string) => void (written.body = body),
	};
	const url = new URL(request.url);
	const context = {
		getRequestObject: () => ({ method: request.method, headers: {} }),
		getResponseObject: () => response,
		getQueryData: () => Object.fromEntries(url.searchParams),
		getBodyData: () => request.body ?? {},
		getCredentials: async () => request.credentials ?? credentials(),
		getNodeParameter: (name: string) => (name === 'event' ? 'unsubscribe' : undefined),
	} as unknown as IWebhookFunctions;
	const result: IWebhookResponseData = await new GmailSmtpTrigger().webhook.call(context);
	expect(result.noWebhookResponse).toBe(true);
	const items = (result.workflowData?.[0] ?? []).map((item: INodeExecutionData) => item.json);
	return { ...written, items };
}

/** Sends to each address with Manage Unsubscribes; returns each message's List-Unsubscribe link. */
async function sendTo(emails: string[], credentialOverrides: Record<string, unknown> = {}) {
	const output = await runGmailSmtpNode({
		parameters: {
			operation: 'send',
			toEmail: (_index: number, item: INodeExecutionData) => item.json.email,
			subject: 'News',
			text: 'Hello. Unsubscribe: {{@unsubscribeUrl}}',
			html: '',
			options: { manageUnsubscribes: true },
		},
		items: jsonItems(...emails.map((email) => ({ email }))),
		credentials: credentials(credentialOverrides),
	});
	const links: Record<string, string> = {};
	for (const message of server.messages.splice(0)) {
		const line = message.parsed.headerLines.find(({ key }) => key === 'list-unsubscribe')!.line;
		links[message.envelope.to[0]] = /<([^>]+)>/.exec(line)![1];
	}
	return { output, links };
}

const oneClick = { 'List-Unsubscribe': 'One-Click' };
const isSuppressed = async (email: string, overrides: Record<string, unknown> = {}) =>
	(await suppressionsFor(readGmailSmtpCredentials(credentials(overrides))).find('default', [email]))
		.size === 1;

describe('Gmail SMTP Trigger, event Unsubscribe', () => {
	it('a one-click POST records the address, answers 200 and starts the workflow with one item', async () => {
		const { links } = await sendTo(['ada@example.com', 'grace@example.com', 'alan@example.com']);

		const answered = await callTrigger({
			method: 'POST',
			url: links['alan@example.com'],
			body: oneClick,
		});
		expect(answered.status).toBe(200);
		expect(answered.body).toContain('You are unsubscribed');
		expect(answered.headers['content-type']).toBe('text/html; charset=utf-8');
		expect(answered.items).toEqual([
			{
				email: 'alan@example.com',
				list: 'default',
				method: 'one-click',
				messageId: expect.stringMatching(/^<[0-9a-f-]{36}@example\.com>$/),
				at: expect.any(String),
			},
		]);
		expect(Date.parse(answered.items[0].at as string)).not.toBeNaN();

		// The next send to the three delivers two and reports the third as suppressed.
		const { output } = await sendTo(['ada@example.com', 'grace@example.com', 'alan@example.com']);
		expect(output.map((item) => item.json.status ?? 'sent')).toEqual([
			'sent',
			'sent',
			'suppressed',
		]);
		expect(output[2].json).toEqual({ status: 'suppressed', suppressed: ['alan@example.com'] });
	});

	it('a one-click POST sent as multipart/form-data (as RFC 8058 asks; n8n parses it into data) records the address too', async () => {
		const { links } = await sendTo(['ada@example.com']);
		const answered = await callTrigger({
			method: 'POST',
			url: links['ada@example.com'],
			body: { data: oneClick, files: {} },
		});
		expect(answered.status).toBe(200);
		expect(answered.items).toMatchObject([{ email: 'ada@example.com', method: 'one-click' }]);
		expect(await isSuppressed('ada@example.com')).toBe(true);
	});

	it('the Message-ID in the item is the one the link came with', async () => {
		const { output, links } = await sendTo(['ada@example.com']);
		const answered = await callTrigger({
			method: 'POST',
			url: links['ada@example.com'],
			body: oneClick,
		});
		expect(answered.items[0].messageId).toBe(output[0].json.messageId);
	});

	it('a GET only shows a page whose button posts back: nothing is recorded', async () => {
		const { links } = await sendTo(['ada@example.com']);
		const page = await callTrigger({ method: 'GET', url: links['ada@example.com'] });
		expect(page.status).toBe(200);
		expect(page.items).toEqual([]);
		expect(page.body).toContain('<form method="POST">');
		expect(page.body).toContain('<input type="hidden" name="unsubscribe" value="page">');
		expect(page.body).toContain('ada@example.com');
		expect(page.body).not.toContain('<script');
		expect(page.headers['content-security-policy']).toContain("form-action 'self'");
		expect(page.headers['referrer-policy']).toBe('no-referrer');
		expect(await isSuppressed('ada@example.com')).toBe(false);

		const pressed = await callTrigger({
			method: 'POST',
			url: links['ada@example.com'],
			body: { unsubscribe: 'page' },
		});
		expect(pressed.status).toBe(200);
		expect(pressed.items).toMatchObject([{ email: 'ada@example.com', method: 'page' }]);
		expect(await isSuppressed('ada@example.com')).toBe(true);
	});

	it('repeating a valid one-click changes nothing and starts nothing', async () => {
		const { links } = await sendTo(['ada@example.com']);
		const first = await callTrigger({
			method: 'POST',
			url: links['ada@example.com'],
			body: oneClick,
		});
		const again = await callTrigger({
			method: 'POST',
			url: links['ada@example.com'],
			body: oneClick,
		});
		expect(first.items).toHaveLength(1);
		expect(again.status).toBe(200);
		expect(again.items).toEqual([]);
		const found = await suppressionsFor(readGmailSmtpCredentials(credentials())).find('default', [
			'ada@example.com',
		]);
		expect(found.get('ada@example.com')?.at).toBe(first.items[0].at);
	});

	it('a tampered, truncated, missing or foreign token gets 400 and records nothing', async () => {
		const { links } = await sendTo(['ada@example.com']);
		const url = new URL(links['ada@example.com']);
		const token = url.searchParams.get('t')!;
		const withToken = (value: string | undefined) => {
			const changed = new URL(url);
			if (value === undefined) changed.searchParams.delete('t');
			else changed.searchParams.set('t', value);
			return changed.href;
		};
		// Signed with the same Link Secret, for another account.
		const otherAccount = unsubscribeUrlFor(
			readManagedUnsubscribe(
				{
					user: 'someone.else@example.com',
					unsubscribeEndpoint: ENDPOINT,
					linkSecret: LINK_SECRET,
				},
				'default',
			),
			'ada@example.com',
		);
		const cases = [
			withToken(`${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`),
			withToken(token.slice(0, -4)),
			withToken(undefined),
			withToken(''),
			otherAccount,
		];
		for (const link of cases) {
			for (const method of ['GET', 'POST'] as const) {
				const answered = await callTrigger({ method, url: link, body: oneClick });
				expect(answered.status).toBe(400);
				expect(answered.body).toContain('This unsubscribe link is not valid');
				expect(answered.items).toEqual([]);
			}
		}
		expect(await isSuppressed('ada@example.com')).toBe(false);
	});

	it('a POST without the one-click body gets 400 and records nothing', async () => {
		const { links } = await sendTo(['ada@example.com']);
		for (const body of [
			{},
			{ 'List-Unsubscribe': 'yes' },
			{ unsubscribe: 'now' },
			{ data: { 'List-Unsubscribe': 'yes' }, files: {} },
			{ data: {}, files: { 'List-Unsubscribe': 'One-Click' } },
		]) {
			const answered = await callTrigger({ method: 'POST', url: links['ada@example.com'], body });
			expect(answered.status).toBe(400);
			expect(answered.items).toEqual([]);
		}
		expect(await isSuppressed('ada@example.com')).toBe(false);
	});

	it('records on the list the link names', async () => {
		const output = await runGmailSmtpNode({
			parameters: {
				operation: 'send',
				toEmail: 'ada@example.com',
				subject: 'News',
				text: 'Hello',
				html: '',
				options: { manageUnsubscribes: true, suppressionList: 'Newsletter' },
			},
			items: jsonItems({}),
			credentials: credentials(),
		});
		expect(output[0].json.messageId).toBeDefined();
		const line = server.messages
			.splice(0)[0]
			.parsed.headerLines.find(({ key }) => key === 'list-unsubscribe')!.line;
		const answered = await callTrigger({
			method: 'POST',
			url: /<([^>]+)>/.exec(line)![1],
			body: oneClick,
		});
		expect(answered.items[0]).toMatchObject({ email: 'ada@example.com', list: 'newsletter' });
		const suppressions = suppressionsFor(readGmailSmtpCredentials(credentials()));
		expect((await suppressions.find('newsletter', ['ada@example.com'])).size).toBe(1);
		expect((await suppressions.find('default', ['ada@example.com'])).size).toBe(0);
	});

	it('a credential without Link Secret verifies nothing (500), and activation says why', async () => {
		const { links } = await sendTo(['ada@example.com']);
		const answered = await callTrigger({
			method: 'POST',
			url: links['ada@example.com'],
			body: oneClick,
			credentials: credentials({ linkSecret: '' }),
		});
		expect(answered.status).toBe(500);
		expect(answered.items).toEqual([]);

		const hooks = {
			getCredentials: async () => credentials({ linkSecret: '' }),
			getNode: () => ({ name: 'Gmail SMTP Trigger' }),
		} as unknown as IHookFunctions;
		const trigger = new GmailSmtpTrigger();
		await expect(trigger.webhookMethods.default.create.call(hooks)).rejects.toThrow(
			'The Gmail SMTP credential has no Link Secret',
		);
		const ready = { ...hooks, getCredentials: async () => credentials() } as IHookFunctions;
		await expect(trigger.webhookMethods.default.create.call(ready)).resolves.toBe(true);
	});

	it('answers 503 and records nothing when the store cannot be reached (the mail program retries)', async () => {
		const redis = await startRedisServer();
		const viaRedis = { limitStore: 'redis', redisUrl: redis.url };
		const { links } = await sendTo(['ada@example.com'], viaRedis);
		await redis.stop();
		const answered = await callTrigger({
			method: 'POST',
			url: links['ada@example.com'],
			body: oneClick,
			credentials: credentials(viaRedis),
		});
		expect(answered.status).toBe(503);
		expect(answered.items).toEqual([]);
	});
});
