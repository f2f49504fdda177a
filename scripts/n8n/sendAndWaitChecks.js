'use strict';
// Send and Wait for Response in a real n8n: one `n8n start` (regular mode), where a Webhook call
// starts a workflow whose Gmail SMTP node mails Approve/Decline links (n8n's signed resume URLs)
// or a link to a form, and waits. The test reads the links out of the delivered message and
// answers as a person would, and as a mail scanner, a forger and a second click would. The CRM
// discount approval example runs here too: a workflow that waits cannot finish under
// `n8n execute`.
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const { reservePorts } = require('../lib/freePort');
const { signInAsOwner } = require('./n8nRest');
const { ROOT, n8nEnvironment, startN8n } = require('./n8nRuntime');
const { callWebhook } = require('./queueMode');
const { CheckFailed, GMAIL_SMTP_TYPE, chain, check, secondsSince, waitFor } = require('./testKit');

/** Examples that wait for an answer: run here, not with `n8n execute`. */
const SEND_AND_WAIT_EXAMPLES = ['crm-discount-approval.workflow.json'];

const APPROVAL = {
	workflowId: 'e2eSendAndWait',
	webhookPath: 'gmail-smtp-send-and-wait',
	webhookId: '0c6f1d52-7a4e-4b1f-9d3a-5e2c8b7f1a90',
};
const FREE_TEXT = {
	workflowId: 'e2eSendAndWaitText',
	webhookPath: 'gmail-smtp-send-and-wait-text',
	webhookId: '6b2e9f14-3c8d-4a57-b0e1-9f4d2c7a8e31',
};
const EXAMPLE = {
	workflowId: 'gmailSmtpDiscount',
	webhookPath: 'gmail-smtp-discount-approval',
	webhookId: 'c3a81e07-5d2f-4e96-8b14-7f0a6d9e2b58',
};

const BOOT_TIMEOUT_MS = 120_000;
const STATUS_TIMEOUT_MS = 30_000;
const USER_AGENTS = {
	browser:
		'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
	googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
};
/** What the node's webhook answers once it took the answer (responseForm.ts). */
const ANSWER_RECORDED = /Your answer was recorded/;

function webhookNode(id, name, { webhookPath, webhookId }) {
	return {
		id,
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId,
		// Answers the call at once: the execution then waits for the person, not the caller.
		parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {} },
	};
}

/** Webhook (the call's body is the item) → Gmail SMTP Send and Wait → No Op, to see the answer. */
function askWorkflow(config, credentialId, parameters) {
	const id = config.workflowId;
	return {
		id,
		name: `test:n8n ${id}`,
		active: false,
		settings: { executionOrder: 'v1' },
		connections: chain('Request', 'Ask', 'Answer'),
		nodes: [
			webhookNode(`${id}-1`, 'Request', config),
			{
				id: `${id}-2`,
				name: 'Ask',
				type: GMAIL_SMTP_TYPE,
				typeVersion: 1,
				position: [200, 0],
				parameters: { operation: 'sendAndWait', toEmail: '={{ $json.body.email }}', ...parameters },
				credentials: { gmailSmtpApi: { id: credentialId, name: credentialId } },
			},
			{
				id: `${id}-3`,
				name: 'Answer',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [400, 0],
				parameters: {},
			},
		],
	};
}

/** The example as shipped, started by a Webhook node in place of its manual trigger. */
function exampleStartedByWebhook(file) {
	const workflow = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8'));
	check(workflow.id === EXAMPLE.workflowId, `${file} has the id ${workflow.id}`);
	const index = workflow.nodes.findIndex((node) => node.type === 'n8n-nodes-base.manualTrigger');
	check(index !== -1, `${file} has no manual trigger to replace`);
	const { id, name, position } = workflow.nodes[index];
	workflow.nodes[index] = { ...webhookNode(id, name, EXAMPLE), position };
	return workflow;
}

/** Workflows of this check, imported with the others in one n8n boot. */
function sendAndWaitFixtures({ credentialId }) {
	return {
		workflows: [
			askWorkflow(APPROVAL, credentialId, {
				subject: 'Approve {{body.discount}} % for {{body.company}}?',
				html: '<p>{{body.company}} asks for {{body.discount}} %.</p>',
				text: '{{body.company}} asks for {{body.discount}} %.',
				responseType: 'approval',
				approvalOptions: {
					values: { approvalType: 'double', approveLabel: 'Approve', disapproveLabel: 'Decline' },
				},
				options: {},
			}),
			askWorkflow(FREE_TEXT, credentialId, {
				subject: 'When should {{body.company}} get the delivery?',
				html: '<p>Tell us when {{body.company}} should get the delivery.</p>',
				text: '',
				responseType: 'freeText',
				options: { responseFormTitle: 'Delivery date', messageButtonLabel: 'Answer' },
			}),
			...SEND_AND_WAIT_EXAMPLES.map(exampleStartedByWebhook),
		],
	};
}

