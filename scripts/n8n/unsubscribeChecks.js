'use strict';
// One-click unsubscribes in a real n8n: an active Gmail SMTP Trigger (event Unsubscribe) behind an
// HTTPS reverse proxy (the endpoint must be https, as Gmail requires), and a send workflow with
// Manage Unsubscribes. The link is read from the delivered message and POSTed exactly as RFC 8058
// mail clients do; a person opens it in Chromium and presses the page's button; in queue mode the
// main records the unsubscribe in n8n's Redis and both workers leave the address out. These run
// in the `n8n start` of the Send and Wait check and in the queue-mode boot of the account guard
// check: no n8n boot of their own.
const { randomBytes } = require('node:crypto');
const https = require('node:https');
const path = require('node:path');

const Redis = require('ioredis');

const { launchChromium } = require('../lib/chromium');
const { localCredentialData } = require('../lib/localSmtpServer');
const { signInAsOwner } = require('./n8nRest');
const { ROOT } = require('./n8nRuntime');
const { callWebhook } = require('./queueMode');
const { GMAIL_SMTP_TYPE, chain, check, waitFor } = require('./testKit');

const GMAIL_SMTP_TRIGGER_TYPE = 'n8n-nodes-gmail-smtp.gmailSmtpTrigger';
const CREDENTIAL_ID = 'unsubscribeAccount';
const TRIGGER = {
	workflowId: 'e2eUnsubscribeTrigger',
	webhookId: '9b3c1e7a-4d2f-4a6b-8e15-2f7c9d0a6b31',
};
const SENDER = { workflowId: 'e2eUnsubscribeSend', webhookPath: 'gmail-smtp-unsubscribe-send' };
const TIMEOUT_MS = 30_000;
const ONE_CLICK_BODY = 'List-Unsubscribe=One-Click';

// The built package names the account and its stores; the checks read them the same way.
const DIST = path.join(ROOT, 'dist', 'nodes', 'GmailSmtp', 'delivery');
const loadDist = () => ({
	accountKey: require(path.join(DIST, 'account', 'accountKey')).accountKey,
	EmbeddedSuppressionStore: require(path.join(DIST, 'suppression', 'embeddedSuppressionStore'))
		.EmbeddedSuppressionStore,
});

/** The credential (the test server's account, with the trigger's https URL) and the workflows. */
function unsubscribeFixtures({ server, caCert, proxy }) {
	const credential = {
		id: CREDENTIAL_ID,
		name: CREDENTIAL_ID,
		type: 'gmailSmtpApi',
		data: {
			...localCredentialData(server, caCert),
			unsubscribeEndpoint: `${proxy.url}/webhook/${TRIGGER.webhookId}/unsubscribe`,
			linkSecret: randomBytes(24).toString('base64'),
		},
	};
	const credentials = { gmailSmtpApi: { id: CREDENTIAL_ID, name: CREDENTIAL_ID } };
	const trigger = {
		id: TRIGGER.workflowId,
		name: `test:n8n ${TRIGGER.workflowId}`,
		active: false,
		settings: { executionOrder: 'v1' },
		connections: chain('Unsubscribe', 'Unsubscribed'),
		nodes: [
			{
				id: `${TRIGGER.workflowId}-1`,
				name: 'Unsubscribe',
				type: GMAIL_SMTP_TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				webhookId: TRIGGER.webhookId,
				parameters: { event: 'unsubscribe' },
				credentials,
			},
			noOp(`${TRIGGER.workflowId}-2`, 'Unsubscribed'),
		],
	};
	const makeItems = 'return $input.first().json.body.emails.map((email) => ({ json: { email } }));';
	const sender = {
		id: SENDER.workflowId,
		name: `test:n8n ${SENDER.workflowId}`,
		active: false,
		settings: { executionOrder: 'v1' },
		connections: chain('Newsletter request', 'Recipients', 'Gmail SMTP'),
		nodes: [
			{
				id: `${SENDER.workflowId}-1`,
				name: 'Newsletter request',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: '3e8a0d54-9c71-4b2e-a6f3-0d5b7c1e9f42',
				parameters: {
					httpMethod: 'POST',
					path: SENDER.webhookPath,
					responseMode: 'lastNode',
					responseData: 'allEntries',
					options: {},
				},
			},
			{
				id: `${SENDER.workflowId}-2`,
				name: 'Recipients',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [200, 0],
				parameters: { jsCode: makeItems },
			},
			{
				id: `${SENDER.workflowId}-3`,
				name: 'Gmail SMTP',
				type: GMAIL_SMTP_TYPE,
				typeVersion: 1,
				position: [400, 0],
				onError: 'continueRegularOutput',
				parameters: {
					operation: 'send',
					toEmail: '={{ $json.email }}',
					subject: 'Our December news',
					html: '<p>News for {{email}}.</p><p><a href="{{@unsubscribeUrl}}">Unsubscribe</a></p>',
					text: 'News for {{email}}.\nUnsubscribe: {{@unsubscribeUrl}}',
					options: { manageUnsubscribes: true },
				},
				credentials,
			},
		],
	};
	return { credentials: [credential], workflows: [trigger, sender] };
}

function noOp(id, name) {
	return {
		id,
		name,
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [200, 0],
		parameters: {},
	};
}

