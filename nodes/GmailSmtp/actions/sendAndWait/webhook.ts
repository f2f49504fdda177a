import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import type { ApprovalOptions, ResponseType } from '../../message/responseControls';
import type { ResponseOptionValues } from './waitRequest';
import { readFormAnswers } from './formAnswers';
import { FREE_TEXT_FIELD, readFormFields, RESPONDED_AT, type FormField } from './formFields';
import { isLinkFetcher } from './linkFetchers';
import {
	answerRecordedHtml,
	answerTooLargeHtml,
	confirmAnswerPageHtml,
	formPageHtml,
	noLongerWaitingHtml,
	type FormPage,
} from './responsePages';
import { isCurrentRound } from './waitRound';

/**
 * The person's answer, at n8n's signed resume URL (n8n refuses a tampered signature and a link of
 * an execution that no longer waits). A link answers only the wait it was sent for. Link fetchers
 * (mail scanners, previews) request every link of a message: they never answer an approval, and a
 * form, or an approval with Confirm on Page, is only taken when its page is submitted.
 */
export async function webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const request = this.getRequestObject();
	const query = request.query as Record<string, string | undefined>;
	if (!isCurrentRound(query, (expression) => this.evaluateExpression(expression, 0))) {
		return sendHtml(this, noLongerWaitingHtml());
	}
	const responseType = this.getNodeParameter('responseType', 'approval') as ResponseType;
	const options = this.getNodeParameter('options', {}) as ResponseOptionValues;
	const answerWith = (data: IDataObject): IWebhookResponseData => ({
		webhookResponse: answerRecordedHtml(),
		workflowData: [
			[
				{
					json: {
						messageId: query.messageId ?? '',
						data: { ...data, [RESPONDED_AT]: new Date().toISOString() },
					},
					pairedItem: Array.from({ length: Math.max(1, Number(query.items) || 1) }, (_, item) => ({
						item,
					})),
				},
			],
		],
	});

	if (responseType === 'approval') {
		if (isLinkFetcher(request.headers['user-agent'])) return sendHtml(this, '');
		const approved = query.approved === 'true';
		if (options.confirmOnPage === true && request.method !== 'POST') {
			const approval = this.getNodeParameter('approvalOptions.values', {}) as ApprovalOptions;
			const label = approved
				? approval.approveLabel || 'Approve'
				: approval.disapproveLabel || 'Decline';
			return sendHtml(this, confirmAnswerPageHtml(query.question ?? '', label));
		}
		return answerWith({ approved });
	}

	const fields: FormField[] =
		responseType === 'freeText'
			? [FREE_TEXT_FIELD]
			: readFormFields(this.getNodeParameter('formFields.values', []));
	const page: FormPage = {
		title: options.responseFormTitle ?? '',
		description: options.responseFormDescription ?? '',
		buttonLabel: options.responseFormButtonLabel ?? 'Submit',
		fields,
	};
	if (request.method !== 'POST') return sendHtml(this, formPageHtml(page));
	const reading = readFormAnswers(fields, this.getBodyData());
	if (reading.kind === 'tooLarge') return sendHtml(this, answerTooLargeHtml(reading.bytes), 413);
	if (reading.kind === 'incomplete') {
		return sendHtml(this, formPageHtml({ ...page, ...reading }), 422);
	}
	const { answers } = reading;
	return answerWith(
		responseType === 'freeText' ? { text: answers[FREE_TEXT_FIELD.fieldLabel] } : answers,
	);
}

/** Answers the request itself; the execution goes on waiting. */
function sendHtml(context: IWebhookFunctions, html: string, status = 200): IWebhookResponseData {
	const response = context.getResponseObject();
	response.setHeader('Content-Type', 'text/html; charset=utf-8');
	response.status(status).end(html);
	return { noWebhookResponse: true };
}
