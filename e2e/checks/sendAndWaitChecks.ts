// Send and Wait for Response in a real n8n: one `n8n start` (regular mode), where a Webhook call
// starts a workflow (sendAndWaitWorkflows.js) whose Gmail SMTP node mails Approve/Decline links
// (n8n's signed resume URLs) or a link to a form, and waits. The answers are given the way a
// person gives them: Chromium (playwright-core) opens the link read from the message that arrived
// at the local SMTP server, fills the page and presses the page's own button. Mail scanners, link
// fetchers and forgers are plain HTTP requests, as those programs send. The CRM discount approval
// example runs here too: a workflow that waits cannot finish under `n8n execute`.
import { join } from 'node:path';

import type { Browser, BrowserContext, Page, Response } from 'playwright-core';

import { DESKTOP_CHROME, launchChromium, personContext } from '../../testkit/chromium';
import type { ReceivedMessage, SmtpTestServer } from '../../testkit/smtpTestServer';
import {
	CheckFailed,
	check,
	messageOf,
	secondsSince,
	timedSteps,
	waitFor,
	type BootedCheckOptions,
	type Case,
} from '../check';
import {
	allRunsOutput,
	lastRunOutput,
	runCount,
	type Execution,
	type OutputItem,
} from '../n8n/execution';
import { N8N_READY, startN8nMain } from '../n8n/processes';
import { callWebhook } from '../n8n/queueMode';
import { rawRequest } from '../n8n/rawHttp';
import { signInAsOwner, type N8nRest } from '../n8n/rest';
import {
	APPROVAL,
	APPROVE_ONLY,
	CONFIRM_ON_PAGE,
	CUSTOM_FORM,
	EXAMPLE,
	FREE_TEXT,
	LOOP,
	SEND_AND_WAIT_WORKFLOW_IDS,
	type AskConfig,
} from './sendAndWaitWorkflows';

const BOOT_TIMEOUT_MS = 120_000;
const STATUS_TIMEOUT_MS = 30_000;
const USER_AGENTS = {
	browser: DESKTOP_CHROME,
	googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
	// Outlook and Office fetch a link before opening it in the person's browser.
	outlook: 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)',
	msOffice: 'Mozilla/4.0 (compatible; ms-office; MSOffice 16)',
};
/** What the node's pages say (responsePages.ts). */
const ANSWER_RECORDED = /Your answer was recorded/;
const NO_LONGER_WAITING = /This request is no longer waiting/;
/** Over the 1 MB the node takes as an answer. */
const TOO_LONG_ANSWER = 'x'.repeat(1024 * 1024 + 1024);

/**
 * One GET, as a link fetcher sends it, with exactly the headers given: Node's fetch would add a
 * user agent of its own, and the "no user agent" case must send none.
 */
function request(url: string | URL, { userAgent }: { userAgent?: string } = {}) {
	const headers: Record<string, string> = {};
	if (userAgent !== undefined) headers['user-agent'] = userAgent;
	return rawRequest(url, { headers, timeoutMs: 30_000 });
}

/** A response for the log: status and the page's title (or the start of its body). */
function describeResponse({ status, body }: { status: number; body: string }): string {
	const title = /<title>([^<]*)<\/title>/i.exec(body)?.[1];
	return `${status} ${title ? `"${title}"` : JSON.stringify(body.slice(0, 80))}`;
}

/** Entities as the node writes them into attributes (`&#38;`), and as other mailers do (`&amp;`). */
function decodeHtmlEntities(text: string): string {
	return text
		.replace(/&#(\d+);/g, (_, code) => String.fromCodePoint(Number(code)))
		.replace(/&#x([0-9a-f]+);/gi, (_, code) => String.fromCodePoint(parseInt(code, 16)))
		.replace(/&quot;/g, '"')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&amp;/g, '&');
}

/** The buttons of a delivered message, by label: the `href` of each link in the HTML part. */
function buttonLinks(message: ReceivedMessage): Record<string, string> {
	const links: Record<string, string> = {};
	for (const match of String(message.parsed.html).matchAll(
		/<a\s[^>]*?href="([^"]+)"[^>]*>([\s\S]*?)<\/a>/gi,
	)) {
		links[decodeHtmlEntities(match[2]).trim()] = decodeHtmlEntities(match[1]);
	}
	return links;
}

