// One-click unsubscribes in a real n8n: an active Gmail SMTP Trigger (event Unsubscribe) behind an
// HTTPS reverse proxy (the endpoint must be https, as Gmail requires), and a send workflow with
// Manage Unsubscribes. The link is read from the delivered message and POSTed exactly as RFC 8058
// mail clients do; a person opens it in Chromium and presses the page's button; in queue mode the
// main records the unsubscribe in n8n's Redis and both workers leave the address out. These run
// in the `n8n start` of the Send and Wait check and in the queue-mode boot of the account guard
// check: no n8n boot of their own.
import { randomBytes } from 'node:crypto';

import Redis from 'ioredis';

import { launchChromium } from '../../testkit/chromium';
import type { HttpsProxy } from '../../testkit/httpsProxy';
import type { RedisTestServer } from '../../testkit/redisServer';
import {
	credentialData,
	TEST_CA,
	TEST_USER,
	type ReceivedMessage,
	type SmtpTestServer,
} from '../../testkit/smtpTestServer';
import { TEST_TLS } from '../../testkit/testTls';
import { check, waitFor, type Case, type Log } from '../check';
import type { OutputItem } from '../n8n/execution';
import { callWebhook, type QueueCluster } from '../n8n/queueMode';
import { rawRequest } from '../n8n/rawHttp';
import { signInAsOwner, type N8nRest } from '../n8n/rest';
import type { N8nRuntime } from '../n8n/runtime';
import { accountKey, embeddedSuppressions } from '../packageState';
import {
	code,
	credential,
	GMAIL_SMTP_TRIGGER_TYPE,
	gmailSmtp,
	gmailSmtpCredential,
	noOp,
	webhook,
	workflow,
	type ImportedCredential,
	type Workflow,
} from '../workflow';

const CREDENTIAL_ID = 'unsubscribeAccount';
const TRIGGER = {
	workflowId: 'e2eUnsubscribeTrigger',
	webhookId: '9b3c1e7a-4d2f-4a6b-8e15-2f7c9d0a6b31',
};
const SENDER = {
	workflowId: 'e2eUnsubscribeSend',
	webhookPath: 'gmail-smtp-unsubscribe-send',
	webhookId: '3e8a0d54-9c71-4b2e-a6f3-0d5b7c1e9f42',
};
const TIMEOUT_MS = 30_000;
const ONE_CLICK_BODY = 'List-Unsubscribe=One-Click';

/** The credential (the test server's account, with the trigger's https URL) and the workflows. */
export function unsubscribeFixtures({
	server,
	proxy,
}: {
	server: SmtpTestServer;
	proxy: HttpsProxy;
}): { credentials: ImportedCredential[]; workflows: Workflow[] } {
	const account = gmailSmtpCredential(
		CREDENTIAL_ID,
		credentialData(server, {
			unsubscribeEndpoint: `${proxy.url}/webhook/${TRIGGER.webhookId}/unsubscribe`,
			linkSecret: randomBytes(24).toString('base64'),
		}),
	);
	const trigger = workflow(TRIGGER.workflowId, [
		{
			name: 'Unsubscribe',
			type: GMAIL_SMTP_TRIGGER_TYPE,
			typeVersion: 1,
			webhookId: TRIGGER.webhookId,
			parameters: { event: 'unsubscribe' },
			credentials: credential(CREDENTIAL_ID),
		},
		noOp('Unsubscribed'),
	]);
	const makeItems = 'return $input.first().json.body.emails.map((email) => ({ json: { email } }));';
	const sender = workflow(SENDER.workflowId, [
		webhook(
			'Newsletter request',
			{ path: SENDER.webhookPath, webhookId: SENDER.webhookId },
			'lastNode',
		),
		code('Recipients', makeItems),
		gmailSmtp(
			'Gmail SMTP',
			CREDENTIAL_ID,
			{
				operation: 'send',
				toEmail: '={{ $json.email }}',
				subject: 'Our December news',
				html: '<p>News for {{email}}.</p><p><a href="{{@unsubscribeUrl}}">Unsubscribe</a></p>',
				text: 'News for {{email}}.\nUnsubscribe: {{@unsubscribeUrl}}',
				options: { manageUnsubscribes: true },
			},
			{ continueOnFail: true },
		),
	]);
	return { credentials: [account], workflows: [trigger, sender] };
}

