import type { IExecuteFunctions } from 'n8n-workflow';

import { configError, inputError } from '../../errors/GmailSmtpError';
import type { ApprovalOptions, ResponseType } from '../../message/responseControls';
import { readFormFields } from './formFields';
import { waitTillFor, type LimitWaitTime } from './waitTill';

/** Send and Wait's entries of the Options collection (names as n8n's built-in Send Email node). */
export interface ResponseOptionValues {
	limitWaitTime?: { values?: LimitWaitTime };
	messageButtonLabel?: string;
	responseFormTitle?: string;
	responseFormDescription?: string;
	responseFormButtonLabel?: string;
	confirmOnPage?: boolean;
}

/** What the person is asked, and how long the execution waits for the answer. */
export interface WaitRequest {
	responseType: ResponseType;
	approval: ApprovalOptions;
	options: ResponseOptionValues;
	/** When the wait ends without an answer; `undefined` waits for as long as it takes. */
	waitTill?: Date;
}

/**
 * Reads what the execution will wait for, and refuses now, before the mail with its links goes
 * out, whatever would leave a sent question that no wait can take the answer to: an n8n without
 * signed resume links, several questions in one execution, a form that cannot be built, a wait
 * limit that is no time.
 */
export function assertCanWait(context: IExecuteFunctions): WaitRequest {
	if (typeof context.getSignedResumeUrl !== 'function') {
		throw configError(
			'This n8n version cannot wait for a response',
			'Send and Wait needs signed resume links (this.getSignedResumeUrl), which this n8n does not offer. Update n8n, or use Send and a Wait node.',
		);
	}
	const items = context.getInputData();
	const sendMode = context.getNodeParameter('sendMode', 0, 'perItem') as string;
	if (sendMode === 'perItem' && items.length > 1) {
		throw inputError(
			'One question per execution',
			`${items.length} items arrived, and an n8n execution waits for one answer at a time. Put a Loop Over Items node (batch size 1) in front to ask about each item in turn, or set Send Mode to "One Message for All Items" to ask once about all of them.`,
		);
	}
	const responseType = context.getNodeParameter('responseType', 0, 'approval') as ResponseType;
	const approval = context.getNodeParameter('approvalOptions.values', 0, {}) as ApprovalOptions;
	const options = context.getNodeParameter('options', 0, {}) as ResponseOptionValues;
	try {
		if (responseType === 'customForm') {
			readFormFields(context.getNodeParameter('formFields.values', 0, []));
		}
		const waitTill = waitTillFor(options.limitWaitTime?.values, Date.now());
		return { responseType, approval, options, waitTill };
	} catch (error) {
		throw inputError('Cannot wait for this response', (error as Error).message);
	}
}