/**
 * One HTTP request, with exactly the headers given: Node's fetch would add a user agent of its
 * own, and the "no user agent" case must send none.
 */
function request(url, { method = 'GET', userAgent, form } = {}) {
	const body = form === undefined ? undefined : new URLSearchParams(form).toString();
	const headers = {};
	if (userAgent !== undefined) headers['user-agent'] = userAgent;
	if (body !== undefined) {
		headers['content-type'] = 'application/x-www-form-urlencoded';
		headers['content-length'] = Buffer.byteLength(body);
	}
	return new Promise((resolve, reject) => {
		const outgoing = http.request(url, { method, headers, timeout: 30_000 }, (response) => {
			const chunks = [];
			response.on('data', (chunk) => chunks.push(chunk));
			response.on('end', () =>
				resolve({ status: response.statusCode, body: Buffer.concat(chunks).toString('utf8') }),
			);
			response.on('error', reject);
		});
		outgoing.on('timeout', () => outgoing.destroy(new Error(`${method} ${url} timed out`)));
		outgoing.on('error', reject);
		outgoing.end(body);
	});
}

/** A response for the log: status and the page's title (or the start of its body). */
function describeResponse({ status, body }) {
	const title = /<title>([^<]*)<\/title>/i.exec(body)?.[1];
	return `${status} ${title ? `"${title}"` : JSON.stringify(body.slice(0, 80))}`;
}

/** Entities as the node writes them into attributes (`&#38;`), and as other mailers do (`&amp;`). */
function decodeHtmlEntities(text) {
	return text
		.replace(/&#(\d+);/g, (_, code) => String.fromCodePoint(Number(code)))
		.replace(/&#x([0-9a-f]+);/gi, (_, code) => String.fromCodePoint(parseInt(code, 16)))
		.replace(/&quot;/g, '"')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&amp;/g, '&');
}

/** The buttons of a delivered message, by label: the `href` of each link in the HTML part. */
function buttonLinks(message) {
	const links = {};
	for (const match of String(message.parsed.html).matchAll(
		/<a\s[^>]*?href="([^"]+)"[^>]*>([\s\S]*?)<\/a>/gi,
	)) {
		links[decodeHtmlEntities(match[2]).trim()] = decodeHtmlEntities(match[1]);
	}
	return links;
}

/** Items of a node's last run (a resumed node runs again), as plain JSON. */
function lastRunOutput(execution, nodeName) {
	const runs = execution.data.resultData.runData[nodeName] ?? [];
	return (runs[runs.length - 1]?.data?.main?.[0] ?? []).map((item) => item.json);
}

/** Runs of a node in an execution. */
function runCount(execution, nodeName) {
	return (execution.data.resultData.runData[nodeName] ?? []).length;
}

/**
 * The Send and Wait checks against a running n8n (`base`: its URL) with the owner's REST client.
 * Each sub-case starts an execution of its own.
 */