/** The account the test server's credential sends as, as the package names it. */
const ACCOUNT = accountKey({ user: TEST_USER, host: '127.0.0.1' });

/**
 * A POST exactly as an RFC 8058 mail client sends it, no cookies: the body `List-Unsubscribe=One-Click`
 * as multipart/form-data (what the RFC says a client SHOULD send, its own example) or URL-encoded
 * (what it allows). n8n parses the two into different places of the body.
 */
function postOneClick(url: string, encoding: 'multipart' | 'urlencoded') {
	const boundary = 'XXXXboundary text';
	const body =
		encoding === 'urlencoded'
			? ONE_CLICK_BODY
			: [
					`--${boundary}`,
					'Content-Disposition: form-data; name="List-Unsubscribe"',
					'',
					'One-Click',
					`--${boundary}--`,
					'',
				].join('\r\n');
	const type =
		encoding === 'urlencoded'
			? 'application/x-www-form-urlencoded'
			: `multipart/form-data; boundary="${boundary}"`;
	return rawRequest(url, {
		method: 'POST',
		ca: TEST_CA,
		headers: { 'content-type': type, 'content-length': Buffer.byteLength(body) },
		body,
		timeoutMs: TIMEOUT_MS,
	});
}

/** The One-Click target of a delivered message, after checking both RFC 8058 headers. */
function listUnsubscribeLink(message: ReceivedMessage, proxy: HttpsProxy): string {
	const header = (name: string) =>
		message.parsed.headerLines.find((line) => line.key === name)?.line.replace(/^[^:]+:\s*/, '');
	const value = header('list-unsubscribe');
	const link = /^<(https:[^>]+)>$/.exec(value ?? '')?.[1];
	check(link, `List-Unsubscribe is ${JSON.stringify(value)}, not one https link`);
	check(
		header('list-unsubscribe-post') === ONE_CLICK_BODY,
		`List-Unsubscribe-Post is ${JSON.stringify(header('list-unsubscribe-post'))}`,
	);
	const prefix = `${proxy.url}/webhook/${TRIGGER.webhookId}/unsubscribe?t=`;
	check(link.startsWith(prefix), `the link ${link} does not lead to the trigger at ${prefix}…`);
	return link;
}

/** The `{{@unsubscribeUrl}}` link in the HTML part, as a person clicks it. */
function bodyLink(message: ReceivedMessage): string {
	const href = /<a href="([^"]+)">Unsubscribe<\/a>/.exec(String(message.parsed.html))?.[1];
	check(href, `no Unsubscribe link in the HTML: ${message.parsed.html}`);
	return href
		.replace(/&#x([0-9a-f]+);/gi, (_, hex) => String.fromCodePoint(parseInt(hex, 16)))
		.replace(/&amp;/g, '&');
}

/**
 * The checks against one running n8n (`base`, behind `proxy`), with a send function that calls the
 * send workflow and returns its items and the messages delivered by that call.
 */
function unsubscribeHelpers({
	base,
	rest,
	server,
}: {
	base: string;
	rest: N8nRest;
	server: SmtpTestServer;
}) {
	const send = async (emails: string[]) => {
		const before = server.messages.length;
		const items = await callWebhook<OutputItem[]>(`${base}/webhook/${SENDER.webhookPath}`, {
			emails,
		});
		check(
			Array.isArray(items) && items.length === emails.length,
			`the send workflow answered ${JSON.stringify(items).slice(0, 300)}`,
		);
		const sent = items.filter((item) => typeof item.messageId === 'string').length;
		const delivered = await waitFor(
			() => (server.messages.length - before >= sent ? server.messages.slice(before) : undefined),
			TIMEOUT_MS,
			`${sent} delivered messages`,
		);
		return { items, delivered };
	};
	const deliveredTo = (delivered: ReceivedMessage[], email: string) => {
		const message = delivered.find((candidate) => candidate.envelope.to.includes(email));
		check(message, `nothing was delivered to ${email}`);
		return message;
	};
	/** The trigger's next execution (after `known` ids) and its one item. */
	const nextUnsubscribe = async (known: Set<string>): Promise<OutputItem> => {
		const execution = await waitFor(
			async () => {
				const list = await rest.executions(TRIGGER.workflowId);
				const fresh = list.find((entry) => !known.has(String(entry.id)));
				if (!fresh || !['success', 'error', 'crashed'].includes(fresh.status)) return undefined;
				return await rest.execution(fresh.id);
			},
			TIMEOUT_MS,
			'an execution of the Gmail SMTP Trigger workflow',
		);
		check(execution.status === 'success', `the trigger's execution ended ${execution.status}`);
		known.add(String(execution.id));
		const runs = execution.data.resultData.runData.Unsubscribed ?? [];
		const items = (runs[0]?.data?.main?.[0] ?? []).map((item) => item.json);
		check(
			items.length === 1,
			`the trigger's execution has ${items.length} items: ${JSON.stringify(items)}`,
		);
		return items[0];
	};
	const executionIds = async () =>
		new Set((await rest.executions(TRIGGER.workflowId)).map((entry) => String(entry.id)));
	return { send, deliveredTo, nextUnsubscribe, executionIds };
}