/** What a page in the browser shows: the HTTP status and the visible text. */
interface Shown {
	status: number;
	text: string;
}

async function shown(page: Page, response: Response | null): Promise<Shown> {
	check(response, `no response for ${page.url()}`);
	return { status: response.status(), text: await page.locator('body').innerText() };
}

/** The browser opens `url` (a click on a link in the mail): a new tab. */
async function openLink(context: BrowserContext, url: string): Promise<Shown & { page: Page }> {
	const page = await context.newPage();
	const response = await page.goto(url);
	return { page, ...(await shown(page, response)) };
}

/**
 * Presses the page's own submit button labelled `label` and waits for the page the post brings
 * (the same URL: the form posts back to its signed link).
 */
async function pressSubmit(page: Page, label: string): Promise<Shown> {
	const button = page.getByRole('button', { name: label, exact: true });
	check((await button.count()) === 1, `the page has no "${label}" button: ${await page.content()}`);
	const loaded = page.waitForEvent('load');
	const posted = page.waitForResponse((response) => response.request().method() === 'POST');
	await button.click();
	const response = await posted;
	await loaded;
	return shown(page, response);
}

/** An answer the Send and Wait node resumed with. */
interface Answer extends OutputItem {
	data?: { approved?: boolean; respondedAt?: string; text?: string; [field: string]: unknown };
}

/** A message asking for an answer, once delivered: its buttons and the execution that waits. */
interface Asked {
	message: ReceivedMessage;
	links: Record<string, string>;
	executionId: string;
}

/**
 * The Send and Wait checks against a running n8n (`base`: its URL) with the owner's REST client
 * and a browser. Each sub-case starts an execution of its own.
 */
