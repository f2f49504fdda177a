import { isbot } from 'isbot';
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import type { ResponseType } from '../../message/responseControls';
import type { ResponseOptionValues } from './sendAndWait.operation';
import {
	answerRecordedHtml,
	formPageHtml,
	FREE_TEXT_FIELD,
	readFormAnswers,
	readFormFields,
	type FormPage,
} from './responseForm';

/**
 * The person's answer, at n8n's signed resume URL (n8n refuses a tampered signature and a link of
 * an execution that no longer waits). Mail scanners and link previews fetch every link of a
 * message: their requests never count as an answer, and a form is only taken when it is posted.
 */
export async function webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const request = this.getRequestObject();
	const query = request.query as Record<string, string | undefined>;
	const responseType = this.getNodeParameter('responseType', 'approval') as ResponseType;
	const answerFrom = (data: IDataObject): IWebhookResponseData => ({
		webhookResponse: answerRecordedHtml(),
		workflowData: [
			[
				{
					json: {
						messageId: query.messageId ?? '',
						data: { ...data, respondedAt: new Date().toISOString() },
					},
					pairedItem: Array.from({ length: Math.max(1, Number(query.items) || 1) }, (_, item) => ({
						item,
					})),
				},
			],
		],
	});
	const userAgent = request.headers['user-agent'];

	if (responseType === 'approval') {
		if (isbot(userAgent) || isLinkPreview(userAgent)) return sendHtml(this, '');
		return answerFrom({ approved: query.approved === 'true' });
	}

	const options = this.getNodeParameter('options', {}) as ResponseOptionValues;
	const page: FormPage = {
		title: options.responseFormTitle ?? '',
		description: options.responseFormDescription ?? '',
		buttonLabel: options.responseFormButtonLabel ?? 'Submit',
		fields:
			responseType === 'freeText'
				? [FREE_TEXT_FIELD]
				: readFormFields(this.getNodeParameter('formFields.values', [])),
	};
	if (request.method !== 'POST') return sendHtml(this, formPageHtml(page));
	const { answers, missing } = readFormAnswers(page.fields, this.getBodyData());
	if (missing.length > 0) return sendHtml(this, formPageHtml({ ...page, missing }));
	return answerFrom(
		responseType === 'freeText' ? { text: answers[FREE_TEXT_FIELD.fieldLabel] } : answers,
	);
}

/** Answers the request itself; the execution goes on waiting. */
function sendHtml(context: IWebhookFunctions, html: string): IWebhookResponseData {
	const response = context.getResponseObject();
	response.setHeader('Content-Type', 'text/html; charset=utf-8');
	response.status(200).end(html);
	return { noWebhookResponse: true };
}

/**
 * Microsoft's preview service (Teams, Skype) fetches links with no user agent or one naming
 * itself, as n8n's built-in node knows; Defender's Safe Links poses as a browser but says so.
 */
function isLinkPreview(userAgent: string | undefined): boolean {
	if (!userAgent) return true;
	const agent = userAgent.toLowerCase();
	return ['teams', 'skype', 'preview', 'safelinks'].some((name) => agent.includes(name));
}
