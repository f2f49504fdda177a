import { randomBytes } from 'node:crypto';

import { WAIT_INDEFINITELY, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import {
	controlPlaceholders,
	placeResponseControls,
	responseButtons,
	type ApprovalOptions,
	type ResponseType,
} from '../../message/responseControls';
import { withAccountSession } from '../../delivery/accountSession';
import { failureOutput } from '../../errors/failureOutput';
import { configError, inputError } from '../../errors/GmailSmtpError';
import type { GmailSmtpCredentials } from '../../transport/gmailSmtpCredentials';
import { messageComposer, type ComposedMessage } from '../shared/messageComposer';
import { sendMessages } from '../shared/sendMessages';
import { storeNotices } from '../shared/storeNotices';
import { readFormFields } from './formFields';
import { ROUND_PARAMETER, waitRound } from './waitRound';
import { waitTillFor, type LimitWaitTime } from './waitTill';

export interface ResponseOptionValues {
	limitWaitTime?: { values?: LimitWaitTime };
	messageButtonLabel?: string;
	responseFormTitle?: string;
	responseFormDescription?: string;
	responseFormButtonLabel?: string;
	confirmOnPage?: boolean;
}

/**
 * Sends the templated message with the response controls the way Send does (same account, guard
 * and errors), then puts the execution to wait; the answer arrives at {@link webhook}. A message that
 * was not sent never leaves the execution waiting for it.
 */
export async function execute(
	this: IExecuteFunctions,
	credentials: GmailSmtpCredentials,
): Promise<INodeExecutionData[]> {
	const failures = failureOutput(this.getNode(), credentials);
	if (typeof this.getSignedResumeUrl !== 'function') {
		const failure = configError(
			'This n8n version cannot wait for a response',
			'Send and Wait needs signed resume links (this.getSignedResumeUrl), which this n8n does not offer. Update n8n, or use Send and a Wait node.',
		).failure;
		throw failures.stop(failure, 0);
	}
	const items = this.getInputData();
	const sendMode = this.getNodeParameter('sendMode', 0, 'perItem') as string;
	if (sendMode === 'perItem' && items.length > 1) {
		const failure = inputError(
			'One question per execution',
			`${items.length} items arrived, and an n8n execution waits for one answer at a time. Put a Loop Over Items node (batch size 1) in front to ask about each item in turn, or set Send Mode to "One Message for All Items" to ask once about all of them.`,
		).failure;
		throw failures.stop(failure, 0);
	}
	const responseType = this.getNodeParameter('responseType', 0, 'approval') as ResponseType;
	const approval = this.getNodeParameter('approvalOptions.values', 0, {}) as ApprovalOptions;
	const options = this.getNodeParameter('options', 0, {}) as ResponseOptionValues;
	let waitTill: Date | undefined;
	try {
		// A form that cannot be built must fail now, not after the mail with its link went out.
		if (responseType === 'customForm')
			readFormFields(this.getNodeParameter('formFields.values', 0, []));
		waitTill = waitTillFor(options.limitWaitTime?.values, Date.now());
	} catch (error) {
		const failure = inputError('Cannot wait for this response', (error as Error).message).failure;
		throw failures.stop(failure, 0);
	}

	// n8n 1.x checks the links' signature only when the node asks for it (2.x always checks).
	const requireSignature = (this as { setSignatureValidationRequired?: () => void })
		.setSignatureValidationRequired;
	requireSignature?.call(this);

	// Which wait these links answer (see waitRound.ts): a link of another round is refused.
	const round = waitRound((expression) => this.evaluateExpression(expression, 0));
	const placeholders = controlPlaceholders(randomBytes(6).toString('hex'));
	const composer = await messageComposer(this, credentials, failures, {
		approvalButtons: placeholders.html,
		approvalLinks: placeholders.text,
	});
	// Confirm on Page shows the question again: the subject, signed with the link (the webhook can
	// not render the templates again; the item data and options it would need are the execution's).
	const confirmsOnPage = responseType === 'approval' && options.confirmOnPage === true;
	const addControls = (message: ComposedMessage) => {
		const question: Record<string, string> = confirmsOnPage
			? { question: questionOf(message.subject) }
			: {};
		const buttons = responseButtons(
			responseType,
			approval,
			options.messageButtonLabel ?? '',
			// Signed by n8n: the Message-ID, item count and round come back untouched with the answer.
			(query) =>
				this.getSignedResumeUrl({
					...query,
					messageId: message.messageId,
					items: String(items.length),
					[ROUND_PARAMETER]: round,
					...question,
				}),
		);
		return placeResponseControls(message, placeholders, buttons);
	};
	const settings = { ...composer.settings, onNotice: storeNotices(this) };
	const output = await withAccountSession(credentials, settings, (session) =>
		sendMessages(this, composer, session, failures, addControls),
	);
	// Nobody to wait for: the message failed, or its recipient is on the suppression list.
	if (output.some((item) => item.json.error !== undefined || item.json.status === 'suppressed')) {
		return output;
	}
	await this.putExecutionToWait(waitTill ?? WAIT_INDEFINITELY);
	return output;
}

/** Long enough for a subject line that reads as a question, short enough for a link. */
const QUESTION_LENGTH = 200;

function questionOf(subject: string): string {
	const question = Array.from(subject.replace(/\s+/g, ' ').trim());
	return question.length > QUESTION_LENGTH
		? `${question.slice(0, QUESTION_LENGTH - 1).join('')}…`
		: question.join('');
}