/** The checks of a regular `n8n start` (`alongside` the Send and Wait check). */
export function unsubscribeCases({
	base,
	rest,
	server,
	proxy,
	userFolder,
	log,
}: {
	base: string;
	rest: N8nRest;
	server: SmtpTestServer;
	proxy: HttpsProxy;
	userFolder: string;
	log: Log;
}): Case[] {
	proxy.setTarget(base);
	const { send, deliveredTo, nextUnsubscribe, executionIds } = unsubscribeHelpers({
		base,
		rest,
		server,
	});
	return [
		[
			'send to three with Manage Unsubscribes; a one-click POST (RFC 8058) to the delivered List-Unsubscribe link; the trigger has the item; the next send delivers two and reports the third suppressed',
			async () => {
				const three = ['ada.news@example.com', 'grace.news@example.com', 'alan.news@example.com'];
				const known = await executionIds();
				const first = await send(three);
				check(
					first.items.every(
						(item) => typeof item.messageId === 'string' && item.suppressed?.length === 0,
					),
					`first send: ${JSON.stringify(first.items)}`,
				);
				const message = deliveredTo(first.delivered, three[2]);
				const link = listUnsubscribeLink(message, proxy);
				check(bodyLink(message) === link, `the body link ${bodyLink(message)} is not ${link}`);
				const answer = await postOneClick(link, 'multipart');
				check(
					answer.status === 200,
					`the one-click POST (multipart) got ${answer.status}: ${answer.body.slice(0, 200)}`,
				);
				const item = await nextUnsubscribe(known);
				check(
					item.email === three[2] &&
						item.list === 'default' &&
						item.method === 'one-click' &&
						item.messageId === message.messageId &&
						!Number.isNaN(Date.parse(String(item.at))),
					`the trigger's item is ${JSON.stringify(item)}; expected ${three[2]}, one-click, ${message.messageId}`,
				);
				const again = await postOneClick(link, 'urlencoded');
				check(again.status === 200, `a repeated POST (URL-encoded) got ${again.status}`);

				const second = await send(three);
				check(
					second.items[2]?.status === 'suppressed' &&
						JSON.stringify(second.items[2].suppressed) === JSON.stringify([three[2]]) &&
						second.items[2].messageId === undefined,
					`the third item of the next send is ${JSON.stringify(second.items[2])}`,
				);
				const to = second.delivered.map((delivered) => delivered.envelope.to.join()).sort();
				check(
					to.join(' ') === [three[0], three[1]].sort().join(' '),
					`the next send delivered to ${to.join(', ')}`,
				);
				const after = await executionIds();
				check(
					after.size === known.size,
					`the repeated POST started ${after.size - known.size} executions`,
				);
				return `trigger item ${JSON.stringify(item)}; next send: 2 delivered, ${JSON.stringify(second.items[2])}`;
			},
		],
		[
			'Chromium opens the link from the message: the page changes nothing (the next send still delivers) until its Unsubscribe button is pressed',
			async () => {
				const email = 'katherine.news@example.com';
				const { delivered } = await send([email]);
				const link = bodyLink(deliveredTo(delivered, email));
				const known = await executionIds();
				const browser = await launchChromium({ trustCertificate: TEST_TLS.serverCert, log });
				try {
					// A new context: no cookies, as a person opening a link from their mail program.
					const page = await browser.newPage();
					const opened = await page.goto(link);
					check(opened?.status() === 200, `GET of the link: ${opened?.status()}`);
					check((await page.title()) === 'Unsubscribe', `page title ${await page.title()}`);
					check(
						(await page.locator('main').innerText()).includes(email),
						'the page does not name the address',
					);
					const still = await send([email]);
					check(
						typeof still.items[0].messageId === 'string',
						`after only opening the page, the next send answered ${JSON.stringify(still.items[0])}`,
					);
					check((await executionIds()).size === known.size, 'opening the page started the trigger');

					await Promise.all([
						page.waitForNavigation(),
						page.getByRole('button', { name: 'Unsubscribe' }).click(),
					]);
					check(
						(await page.title()) === 'You are unsubscribed',
						`after the button: ${await page.title()}`,
					);
					const item = await nextUnsubscribe(known);
					check(
						item.email === email && item.method === 'page',
						`the trigger's item is ${JSON.stringify(item)}`,
					);
				} finally {
					await browser.close();
				}
				const after = await send([email]);
				check(
					after.items[0].status === 'suppressed',
					`after the button, the next send answered ${JSON.stringify(after.items[0])}`,
				);
				const found = await embeddedSuppressions(userFolder, ACCOUNT, 'default', [email]);
				check(
					found.get(email)?.method === 'page',
					`the embedded list holds ${JSON.stringify([...found])}`,
				);
				return `GET changed nothing; the button recorded ${JSON.stringify(found.get(email))}`;
			},
		],
	];
}