function sendAndWaitCases({ base, rest, server }) {
	const webhookWaiting = `${base}/webhook-waiting/`;

	const statusOf = async (executionId) => (await rest.execution(executionId)).status;
	const untilStatus = (executionId, wanted) =>
		waitFor(
			async () => {
				const execution = await rest.execution(executionId);
				if (execution.status === wanted) return execution;
				if (['error', 'crashed', 'canceled'].includes(execution.status)) {
					const error = execution.data.resultData.error;
					throw new CheckFailed(
						`execution ${executionId} ended ${execution.status}${error ? `: ${error.message}` : ''}`,
					);
				}
				return undefined;
			},
			STATUS_TIMEOUT_MS,
			`execution ${executionId} to be ${wanted}`,
		);

	/**
	 * Starts the workflow for `body`, waits for the message to `body.email` (or `recipient`) and
	 * for the execution to wait; returns the message, its buttons and the execution id.
	 */
	const ask = async (config, body, recipient = body.email) => {
		const started = await callWebhook(`${base}/webhook/${config.webhookPath}`, body);
		check(
			started?.message === 'Workflow was started',
			`the webhook answered ${JSON.stringify(started)}`,
		);
		const message = await waitFor(
			() => server.messages.find((candidate) => candidate.envelope.to.includes(recipient)),
			STATUS_TIMEOUT_MS,
			`a message to ${recipient}`,
		);
		const links = buttonLinks(message);
		const urls = Object.values(links);
		check(urls.length > 0, `the message to ${recipient} has no buttons: ${message.parsed.html}`);
		for (const [label, url] of Object.entries(links)) {
			check(
				url.startsWith(webhookWaiting),
				`the ${label} button leads to ${url}, not to ${webhookWaiting}…`,
			);
			check(
				String(message.parsed.text).includes(`${label}: ${url}`),
				`the text part lacks the plain link "${label}: ${url}": ${message.parsed.text}`,
			);
		}
		const executionId = /\/webhook-waiting\/([^/]+)\//.exec(urls[0])[1];
		check(
			urls.every((url) => url.startsWith(`${webhookWaiting}${executionId}/`)),
			`the buttons lead to different executions: ${urls.join(' ')}`,
		);
		await untilStatus(executionId, 'waiting');
		return { message, links, executionId };
	};

	/**
	 * The execution finished after `response` to a person's answer: `inspect` checks it (and says
	 * what it found), then the page the person got must be the node's "answer recorded" page.
	 */
	const answered = async (asked, what, response, inspect) => {
		const detail = inspect(await untilStatus(asked.executionId, 'success'));
		check(
			response.status === 200 && ANSWER_RECORDED.test(response.body),
			`${what} resumed execution ${asked.executionId} (${detail}), but the person got ${describeResponse(response)}, not the "answer recorded" page`,
		);
		return detail;
	};

	/** A person clicks a button (a browser's user agent). */
	const click = async (asked, label, inspect) => {
		const url = asked.links[label];
		check(url, `no ${label} button: ${Object.keys(asked.links).join(', ')}`);
		const response = await request(url, { userAgent: USER_AGENTS.browser });
		return answered(asked, `the ${label} click`, response, inspect);
	};

	/** Checks that the answer is `approved`, for {@link click}. */
	const approvedIs = (asked, approved) => (execution) => {
		const answer = answerOf(execution, asked);
		check(answer.data.approved === approved, `answer ${JSON.stringify(answer)}`);
		return `execution ${asked.executionId}, ${JSON.stringify(answer.data)}`;
	};

	/** The single answer the execution goes on with, from the node that follows Send and Wait. */
	const answerOf = (execution, asked) => {
		const answers = lastRunOutput(execution, 'Answer');
		check(
			runCount(execution, 'Answer') === 1 && answers.length === 1,
			`expected one answer in one run, got ${answers.length} in ${runCount(execution, 'Answer')}: ${JSON.stringify(answers)}`,
		);
		const [answer] = answers;
		check(
			answer.messageId === asked.message.messageId,
			`answer messageId ${answer.messageId}, the delivered Message-ID is ${asked.message.messageId}`,
		);
		check(
			!Number.isNaN(Date.parse(answer.data?.respondedAt)),
			`answer without respondedAt: ${JSON.stringify(answer)}`,
		);
		check(
			JSON.stringify(lastRunOutput(execution, 'Ask')) === JSON.stringify(answers),
			`the Gmail SMTP node's resumed output is not what the next node got: ${JSON.stringify(lastRunOutput(execution, 'Ask'))}`,
		);
		return answer;
	};

	const stillWaiting = async (asked, after) => {
		const status = await statusOf(asked.executionId);
		check(status === 'waiting', `after ${after}, execution ${asked.executionId} is ${status}`);
	};

	/** The Approve case's message and execution, clicked again by the case after it. */
	let askedToApprove;
	return [
		[
			'Approve (double approval): the browser click resumes with approved: true',
			async () => {
				const asked = await ask(APPROVAL, {
					email: 'approve@example.com',
					company: 'ACME',
					discount: 20,
				});
				check(
					asked.message.parsed.subject === 'Approve 20 % for ACME?',
					`subject ${asked.message.parsed.subject}`,
				);
				check(
					Object.keys(asked.links).join() === 'Approve,Decline',
					`buttons ${Object.keys(asked.links)}`,
				);
				askedToApprove = asked;
				return click(asked, 'Approve', approvedIs(asked, true));
			},
		],
		[
			'a second click after the answer resumes nothing',
			async () => {
				const asked = askedToApprove;
				check(asked, 'needs the execution the case before started');
				const answer = answerOf(await untilStatus(asked.executionId, 'success'), asked);
				const responses = [];
				for (const label of ['Approve', 'Decline']) {
					const response = await request(asked.links[label], { userAgent: USER_AGENTS.browser });
					check(
						response.status < 500 && !ANSWER_RECORDED.test(response.body),
						`${label} again got ${describeResponse(response)}`,
					);
					responses.push(`${label} again: ${describeResponse(response)}`);
				}
				const execution = await rest.execution(asked.executionId);
				check(execution.status === 'success', `the execution is now ${execution.status}`);
				const again = answerOf(execution, asked);
				check(
					JSON.stringify(again) === JSON.stringify(answer),
					`the answer changed: ${JSON.stringify(again)}`,
				);
				return responses.join('; ');
			},
		],
		[
			'Decline resumes with approved: false',
			async () => {
				const asked = await ask(APPROVAL, {
					email: 'decline@example.com',
					company: 'Initech',
					discount: 35,
				});
				return click(asked, 'Decline', approvedIs(asked, false));
			},
		],
		[
			'links with an altered signature or query are refused; the execution waits on',
			async () => {
				const asked = await ask(APPROVAL, {
					email: 'forged@example.com',
					company: 'Umbrella',
					discount: 50,
				});
				const forged = new URL(asked.links.Approve);
				const signature = forged.searchParams.get('signature');
				forged.searchParams.set(
					'signature',
					`${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`,
				);
				const flipped = new URL(asked.links.Decline);
				flipped.searchParams.set('approved', 'true');
				const responses = [];
				for (const [what, url] of [
					['altered signature', forged],
					['Decline link saying approved=true', flipped],
				]) {
					const response = await request(url, { userAgent: USER_AGENTS.browser });
					check(
						response.status === 401 || response.status === 403,
						`${what}: ${describeResponse(response)}, expected 401`,
					);
					responses.push(`${what}: ${describeResponse(response)}`);
					await stillWaiting(asked, what);
				}
				const resumed = await click(asked, 'Approve', approvedIs(asked, true));
				return `${responses.join('; ')}; then the real link resumed it: ${resumed}`;
			},
		],
		[
			'a crawler (Googlebot) and a request without user agent do not answer; the browser does',
			async () => {
				const asked = await ask(APPROVAL, {
					email: 'scanned@example.com',
					company: 'Globex',
					discount: 10,
				});
				const responses = [];
				for (const [what, userAgent] of [
					['Googlebot', USER_AGENTS.googlebot],
					['no user agent', undefined],
				]) {
					const response = await request(asked.links.Approve, { userAgent });
					check(
						response.status === 200 && response.body === '',
						`${what}: ${describeResponse(response)}, expected an empty 200`,
					);
					responses.push(`${what}: ${describeResponse(response)}`);
					await stillWaiting(asked, what);
				}
				// The click finds the execution still waiting: the crawlers' requests resumed nothing.
				const resumed = await click(asked, 'Approve', approvedIs(asked, true));
				return `${responses.join('; ')}; then the browser resumed it: ${resumed}`;
			},
		],
		[
			'Free Text: the form page, an empty answer shown again, the posted answer resumes',
			async () => {
				const asked = await ask(FREE_TEXT, { email: 'text@example.com', company: 'Hooli' });
				check(Object.keys(asked.links).join() === 'Answer', `buttons ${Object.keys(asked.links)}`);
				const url = asked.links.Answer;
				const page = await request(url, { userAgent: USER_AGENTS.browser });
				check(
					page.status === 200 &&
						page.body.includes('<form method="POST"') &&
						page.body.includes('name="field-0"') &&
						page.body.includes('Delivery date'),
					`GET of the link: ${describeResponse(page)}, not the form page`,
				);
				await stillWaiting(asked, 'opening the form');
				const empty = await request(url, {
					method: 'POST',
					userAgent: USER_AGENTS.browser,
					form: { 'field-0': ' ' },
				});
				check(
					empty.status === 200 && empty.body.includes('Please fill in'),
					`an empty answer got ${describeResponse(empty)}`,
				);
				await stillWaiting(asked, 'an empty answer');
				const text = 'Friday after 2 pm, please & thank you — Zoë';
				const posted = await request(url, {
					method: 'POST',
					userAgent: USER_AGENTS.browser,
					form: { 'field-0': text },
				});
				return answered(asked, 'posting the answer', posted, (execution) => {
					const answer = answerOf(execution, asked);
					check(answer.data.text === text, `answer ${JSON.stringify(answer)}`);
					return `execution ${asked.executionId}, ${JSON.stringify(answer.data)}`;
				});
			},
		],
		[
			'example: CRM discount approval, Approve sends the customer the offer in the quote thread',
			async () => {
				const asked = await ask(EXAMPLE, {}, 'maria.lopez@example.com');
				check(
					asked.message.parsed.subject === 'Approve 15 % off for Northwind?',
					`subject ${asked.message.parsed.subject}`,
				);
				return click(asked, 'Approve', (execution) => {
					const sent = lastRunOutput(execution, 'Tell the customer');
					check(sent.length === 1, `expected one offer, got ${JSON.stringify(sent)}`);
					const offer = server.messages.find((message) => message.messageId === sent[0].messageId);
					check(offer, `no delivered message has the offer's messageId ${sent[0].messageId}`);
					check(
						offer.envelope.to.join() === 'lin.chen@example.com',
						`the offer went to ${offer.envelope.to}`,
					);
					check(
						offer.parsed.inReplyTo === '<quote-Q-2291@acme.example>' &&
							offer.parsed.subject === 'Re: Your Acme quote Q-2291',
						`the offer is not threaded under the quote: In-Reply-To ${offer.parsed.inReplyTo}, subject ${offer.parsed.subject}`,
					);
					check(/15 % off this quote/.test(offer.parsed.text), `offer text: ${offer.parsed.text}`);
					return `execution ${asked.executionId}, offer ${offer.messageId}`;
				});
			},
		],
	];
}

