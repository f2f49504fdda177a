import { NodeOperationError, WAIT_INDEFINITELY, type INodeExecutionData } from 'n8n-workflow';

import { GmailSmtp } from '../../nodes/GmailSmtp/GmailSmtp.node';
import { GMAIL_CLIP_BYTES } from '../../nodes/GmailSmtp/message/gmailClipping';
import { encodedHtmlSize } from '../../nodes/GmailSmtp/transport/encodedHtmlSize';
import { fakeExecuteContext, fakeResumeUrl, jsonItems } from '../../testkit/fakeExecuteContext';
import { BROWSER, fakeWebhookContext, type FakeRequest } from '../helpers/fakeWebhookContext';
import { credentialsFor, useSmtpTestServer, type SmtpTestServer } from '../helpers/smtpTestServer';

const approval = {
	operation: 'sendAndWait',
	toEmail: (_index: number, item: INodeExecutionData) => item.json.email,
	subject: 'Approve {{discount}} % for {{company}}?',
	html: '<p>{{company}} asks for {{discount}} %.</p>',
	text: '',
	responseType: 'approval',
	approvalOptions: { values: { approvalType: 'double', approveLabel: 'Grant it' } },
	options: {},
};

async function runNode(
	parameters: Record<string, unknown>,
	items: INodeExecutionData[],
	server: SmtpTestServer,
	continueOnFail = false,
) {
	const { context, wait } = fakeExecuteContext({
		parameters,
		items,
		credentials: credentialsFor(server),
		continueOnFail,
	});
	const [output] = await new GmailSmtp().execute.call(context);
	return { output, wait };
}

async function answer(parameters: Record<string, unknown>, request: FakeRequest) {
	const { context, written } = fakeWebhookContext(parameters, request);
	const result = await new GmailSmtp().webhook.call(context);
	return { result, written };
}