/** A POST exactly as an RFC 8058 mail client sends it: this body, this type, no cookies. */
function postOneClick(url, caCert) {
	return new Promise((resolve, reject) => {
		const request = https.request(
			url,
			{
				method: 'POST',
				ca: caCert,
				headers: {
					'content-type': 'application/x-www-form-urlencoded',
					'content-length': Buffer.byteLength(ONE_CLICK_BODY),
				},
				timeout: TIMEOUT_MS,
			},
			(response) => {
				const chunks = [];
				response.on('data', (chunk) => chunks.push(chunk));
				response.on('end', () =>
					resolve({ status: response.statusCode, body: Buffer.concat(chunks).toString('utf8') }),
				);
				response.on('error', reject);
			},
		);
		request.on('timeout', () => request.destroy(new Error(`POST ${url} timed out`)));
		request.on('error', reject);
		request.end(ONE_CLICK_BODY);
	});
}

/** The One-Click target of a delivered message, after checking both RFC 8058 headers. */
function listUnsubscribeLink(message, proxy) {
	const header = (name) =>
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
function bodyLink(message) {
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
function unsubscribeHelpers({ base, rest, server, proxy }) {
	const send = async (emails) => {
		const before = server.messages.length;
		const items = await callWebhook(`${base}/webhook/${SENDER.webhookPath}`, { emails });
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
	const deliveredTo = (delivered, email) => {
		const message = delivered.find((candidate) => candidate.envelope.to.includes(email));
		check(message, `nothing was delivered to ${email}`);
		return message;
	};
	/** The trigger's next execution (after `known` ids) and its one item. */
	const nextUnsubscribe = async (known) => {
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
function unsubscribeCases({ base, rest, server, proxy, tls, userFolder, log }) {
	proxy.setTarget(base);
	const { send, deliveredTo, nextUnsubscribe, executionIds } = unsubscribeHelpers({
		base,
		rest,
		server,
		proxy,
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
				const answer = await postOneClick(link, tls.caCert);
				check(
					answer.status === 200,
					`the one-click POST got ${answer.status}: ${answer.body.slice(0, 200)}`,
				);
				const item = await nextUnsubscribe(known);
				check(
					item.email === three[2] &&
						item.list === 'default' &&
						item.method === 'one-click' &&
						item.messageId === message.messageId &&
						!Number.isNaN(Date.parse(item.at)),
					`the trigger's item is ${JSON.stringify(item)}; expected ${three[2]}, one-click, ${message.messageId}`,
				);
				const again = await postOneClick(link, tls.caCert);
				check(again.status === 200, `a repeated POST got ${again.status}`);

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
				const browser = await launchChromium({ trustCertificate: tls.serverCert, log });
				try {
					// A new context: no cookies, as a person opening a link from their mail program.
					const page = await browser.newPage();
					const opened = await page.goto(link);
					check(opened.status() === 200, `GET of the link: ${opened.status()}`);
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
				const { EmbeddedSuppressionStore, accountKey } = loadDist();
				const store = new EmbeddedSuppressionStore(path.join(userFolder, '.n8n', 'gmail-smtp'));
				const found = await store.find(
					accountKey({ user: localCredentialData(server).user, host: server.host }),
					'default',
					[email],
				);
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
const UNSUBSCRIBE_WORKFLOW_IDS = [TRIGGER.workflowId, SENDER.workflowId];

/**
 * Queue mode (run in the account guard check's cluster): the main records a one-click unsubscribe
 * in n8n's Redis, and both workers leave the address out of the sends they run.
 */
async function checkUnsubscribesInQueueMode({
	cluster,
	redis,
	runtime,
	server,
	proxy,
	tls,
	userFolder,
	log,
}) {
	const base = new URL(cluster.webhookUrl('')).origin;
	proxy.setTarget(base);
	const rest = await signInAsOwner(base, runtime.installDir);
	for (const workflowId of UNSUBSCRIBE_WORKFLOW_IDS) await rest.activateWorkflow(workflowId);
	const { send, deliveredTo, nextUnsubscribe, executionIds } = unsubscribeHelpers({
		base,
		rest,
		server,
		proxy,
	});
	const email = 'edsger.queue@example.com';
	const other = 'barbara.queue@example.com';
	const known = await executionIds();
	const { delivered } = await send([email]);
	const answer = await postOneClick(
		listUnsubscribeLink(deliveredTo(delivered, email), proxy),
		tls.caCert,
	);
	check(answer.status === 200, `queue mode: the one-click POST got ${answer.status}`);
	const item = await nextUnsubscribe(known);
	check(item.email === email, `queue mode: the trigger's item is ${JSON.stringify(item)}`);

	const { accountKey, EmbeddedSuppressionStore } = loadDist();
	const account = accountKey({ user: localCredentialData(server).user, host: server.host });
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
	const embedded = new EmbeddedSuppressionStore(path.join(userFolder, '.n8n', 'gmail-smtp'));
	check(
		(await embedded.find(account, 'default', [email])).size === 0,
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

module.exports = {
	UNSUBSCRIBE_WORKFLOW_IDS,
	unsubscribeFixtures,
	unsubscribeCases,
	checkUnsubscribesInQueueMode,
};