/** The workflows the regular-mode cases need active. */
export const UNSUBSCRIBE_WORKFLOW_IDS = [TRIGGER.workflowId, SENDER.workflowId];

/**
 * Queue mode (run in the account guard check's cluster): the main records a one-click unsubscribe
 * in n8n's Redis, and both workers leave the address out of the sends they run.
 */
export async function checkUnsubscribesInQueueMode({
	cluster,
	redis,
	runtime,
	server,
	proxy,
	userFolder,
	log,
}: {
	cluster: QueueCluster;
	redis: RedisTestServer;
	runtime: N8nRuntime;
	server: SmtpTestServer;
	proxy: HttpsProxy;
	userFolder: string;
	log: Log;
}): Promise<void> {
	const base = new URL(cluster.webhookUrl('')).origin;
	proxy.setTarget(base);
	const rest = await signInAsOwner(base, runtime.installDir);
	for (const workflowId of UNSUBSCRIBE_WORKFLOW_IDS) await rest.activateWorkflow(workflowId);
	const { send, deliveredTo, nextUnsubscribe, executionIds } = unsubscribeHelpers({
		base,
		rest,
		server,
	});
	const email = 'edsger.queue@example.com';
	const other = 'barbara.queue@example.com';
	const known = await executionIds();
	const { delivered } = await send([email]);
	const answer = await postOneClick(
		listUnsubscribeLink(deliveredTo(delivered, email), proxy),
		'urlencoded',
	);
	check(answer.status === 200, `queue mode: the one-click POST got ${answer.status}`);
	const item = await nextUnsubscribe(known);
	check(item.email === email, `queue mode: the trigger's item is ${JSON.stringify(item)}`);

	const account = ACCOUNT;
	const client = new Redis({ host: redis.host, port: redis.port, maxRetriesPerRequest: 1 });
	try {
		const key = `gmail-smtp:{${account}}:suppressed:default`;
		check(
			(await client.hexists(key, email)) === 1,
			`queue mode: n8n's Redis has no ${email} under ${key}`,
		);
	} finally {
		client.disconnect();
	}
	check(
		(await embeddedSuppressions(userFolder, account, 'default', [email])).size === 0,
		'queue mode: the main wrote the unsubscribe to the embedded file, not to Redis',
	);

	// Send until each worker ran at least one of these sends; every one must leave the address out.
	const byWorker = cluster.workers.map(() => 0);
	for (let call = 0; call < 12 && byWorker.some((count) => count === 0); call++) {
		const before = cluster.executionsPerWorker();
		const { items } = await send([email, other]);
		check(
			items[0]?.status === 'suppressed' && typeof items[1]?.messageId === 'string',
			`queue mode: send ${call + 1} answered ${JSON.stringify(items)}`,
		);
		const after = cluster.executionsPerWorker();
		after.forEach((count, index) => (byWorker[index] += count - before[index]));
	}
	check(
		byWorker.every((count) => count > 0),
		`queue mode: the sends ran on the workers ${byWorker.join(' + ')}: not both`,
	);
	log(
		`  queue mode: unsubscribe recorded by the main in Redis; sends per worker that left it out: ${byWorker.join(' + ')}`,
	);
}