/** The query n8n would hand the webhook for one of the message's links. */
function queryOf(url: string): Record<string, string> {
	return Object.fromEntries(new URL(url.replace(/&amp;|&#38;/g, '&')).searchParams);
}

describe('Send and Wait for Response', () => {
	const server = useSmtpTestServer({ security: 'tls' });

	it('sends the templated message with Approve and Decline, then waits', async () => {
		const { output, wait } = await runNode(
			approval,
			jsonItems({ email: 'boss@example.com', company: 'ACME', discount: 20 }),
			server,
		);

		expect(wait.waitTill).toEqual(WAIT_INDEFINITELY);
		// On n8n 1.x a link is only checked when the node asked before handing it out.
		expect(wait).toMatchObject({ signatureRequired: true });
		expect(wait.linksBeforeSignatureRequired).toBeUndefined();
		const [message] = server.messages;
		expect(output[0].json.messageId).toBe(message.parsed.messageId);
		expect(message.parsed.subject).toBe('Approve 20 % for ACME?');
		const html = message.parsed.html as string;
		expect(html.indexOf('ACME asks for 20 %')).toBeLessThan(html.indexOf('Grant it'));
		const links = [...html.matchAll(/href="([^"]+)"/g)].map((match) => queryOf(match[1]));
		const boundTo = {
			messageId: message.parsed.messageId,
			items: '1',
			round: expect.stringMatching(/^[\w-]{16}$/),
			signature: 'test-signature',
		};
		expect(links).toEqual([
			{ approved: 'true', ...boundTo },
			{ approved: 'false', ...boundTo },
		]);
		expect(links[0].round).toBe(links[1].round);
		expect(message.parsed.text).toContain(`Grant it: ${fakeResumeUrl(links[0])}`);
		expect(message.parsed.text).toContain(`Decline: ${fakeResumeUrl(links[1])}`);
	});

	it('puts the controls where the template places them', async () => {
		await runNode(
			{
				...approval,
				html: '<p>Before</p>{{{approvalButtons}}}<p>After {{company}}</p>',
				text: 'Before\n{{approvalLinks}}\nAfter',
			},
			jsonItems({ email: 'boss@example.com', company: 'ACME', discount: 20 }),
			server,
		);

		const { html, text } = server.messages[0].parsed;
		expect(html).toMatch(
			/^<p>Before<\/p><table role="presentation"[\s\S]*<\/table><p>After ACME<\/p>/,
		);
		expect(text).toMatch(
			/^Before\nGrant it: http:\/\/localhost:5678\/webhook-waiting\/\S+\nDecline: \S+\nAfter/,
		);
	});

	it('waits until the limit set, when there is one', async () => {
		const before = Date.now();
		const { wait } = await runNode(
			{
				...approval,
				options: {
					limitWaitTime: {
						values: { limitType: 'afterTimeInterval', resumeAmount: 2, resumeUnit: 'hours' },
					},
				},
			},
			jsonItems({ email: 'boss@example.com', company: 'ACME', discount: 20 }),
			server,
		);
		const until = wait.waitTill!.getTime();
		expect(until).toBeGreaterThanOrEqual(before + 2 * 3_600_000);
		expect(until).toBeLessThanOrEqual(Date.now() + 2 * 3_600_000);
	});

	it('asks one question per execution: several items per item are refused before anything is sent', async () => {
		const run = runNode(
			approval,
			jsonItems({ email: 'a@example.com' }, { email: 'b@example.com' }),
			server,
		);

		await expect(run).rejects.toBeInstanceOf(NodeOperationError);
		await expect(run).rejects.toMatchObject({ message: 'One question per execution' });
		expect(server.connections).toBe(0);
	});

	it('one message for all items asks once, and the answer is paired with every item', async () => {
		const { output } = await runNode(
			{
				...approval,
				sendMode: 'allItems',
				toEmail: 'boss@example.com',
				subject: '{{items.length}} discounts',
				html: '<p>{{#each items}}{{company}} {{/each}}</p>',
			},
			jsonItems({ company: 'ACME' }, { company: 'Initech' }),
			server,
		);
		const link = queryOf(/href="([^"]+)"/.exec(server.messages[0].parsed.html as string)![1]);

		expect(output).toHaveLength(1);
		expect(link.items).toBe('2');
		const { result } = await answer(approval, { query: link, userAgent: BROWSER });
		expect(result.workflowData![0][0].pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('never waits for a message that was not sent', async () => {
		const { output, wait } = await runNode(
			approval,
			jsonItems({ email: 'not an address', company: 'ACME', discount: 20 }),
			server,
			true,
		);

		expect(output[0].json.error).toMatchObject({ kind: 'input' });
		expect(wait.waitTill).toBeUndefined();
	});
});

describe('the answer', () => {
	it("comes to the node's own webhook, whose page n8n shows the person", () => {
		for (const hook of new GmailSmtp().description.webhooks!) {
			// n8n answers with the word "firstEntryJson" unless responseData is empty.
			expect(hook).toMatchObject({
				responseMode: 'onReceived',
				responseData: '',
				restartWebhook: true,
			});
		}
	});

	const query = { approved: 'true', messageId: '<m1@example.com>', items: '1', signature: 's' };

	it("an approval click resumes with n8n's shape, after the Message-ID", async () => {
		const { result } = await answer(approval, { query, userAgent: BROWSER });

		expect(result.webhookResponse).toContain('Got it, thanks');
		expect(result.workflowData).toEqual([
			[
				{
					json: {
						messageId: '<m1@example.com>',
						data: { approved: true, respondedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
					},
					pairedItem: [{ item: 0 }],
				},
			],
		]);
		const declined = await answer(approval, {
			query: { ...query, approved: 'false' },
			userAgent: BROWSER,
		});
		expect(declined.result.workflowData![0][0].json.data).toMatchObject({ approved: false });
	});

	it.each([
		['a mail security scanner', 'Mozilla/5.0 (compatible; Mimecast-URL-Protect)'],
		[
			"Microsoft Defender's Safe Links",
			'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0 Safari/537.36 (compatible; SafeLinks)',
		],
		['a crawler', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
		['a link preview', 'Mozilla/5.0 (Windows NT 10.0) SkypeUriPreview Preview/0.5'],
		[
			'Outlook fetching the link',
			'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)',
		],
		['Office fetching the link', 'Mozilla/4.0 (compatible; ms-office; MSOffice 16)'],
		['a request without user agent', undefined],
	])('%s never counts as the answer', async (_label, userAgent) => {
		for (const method of ['GET', 'POST'] as const) {
			const { result, written } = await answer(approval, { method, query, userAgent });

			expect(result).toEqual({ noWebhookResponse: true });
			expect(written).toMatchObject({ status: 200, body: '' });
		}
	});

	describe('a link answers only the wait it was sent for', () => {
		const loop = (runIndex: number) => ({ name: 'Loop Over Items', outputIndex: 1, runIndex });
		const server = useSmtpTestServer({ security: 'tls' });

		/** The links of the message the node sends in `round` of the loop, as n8n hands them back. */
		async function linksOfRound(runIndex: number, parameters = approval) {
			const before = server.messages.length;
			const { context } = fakeExecuteContext({
				parameters,
				items: jsonItems({ email: 'boss@example.com', company: `Item ${runIndex}`, discount: 5 }),
				credentials: credentialsFor(server),
				previousRun: loop(runIndex),
			});
			await new GmailSmtp().execute.call(context);
			const html = server.messages[before].parsed.html as string;
			return [...html.matchAll(/href="([^"]+)"/g)].map((match) => queryOf(match[1]));
		}

		it("an earlier round's unused link gets a clear page and resumes nothing", async () => {
			const [, declineRound1] = await linksOfRound(0);
			const [approveRound2] = await linksOfRound(1);
			expect(declineRound1.round).not.toBe(approveRound2.round);

			for (const method of ['GET', 'POST'] as const) {
				const stale = await answer(approval, {
					method,
					query: declineRound1,
					userAgent: BROWSER,
					previousRun: loop(1),
				});
				expect(stale.result).toEqual({ noWebhookResponse: true });
				expect(stale.written.status).toBe(200);
				expect(stale.written.body).toContain('This request is no longer waiting');
				expect(stale.written.body).toContain('Nothing was changed');
			}

			const current = await answer(approval, {
				query: approveRound2,
				userAgent: BROWSER,
				previousRun: loop(1),
			});
			expect(current.result.workflowData![0][0].json).toMatchObject({
				messageId: approveRound2.messageId,
				data: { approved: true },
			});
		});

		it('a form link of another round does not even show the form, and its answer is refused', async () => {
			const [respondRound1] = await linksOfRound(0, freeText);
			const opened = await answer(freeText, {
				query: respondRound1,
				userAgent: BROWSER,
				previousRun: loop(2),
			});
			expect(opened.written.body).toContain('This request is no longer waiting');
			expect(opened.written.body).not.toContain('<form');
			const posted = await answer(freeText, {
				method: 'POST',
				query: respondRound1,
				userAgent: BROWSER,
				body: { data: { 'field-0': 'too late' } },
				previousRun: loop(2),
			});
			expect(posted.result).toEqual({ noWebhookResponse: true });
			expect(posted.written.body).toContain('This request is no longer waiting');
		});

		it('the round is what fed the node: another output or another node is another wait', async () => {
			const [link] = await linksOfRound(0);
			for (const previousRun of [
				{ ...loop(0), outputIndex: 0 },
				{ ...loop(0), name: 'Loop Over Items1' },
				undefined,
			]) {
				const { written } = await answer(approval, {
					query: link,
					userAgent: BROWSER,
					previousRun,
				});
				expect(written.body).toContain('This request is no longer waiting');
			}
		});

		it('a link sent before links were bound (no round) still answers', async () => {
			const { result } = await answer(approval, {
				query,
				userAgent: BROWSER,
				previousRun: loop(3),
			});
			expect(result.workflowData![0][0].json.data).toMatchObject({ approved: true });
		});
	});

	describe('Confirm on Page', () => {
		const confirming = { ...approval, options: { confirmOnPage: true } };
		const server = useSmtpTestServer({ security: 'tls' });

		it('the links carry the question (the subject), signed with them; without the option they do not', async () => {
			await runNode(
				confirming,
				jsonItems({ email: 'boss@example.com', company: 'ACME', discount: 20 }),
				server,
			);
			await runNode(
				approval,
				jsonItems({ email: 'boss@example.com', company: 'ACME', discount: 20 }),
				server,
			);
			const [confirmed, plain] = server.messages.map((message) =>
				queryOf(/href="([^"]+)"/.exec(message.parsed.html as string)![1]),
			);
			expect(confirmed.question).toBe('Approve 20 % for ACME?');
			expect(plain.question).toBeUndefined();
			const page = await answer(confirming, { query: confirmed, userAgent: BROWSER });
			expect(page.written.body).toContain('Approve 20 % for ACME?');
		});

		it('opening the link shows the choice with a button; only posting it answers', async () => {
			const declineQuery = { ...query, approved: 'false' };
			const page = await answer(confirming, { query: declineQuery, userAgent: BROWSER });
			expect(page.result).toEqual({ noWebhookResponse: true });
			expect(page.written.body).toContain('Confirm your answer');
			expect(page.written.body).toMatch(
				/<form method="POST" enctype="multipart\/form-data"[^>]*>[\s\S]*<button type="submit"[^>]*>Decline<\/button>/,
			);
			expect(page.written.body).not.toMatch(/<script/i);

			const posted = await answer(confirming, {
				method: 'POST',
				query: declineQuery,
				userAgent: BROWSER,
				body: { data: { confirmed: 'yes' }, files: {} },
			});
			expect(posted.result.workflowData![0][0].json.data).toMatchObject({ approved: false });
		});

		it("shows the Approve button's own label", async () => {
			const page = await answer(confirming, { query, userAgent: BROWSER });
			expect(page.written.body).toMatch(/<button type="submit"[^>]*>Grant it<\/button>/);
		});
	});

	const freeText = {
		...approval,
		responseType: 'freeText',
		options: { responseFormTitle: 'Delivery slot?' },
	};

	it('Free Text: the link opens a form posting multipart; posting it resumes with the text', async () => {
		const page = await answer(freeText, { query, userAgent: BROWSER });
		expect(page.result).toEqual({ noWebhookResponse: true });
		expect(page.written.headers['content-type']).toBe('text/html; charset=utf-8');
		expect(page.written.body).toContain('<form method="POST" enctype="multipart/form-data"');
		expect(page.written.body).toContain('Delivery slot?');
		expect(page.written.body).not.toMatch(/<script/i);

		// n8n parses a multipart post into { data, files } (formidable's values may be arrays).
		const posted = await answer(freeText, {
			method: 'POST',
			query,
			userAgent: BROWSER,
			body: { data: { 'field-0': ['Tuesday morning '] }, files: {} },
		});
		expect(posted.result.workflowData![0][0].json).toMatchObject({
			messageId: '<m1@example.com>',
			data: { text: 'Tuesday morning ' },
		});
		// A URL-encoded post (a page an older version served) lands at the top of the body.
		const encoded = await answer(freeText, {
			method: 'POST',
			query,
			userAgent: BROWSER,
			body: { 'field-0': 'Wednesday' },
		});
		expect(encoded.result.workflowData![0][0].json.data).toMatchObject({ text: 'Wednesday' });
	});

	it('answers over 1 MB in all get a clear page and are not stored', async () => {
		const tooLong = await answer(freeText, {
			method: 'POST',
			query,
			userAgent: BROWSER,
			body: { data: { 'field-0': 'x'.repeat(1024 * 1024 + 1) }, files: {} },
		});
		expect(tooLong.result).toEqual({ noWebhookResponse: true });
		expect(tooLong.written.status).toBe(413);
		expect(tooLong.written.body).toContain('Your answer is too long');
		expect(tooLong.written.body!.length).toBeLessThan(5000);

		const justFits = await answer(freeText, {
			method: 'POST',
			query,
			userAgent: BROWSER,
			body: { data: { 'field-0': 'é'.repeat(512 * 1024) }, files: {} },
		});
		expect(justFits.result.workflowData![0][0].json.data).toMatchObject({
			text: expect.stringMatching(/^é+$/),
		});
	});

	const customForm = {
		...approval,
		responseType: 'customForm',
		formFields: {
			values: [
				{ fieldLabel: 'Name', fieldType: 'text', requiredField: true, placeholder: 'Ada' },
				{ fieldLabel: 'Note <b>', fieldType: 'textarea' },
				{ fieldLabel: 'Reply to', fieldType: 'email' },
				{ fieldLabel: 'Boxes', fieldType: 'number', requiredField: true },
				{ fieldLabel: 'Day', fieldType: 'date' },
				{
					fieldLabel: 'Slot',
					fieldType: 'dropdown',
					requiredField: true,
					fieldOptions: { values: [{ option: 'Morning' }, { option: 'Afternoon' }] },
				},
				{ fieldLabel: 'Weight', fieldType: 'number' },
			],
		},
	};
	const multipart = (data: Record<string, string>) => ({ data, files: {} });

	it("Custom Form: every field type on the page, answers under their labels in n8n's shape", async () => {
		const page = await answer(customForm, { query, userAgent: BROWSER });
		const html = page.written.body!;
		expect(html).toContain('<form method="POST" enctype="multipart/form-data"');
		expect(html).toMatch(/<input id="field-0" name="field-0"[^>]* required[^>]* type="text"/);
		expect(html).toMatch(/<textarea id="field-1" name="field-1"/);
		expect(html).toMatch(/<input id="field-2" [^>]*type="email"/);
		expect(html).toMatch(/<input id="field-3" [^>]*required[^>]*type="number" step="any"/);
		expect(html).toMatch(/<input id="field-4" [^>]*type="date"/);
		expect(html).toContain('<option value="Afternoon">Afternoon</option>');
		expect(html).toContain('Note &#60;b&#62;');

		const posted = await answer(customForm, {
			method: 'POST',
			query,
			userAgent: BROWSER,
			body: multipart({
				'field-0': '  Ada Lovelace ',
				'field-1': 'Back door,\r\nsecond floor\r\n',
				'field-2': ' ada@example.com',
				'field-3': '3',
				'field-4': '2026-12-24',
				'field-5': 'Afternoon',
				'field-6': '',
			}),
		});
		expect(posted.result.webhookResponse).toContain('Got it, thanks');
		expect(posted.result.workflowData![0][0].json).toEqual({
			messageId: '<m1@example.com>',
			data: {
				Name: 'Ada Lovelace',
				'Note <b>': 'Back door,\nsecond floor\n',
				'Reply to': 'ada@example.com',
				Boxes: 3,
				Day: '2026-12-24',
				Slot: 'Afternoon',
				Weight: null,
				respondedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			},
		});
	});

	it('Custom Form: a required field left blank gets the form back, marked, with the answers kept', async () => {
		const incomplete = await answer(customForm, {
			method: 'POST',
			query,
			userAgent: BROWSER,
			body: multipart({ 'field-0': '   ', 'field-1': 'Keep <me>', 'field-3': '2', 'field-5': '' }),
		});
		expect(incomplete.result).toEqual({ noWebhookResponse: true });
		expect(incomplete.written.status).toBe(422);
		const html = incomplete.written.body!;
		expect(html).toContain('Please check the 2 marked fields');
		expect(html).toMatch(/<input id="field-0" [^>]*aria-invalid="true"/);
		expect(html).toMatch(/<select id="field-5" [^>]*aria-invalid="true"/);
		expect(html).toContain('<p id="field-0-problem"');
		expect(html).not.toMatch(/id="field-3" [^>]*aria-invalid/);
		expect(html).toMatch(/<textarea id="field-1" [^>]*>Keep &#60;me&#62;<\/textarea>/);
		expect(html).toMatch(/<input id="field-3" [^>]* value="2"/);
	});

	it.each([
		['an email address without @', { 'field-2': 'ada.example.com' }, 'field-2'],
		['a number that is not one', { 'field-3': 'three' }, 'field-3'],
		['a date that is not one', { 'field-4': '24.12.2026' }, 'field-4'],
		['an option the dropdown does not have', { 'field-5': 'Midnight' }, 'field-5'],
	])('Custom Form: %s is marked, not taken', async (_label, change, marked) => {
		const { result, written } = await answer(customForm, {
			method: 'POST',
			query,
			userAgent: BROWSER,
			body: multipart({ 'field-0': 'Ada', 'field-3': '1', 'field-5': 'Morning', ...change }),
		});
		expect(result).toEqual({ noWebhookResponse: true });
		expect(written.body).toMatch(new RegExp(`id="${marked}" [^>]*aria-invalid="true"`));
		expect(written.body).toContain('Please check the marked field');
	});
});

describe('When Gmail Would Clip = Fail', () => {
	const server = useSmtpTestServer({ security: 'tls' });

	it('measures the message with its buttons: a question that only the buttons push past the limit is refused, nothing sent, nobody waited for', async () => {
		// Short ASCII lines go out 7bit: the size as sent stays just under the limit without buttons.
		const line = `${'x'.repeat(68)}\r\n`;
		const filler = `<p>${line.repeat(Math.floor((GMAIL_CLIP_BYTES - 300) / line.length))}</p>`;
		const withoutButtons = await encodedHtmlSize(filler);
		expect(withoutButtons).toBeLessThanOrEqual(GMAIL_CLIP_BYTES);
		expect(withoutButtons).toBeGreaterThan(GMAIL_CLIP_BYTES - 400);
		const { output, wait } = await runNode(
			{ ...approval, html: filler, options: { whenGmailWouldClip: 'fail' } },
			jsonItems({ email: 'boss@example.com', company: 'ACME', discount: 10 }),
			server,
			true,
		);
		expect(output[0].json.error).toMatchObject({ message: 'Gmail would clip this message' });
		expect(server.messages).toHaveLength(0);
		expect(wait.waitTill).toBeUndefined();
	});
});

describe('a form that cannot be built', () => {
	const server = useSmtpTestServer({ security: 'tls' });

	it('two fields with the same label: refused before anything is sent', async () => {
		const run = runNode(
			{
				...approval,
				responseType: 'customForm',
				formFields: {
					values: [
						{ fieldLabel: 'Name', fieldType: 'text' },
						{ fieldLabel: 'Name', fieldType: 'textarea' },
					],
				},
			},
			jsonItems({ email: 'boss@example.com' }),
			server,
		);
		await expect(run).rejects.toMatchObject({
			message: 'Cannot wait for this response',
			description: expect.stringContaining('Two form fields are labelled "Name"'),
		});
		expect(server.connections).toBe(0);
	});

	it('a field labelled respondedAt (the answer time in the output): refused before anything is sent', async () => {
		const run = runNode(
			{
				...approval,
				responseType: 'customForm',
				formFields: { values: [{ fieldLabel: 'respondedAt', fieldType: 'date' }] },
			},
			jsonItems({ email: 'boss@example.com' }),
			server,
		);
		await expect(run).rejects.toMatchObject({
			message: 'Cannot wait for this response',
			description: expect.stringContaining('A form field is labelled "respondedAt"'),
		});
		expect(server.connections).toBe(0);
	});
});