/**
 * Boots `n8n start` once on the user folder (credentials and workflows imported already), signs
 * in, publishes the workflows and runs every sub-case; n8n is stopped whatever happens. Throws
 * once all sub-cases ran if any failed. `alongside`: more checks that need a running n8n, run in
 * the same boot after these to save one, each `{ name, workflowIds, cases({ base, rest }) }`
 * (`cases` returns `[label, run]` pairs like {@link sendAndWaitCases}).
 */
async function checkSendAndWait({ runtime, userFolder, logDir, server, log, alongside = [] }) {
	const step = async (label, action) => {
		const startedAt = Date.now();
		const result = await action();
		log(`  n8n start: ${label} (${secondsSince(startedAt)})`);
		return result;
	};
	const suites = [
		{
			name: 'send and wait',
			workflowIds: [APPROVAL, FREE_TEXT, EXAMPLE].map(({ workflowId }) => workflowId),
			cases: ({ base, rest }) => sendAndWaitCases({ base, rest, server }),
		},
		...alongside,
	];
	const [port, brokerPort] = await reservePorts(2);
	const base = `http://127.0.0.1:${port}`;
	const env = await n8nEnvironment(runtime, userFolder, {
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		// The resume links in the mail lead here (n8n's default names localhost, which may be ::1).
		WEBHOOK_URL: `${base}/`,
		// Activation registers webhooks at once instead of through an outbox polled every 10-15 s.
		N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'false',
	});
	const n8n = startN8n(runtime, ['start'], env, {
		label: 'n8n start',
		logFile: path.join(logDir, 'send-and-wait-n8n.log'),
	});
	const failed = [];
	try {
		await step('n8n started', () => n8n.waitForLog(/Editor is now accessible/, BOOT_TIMEOUT_MS));
		const rest = await step('owner signed in, workflows published', async () => {
			const client = await signInAsOwner(base, runtime.installDir);
			for (const workflowId of suites.flatMap((suite) => suite.workflowIds)) {
				await client.activateWorkflow(workflowId);
			}
			return client;
		});
		for (const { name, cases } of suites) {
			for (const [label, run] of cases({ base, rest })) {
				const startedAt = Date.now();
				try {
					const detail = await run();
					log(`  ${name}: PASS ${label} (${secondsSince(startedAt)}): ${detail}`);
				} catch (error) {
					failed.push(`${name}: ${label}`);
					log(`  ${name}: FAIL ${label} (${secondsSince(startedAt)})`);
					log(`    ${String(error.message).replace(/\n/g, '\n    ')}`);
					if (!(error instanceof CheckFailed)) log(error.stack);
				}
			}
		}
	} finally {
		await step('n8n stopped', () => n8n.stop());
	}
	check(failed.length === 0, `failed: ${failed.join('; ')}; n8n log ${n8n.logFile}`);
}

module.exports = { SEND_AND_WAIT_EXAMPLES, sendAndWaitFixtures, checkSendAndWait };