function sendAndWaitCases({
	base,
	rest,
	server,
	browser,
}: {
	base: string;
	rest: N8nRest;
	server: SmtpTestServer;
	browser: Browser;
}): Case[] {
	const webhookWaiting = `${base}/webhook-waiting/`;

	const statusOf = async (executionId: string) => (await rest.execution(executionId)).status;
	const untilStatus = (executionId: string, wanted: string) =>
		waitFor(
			async () => {
				const execution = await rest.execution(executionId);
				if (execution.status === wanted) return execution;
				if (['error', 'crashed', 'canceled'].includes(String(execution.status))) {
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
	 * The message to `recipient` once it arrived, its buttons by label (each also in the text part
	 * as a plain link) and the execution the links resume, once that execution waits.
	 */
	const delivered = async (recipient: string): Promise<Asked> => {
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
		const executionId = /\/webhook-waiting\/([^/]+)\//.exec(urls[0])?.[1];
		check(executionId, `the button ${urls[0]} names no execution`);
		check(
			urls.every((url) => url.startsWith(`${webhookWaiting}${executionId}/`)),
			`the buttons lead to different executions: ${urls.join(' ')}`,
		);
		await untilStatus(executionId, 'waiting');
		return { message, links, executionId };
	};

	/** Starts the workflow for `body` and returns {@link delivered} for `recipient`. */
	const ask = async (
		config: AskConfig,
		body: Record<string, unknown>,
		recipient = String(body.email),
	): Promise<Asked> => {
		const started = await callWebhook<{ message?: string }>(
			`${base}/webhook/${config.webhookPath}`,
			body,
		);
		check(
			started?.message === 'Workflow was started',
			`the webhook answered ${JSON.stringify(started)}`,
		);
		return delivered(recipient);
	};

	/** Runs `action` with a fresh browser profile, closed afterwards. */
	const asPerson = async <T>(action: (context: BrowserContext) => Promise<T>): Promise<T> => {
		const context = await personContext(browser);
		try {
			return await action(context);
		} finally {
			await context.close();
		}
	};

	/**
	 * The person got the node's "answer recorded" page and the execution finished: `inspect`
	 * checks the finished execution and says what it found.
	 */
	const answered = async (
		asked: Asked,
		what: string,
		page: Shown,
		inspect: (execution: Execution) => string,
	): Promise<string> => {
		check(
			page.status === 200 && ANSWER_RECORDED.test(page.text),
			`${what}: the person got ${page.status} "${page.text.slice(0, 200)}", not the "answer recorded" page`,
		);
		return inspect(await untilStatus(asked.executionId, 'success'));
	};

	/** A person clicks a button in the mail: the browser opens its link. */
	const click = (asked: Asked, label: string, inspect: (execution: Execution) => string) =>
		asPerson(async (context) => {
			const url = asked.links[label];
			check(url, `no ${label} button: ${Object.keys(asked.links).join(', ')}`);
			const page = await openLink(context, url);
			return answered(asked, `opening ${label}`, page, inspect);
		});

	/** The single answer the execution goes on with, from the node that follows Send and Wait. */
	const answerOf = (execution: Execution, asked: Asked): Answer => {
		const answers = lastRunOutput(execution, 'Answer') as Answer[];
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
			!Number.isNaN(Date.parse(String(answer.data?.respondedAt))),
			`answer without respondedAt: ${JSON.stringify(answer)}`,
		);
		check(
			JSON.stringify(lastRunOutput(execution, 'Ask')) === JSON.stringify(answers),
			`the Gmail SMTP node's resumed output is not what the next node got: ${JSON.stringify(lastRunOutput(execution, 'Ask'))}`,
		);
		return answer;
	};

	/** Checks that the answer is `approved`, for {@link click}. */
	const approvedIs = (asked: Asked, approved: boolean) => (execution: Execution) => {
		const answer = answerOf(execution, asked);
		check(answer.data?.approved === approved, `answer ${JSON.stringify(answer)}`);
		return `execution ${asked.executionId}, ${JSON.stringify(answer.data)}`;
	};

	/** Checks the answer's data (all but respondedAt) against `expected`. */
	const dataIs = (asked: Asked, expected: Record<string, unknown>) => (execution: Execution) => {
		const { respondedAt, ...data } = answerOf(execution, asked).data ?? {};
		check(respondedAt, 'the answer has no respondedAt');
		check(
			JSON.stringify(data) === JSON.stringify(expected),
			`answer data ${JSON.stringify(data)}, expected ${JSON.stringify(expected)}`,
		);
		return `execution ${asked.executionId}, ${JSON.stringify(data).slice(0, 300)}`;
	};

	const stillWaiting = async (asked: Asked, after: string) => {
		const status = await statusOf(asked.executionId);
		check(status === 'waiting', `after ${after}, execution ${asked.executionId} is ${status}`);
	};

	/** The Approve case's message and execution, clicked again by the case after it. */
	let askedToApprove: Asked | undefined;
	return [
		[
			'Approve (double approval): the link opened in Chromium resumes with approved: true',
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
				const pages = await asPerson(async (context) => {
					const seen: string[] = [];
					for (const label of ['Approve', 'Decline']) {
						const page = await openLink(context, asked.links[label]);
						check(
							page.status < 500 && !ANSWER_RECORDED.test(page.text),
							`${label} again got ${page.status} "${page.text.slice(0, 200)}"`,
						);
						seen.push(`${label} again: ${page.status} "${page.text.slice(0, 60)}"`);
					}
					return seen;
				});
				const execution = await rest.execution(asked.executionId);
				check(execution.status === 'success', `the execution is now ${execution.status}`);
				const again = answerOf(execution, asked);
				check(
					JSON.stringify(again) === JSON.stringify(answer),
					`the answer changed: ${JSON.stringify(again)}`,
				);
				return pages.join('; ');
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
			'Approve only (single approval): one button, which resumes with approved: true',
			async () => {
				const asked = await ask(APPROVE_ONLY, {
					email: 'single@example.com',
					company: 'Stark',
					discount: 5,
				});
				check(
					Object.keys(asked.links).join() === 'Yes, go ahead',
					`buttons ${Object.keys(asked.links)}`,
				);
				return click(asked, 'Yes, go ahead', approvedIs(asked, true));
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
				const signature = forged.searchParams.get('signature') ?? '';
				forged.searchParams.set(
					'signature',
					`${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`,
				);
				const flipped = new URL(asked.links.Decline);
				flipped.searchParams.set('approved', 'true');
				const otherRound = new URL(asked.links.Approve);
				otherRound.searchParams.set('round', 'AAAAAAAAAAAAAAAA');
				const responses: string[] = [];
				for (const [what, url] of [
					['altered signature', forged],
					['Decline link saying approved=true', flipped],
					['Approve link naming another round', otherRound],
				] as Array<[string, URL]>) {
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
			'link fetchers (Googlebot, Outlook, MS Office, no user agent) do not answer; the browser does',
			async () => {
				const asked = await ask(APPROVAL, {
					email: 'scanned@example.com',
					company: 'Globex',
					discount: 10,
				});
				const responses: string[] = [];
				for (const [what, userAgent] of [
					['Googlebot', USER_AGENTS.googlebot],
					['Outlook', USER_AGENTS.outlook],
					['MS Office', USER_AGENTS.msOffice],
					['no user agent', undefined],
				] as const) {
					const response = await request(asked.links.Decline, { userAgent });
					check(
						response.status === 200 && response.body === '',
						`${what}: ${describeResponse(response)}, expected an empty 200`,
					);
					responses.push(`${what}: ${describeResponse(response)}`);
					await stillWaiting(asked, what);
				}
				// The click finds the execution still waiting: the fetchers' requests resumed nothing.
				const resumed = await click(asked, 'Approve', approvedIs(asked, true));
				return `${responses.join('; ')}; then the browser resumed it: ${resumed}`;
			},
		],
		[
			'Confirm on Page: opening the link (Chromium, Outlook) only shows the question and choice; its button answers',
			async () => {
				const asked = await ask(CONFIRM_ON_PAGE, {
					email: 'confirm@example.com',
					company: 'Wayne',
					discount: 15,
				});
				const fetched = await request(asked.links.Decline, { userAgent: USER_AGENTS.outlook });
				check(fetched.body === '', `Outlook fetching the link: ${describeResponse(fetched)}`);
				await stillWaiting(asked, 'Outlook fetching the link');
				return asPerson(async (context) => {
					const page = await openLink(context, asked.links.Decline);
					check(
						page.status === 200 &&
							/Confirm your answer/.test(page.text) &&
							page.text.includes('Approve 15 % for Wayne?'),
						`opening the link: ${page.status} "${page.text.slice(0, 200)}", not the confirmation page`,
					);
					await stillWaiting(asked, 'opening the link in the browser');
					const again = await openLink(context, asked.links.Decline);
					check(/Confirm your answer/.test(again.text), `opening it again: "${again.text}"`);
					await stillWaiting(asked, 'opening the link a second time');
					const pressed = await pressSubmit(page.page, 'Decline');
					return answered(asked, 'pressing Decline on the page', pressed, approvedIs(asked, false));
				});
			},
		],
		[
			'Free Text: the form page; a blank or over-1-MB answer shown again, the answer typed resumes',
			async () => {
				const asked = await ask(FREE_TEXT, { email: 'text@example.com', company: 'Hooli' });
				check(Object.keys(asked.links).join() === 'Answer', `buttons ${Object.keys(asked.links)}`);
				const text = 'Friday after 2 pm,\nplease & thank you — Zoë';
				return asPerson(async (context) => {
					const { page, ...opened } = await openLink(context, asked.links.Answer);
					check(
						opened.status === 200 &&
							opened.text.includes('Delivery date') &&
							(await page.locator('textarea[name="field-0"]').count()) === 1,
						`opening the link: ${opened.status} "${opened.text.slice(0, 200)}", not the form`,
					);
					await stillWaiting(asked, 'opening the form');
					await page.fill('textarea[name="field-0"]', '   ');
					const blank = await pressSubmit(page, 'Submit');
					check(
						blank.status === 422 &&
							/Please fill in/.test(blank.text) &&
							(await page.getAttribute('textarea[name="field-0"]', 'aria-invalid')) === 'true',
						`a blank answer got ${blank.status} "${blank.text.slice(0, 200)}"`,
					);
					await stillWaiting(asked, 'a blank answer');
					await page.fill('textarea[name="field-0"]', TOO_LONG_ANSWER);
					const tooLong = await pressSubmit(page, 'Submit');
					check(
						tooLong.status === 413 && /Your answer is too long/.test(tooLong.text),
						`an answer of ${TOO_LONG_ANSWER.length} characters got ${tooLong.status} "${tooLong.text.slice(0, 200)}"`,
					);
					await stillWaiting(asked, 'an answer over 1 MB');
					const form = await page.goBack();
					check(form, 'going back to the form');
					await page.fill('textarea[name="field-0"]', text);
					const posted = await pressSubmit(page, 'Submit');
					return answered(asked, 'submitting the answer', posted, dataIs(asked, { text }));
				});
			},
		],
		[
			'Custom Form: every field type, required and optional; a blank required field comes back marked with the answers kept',
			async () => {
				const asked = await ask(CUSTOM_FORM, { email: 'form@example.com', company: 'Acme' });
				check(
					Object.keys(asked.links).join() === 'Fill in the form',
					`buttons ${Object.keys(asked.links)}`,
				);
				return asPerson(async (context) => {
					const { page, ...opened } = await openLink(context, asked.links['Fill in the form']);
					check(
						opened.status === 200 && opened.text.includes('Delivery details'),
						`opening the link: ${opened.status} "${opened.text.slice(0, 200)}", not the form`,
					);
					await stillWaiting(asked, 'opening the form');
					const byLabel = (label: string) => page.getByLabel(label, { exact: false });
					await byLabel('Full name').fill('   ');
					await byLabel('Delivery notes').fill('Ring twice,\nthen use the back door');
					await byLabel('Contact email').fill('ada@example.com');
					await byLabel('Boxes').fill('3');
					await byLabel('Delivery day').fill('2026-12-24');
					await byLabel('Slot').selectOption('Afternoon');
					const incomplete = await pressSubmit(page, 'Send details');
					check(
						incomplete.status === 422 && /Please check the marked field/.test(incomplete.text),
						`a blank required field got ${incomplete.status} "${incomplete.text.slice(0, 200)}"`,
					);
					check(
						(await byLabel('Full name').getAttribute('aria-invalid')) === 'true' &&
							(await byLabel('Contact email').getAttribute('aria-invalid')) === null,
						'Full name is not the one field marked',
					);
					const kept = {
						'Delivery notes': await byLabel('Delivery notes').inputValue(),
						'Contact email': await byLabel('Contact email').inputValue(),
						Boxes: await byLabel('Boxes').inputValue(),
						'Delivery day': await byLabel('Delivery day').inputValue(),
						Slot: await byLabel('Slot').inputValue(),
					};
					check(
						JSON.stringify(kept) ===
							JSON.stringify({
								'Delivery notes': 'Ring twice,\nthen use the back door',
								'Contact email': 'ada@example.com',
								Boxes: '3',
								'Delivery day': '2026-12-24',
								Slot: 'Afternoon',
							}),
						`the answers given were not kept: ${JSON.stringify(kept)}`,
					);
					await stillWaiting(asked, 'a blank required field');
					await byLabel('Full name').fill('Ada Lovelace');
					const posted = await pressSubmit(page, 'Send details');
					return answered(
						asked,
						'submitting the form',
						posted,
						dataIs(asked, {
							'Full name': 'Ada Lovelace',
							'Delivery notes': 'Ring twice,\nthen use the back door',
							'Contact email': 'ada@example.com',
							Boxes: 3,
							'Weight (kg)': null,
							'Delivery day': '2026-12-24',
							Slot: 'Afternoon',
							Reference: '',
						}),
					);
				});
			},
		],
		[
			"Loop Over Items (batch 1), three items: round 1's unused link while round 2 waits changes nothing; each round's own link answers it",
			async () => {
				const items = [1, 2, 3].map((round) => ({
					email: `round${round}@example.com`,
					order: `A-${round}`,
				}));
				const started = await callWebhook<{ message?: string }>(
					`${base}/webhook/${LOOP.webhookPath}`,
					{ items },
				);
				check(
					started?.message === 'Workflow was started',
					`the webhook answered ${JSON.stringify(started)}`,
				);
				const round1 = await delivered('round1@example.com');
				const { executionId } = round1;
				const answerRound = (asked: Asked, label: string) =>
					asPerson(async (context) => {
						const page = await openLink(context, asked.links[label]);
						check(
							page.status === 200 && ANSWER_RECORDED.test(page.text),
							`${label} of ${asked.message.parsed.subject}: ${page.status} "${page.text.slice(0, 200)}"`,
						);
					});
				await answerRound(round1, 'Approve');
				const round2 = await delivered('round2@example.com');
				check(round2.executionId === executionId, `round 2 is execution ${round2.executionId}`);
				const before = allRunsOutput(await rest.execution(executionId), 'Ask');

				const stale = await asPerson(async (context) => {
					const seen: string[] = [];
					for (const label of ['Decline', 'Approve']) {
						const page = await openLink(context, round1.links[label]);
						check(
							page.status === 200 && NO_LONGER_WAITING.test(page.text),
							`round 1's ${label} while round 2 waits: ${page.status} "${page.text.slice(0, 200)}"`,
						);
						seen.push(`round 1's ${label}: "${page.text.split('\n')[0]}"`);
					}
					return seen;
				});
				const after = await rest.execution(executionId);
				check(after.status === 'waiting', `after round 1's links the execution is ${after.status}`);
				check(
					JSON.stringify(allRunsOutput(after, 'Ask')) === JSON.stringify(before),
					`round 1's links changed the runs of Ask: ${JSON.stringify(allRunsOutput(after, 'Ask'))}`,
				);
				check(
					!server.messages.some((message) => message.envelope.to.includes('round3@example.com')),
					"round 1's links moved the loop on to round 3",
				);

				await answerRound(round2, 'Decline');
				const round3 = await delivered('round3@example.com');
				await answerRound(round3, 'Approve');
				const finished = await untilStatus(executionId, 'success');
				const answers = allRunsOutput(finished, 'Ask').map(([answer]) => answer as Answer);
				const expected: Array<[Asked, boolean]> = [
					[round1, true],
					[round2, false],
					[round3, true],
				];
				check(
					answers.length === 3 &&
						expected.every(
							([asked, approved], index) =>
								answers[index]?.messageId === asked.message.messageId &&
								answers[index]?.data?.approved === approved,
						),
					`the rounds' answers: ${JSON.stringify(answers)}`,
				);
				const done = lastRunOutput(finished, 'Done');
				check(done.length === 3, `Done got ${done.length} items: ${JSON.stringify(done)}`);
				return `execution ${executionId}: ${stale.join('; ')}; answers ${answers.map((answer) => answer.data?.approved).join(', ')}`;
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
					check(
						/15 % off this quote/.test(offer.parsed.text ?? ''),
						`offer text: ${offer.parsed.text}`,
					);
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
 * (`cases` returns `[label, run]` pairs like {@link sendAndWaitCases}; it also gets `browser`,
 * a playwright-core Chromium).
 */
export async function checkSendAndWait({
	runtime,
	userFolder,
	logDir,
	server,
	log,
	alongside = [],
}: BootedCheckOptions<AlongsideChecks>): Promise<void> {
	const step = timedSteps(log, 'n8n start');
	const suites: AlongsideChecks[] = [
		{
			name: 'send and wait',
			workflowIds: SEND_AND_WAIT_WORKFLOW_IDS,
			cases: ({ base, rest, browser }) => sendAndWaitCases({ base, rest, server, browser }),
		},
		...alongside,
	];
	// The resume links in the mail lead to `base`.
	const { n8n, base } = await startN8nMain(runtime, userFolder, {
		label: 'n8n start',
		logFile: join(logDir, 'send-and-wait-n8n.log'),
	});
	const failed: string[] = [];
	let browser: Browser | undefined;
	try {
		const chromium = await step('chromium started', () => launchChromium({ log }));
		browser = chromium;
		await step('n8n started', () => n8n.waitForLog(N8N_READY, BOOT_TIMEOUT_MS));
		const rest = await step('owner signed in, workflows published', async () => {
			const client = await signInAsOwner(base, runtime.installDir);
			for (const workflowId of suites.flatMap((suite) => suite.workflowIds)) {
				await client.activateWorkflow(workflowId);
			}
			return client;
		});
		for (const { name, cases } of suites) {
			for (const [label, run] of cases({ base, rest, browser: chromium })) {
				const startedAt = Date.now();
				try {
					const detail = await run();
					log(`  ${name}: PASS ${label} (${secondsSince(startedAt)}): ${detail}`);
				} catch (error) {
					failed.push(`${name}: ${label}`);
					log(`  ${name}: FAIL ${label} (${secondsSince(startedAt)})`);
					log(`    ${messageOf(error).replace(/\n/g, '\n    ')}`);
					if (!(error instanceof CheckFailed)) log(String((error as Error).stack));
				}
			}
		}
	} finally {
		if (browser) await browser.close();
		await step('n8n stopped', () => n8n.stop());
	}
	check(failed.length === 0, `failed: ${failed.join('; ')}; n8n log ${n8n.logFile}`);
}

/** Checks that need a running n8n, run in the Send and Wait check's boot to save one. */
export interface AlongsideChecks {
	name: string;
	/** The workflows they need active. */
	workflowIds: string[];
	cases(running: { base: string; rest: N8nRest; browser: Browser }): Case[];
}
