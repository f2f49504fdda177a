import { NodeOperationError, WAIT_INDEFINITELY, type INodeExecutionData } from 'n8n-workflow';

import { GmailSmtp } from '../../nodes/GmailSmtp/GmailSmtp.node';
import { fakeExecuteContext, fakeResumeUrl, jsonItems } from '../helpers/fakeExecuteContext';
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
		expect(links).toEqual([
			{
				approved: 'true',
				messageId: message.parsed.messageId,
				items: '1',
				signature: 'test-signature',
			},
			{
				approved: 'false',
				messageId: message.parsed.messageId,
				items: '1',
				signature: 'test-signature',
			},
		]);
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
		['a request without user agent', undefined],
	])('%s never counts as the answer', async (_label, userAgent) => {
		const { result, written } = await answer(approval, { query, userAgent });

		expect(result).toEqual({ noWebhookResponse: true });
		expect(written).toMatchObject({ status: 200, body: '' });
	});

	const freeText = {
		...approval,
		responseType: 'freeText',
		options: { responseFormTitle: 'Delivery slot?' },
	};

	it('Free Text: the link opens a form; posting it resumes with the text', async () => {
		const page = await answer(freeText, { query, userAgent: BROWSER });
		expect(page.result).toEqual({ noWebhookResponse: true });
		expect(page.written.headers['content-type']).toBe('text/html; charset=utf-8');
		expect(page.written.body).toContain('<form method="POST"');
		expect(page.written.body).toContain('Delivery slot?');
		expect(page.written.body).not.toMatch(/<script/i);

		const posted = await answer(freeText, {
			method: 'POST',
			query,
			userAgent: BROWSER,
			body: { 'field-0': 'Tuesday morning' },
		});
		expect(posted.result.workflowData![0][0].json).toMatchObject({
			messageId: '<m1@example.com>',
			data: { text: 'Tuesday morning' },
		});
	});

	const customForm = {
		...approval,
		responseType: 'customForm',
		formFields: {
			values: [
				{
					fieldLabel: 'Slot',
					fieldType: 'dropdown',
					requiredField: true,
					fieldOptions: { values: [{ option: 'Morning' }, { option: 'Afternoon' }] },
				},
				{ fieldLabel: 'Boxes', fieldType: 'number' },
				{ fieldLabel: 'Note <b>', fieldType: 'textarea' },
			],
		},
	};

	it('Custom Form: answers come back under their labels; a missing required one shows the form again', async () => {
		const page = await answer(customForm, { query, userAgent: BROWSER });
		expect(page.written.body).toContain('<option value="Afternoon">Afternoon</option>');
		expect(page.written.body).toContain('Note &#60;b&#62;');

		const incomplete = await answer(customForm, {
			method: 'POST',
			query,
			userAgent: BROWSER,
			body: { 'field-1': '3' },
		});
		expect(incomplete.result).toEqual({ noWebhookResponse: true });
		expect(incomplete.written.body).toContain('Please fill in: Slot.');

		const forged = await answer(customForm, {
			method: 'POST',
			query,
			userAgent: BROWSER,
			body: { 'field-0': 'Midnight' },
		});
		expect(forged.result).toEqual({ noWebhookResponse: true });

		const posted = await answer(customForm, {
			method: 'POST',
			query,
			userAgent: BROWSER,
			body: { 'field-0': 'Afternoon', 'field-1': '3', 'field-2': 'Back door' },
		});
		expect(posted.result.workflowData![0][0].json.data).toMatchObject({
			Slot: 'Afternoon',
			Boxes: 3,
			'Note <b>': 'Back door',
		});
	});
});
