import { randomBytes } from 'node:crypto';

import type { IExecuteFunctions } from 'n8n-workflow';

import {
	BUTTONS_PLACEHOLDER,
	controlPlaceholders,
	LINKS_PLACEHOLDER,
	placeResponseControls,
	responseButtons,
} from '../../message/responseControls';
import type { ComposedMessage } from '../../message/messageDraft';
import type { WaitRequest } from './waitRequest';
import { ROUND_PARAMETER, waitRound } from './waitRound';

/** The response controls of one execution's message: buttons in the HTML, links in the text. */
export interface ResponseControls {
	/**
	 * What `{{{approvalButtons}}}` and `{{approvalLinks}}` render: stand-ins, since the links are
	 * only known once the message has its Message-ID.
	 */
	templateValues: Record<string, string>;
	/** The message with its buttons and links, signed for its Message-ID, in place. */
	addTo(message: ComposedMessage): ComposedMessage;
}

/**
 * The controls for the request, with n8n's signed resume links: each carries the Message-ID, the
 * item count and the round of the wait (see waitRound.ts), signed by n8n so that they come back
 * with the answer untouched; with Confirm on Page also the question.
 */
export function responseControlsFor(
	context: IExecuteFunctions,
	{ responseType, approval, options }: WaitRequest,
): ResponseControls {
	// n8n 1.x checks the links' signature only when the node asks for it (2.x always checks).
	const requireSignature = (context as { setSignatureValidationRequired?: () => void })
		.setSignatureValidationRequired;
	requireSignature?.call(context);

	// Which wait these links answer: a link of another round is refused.
	const round = waitRound((expression) => context.evaluateExpression(expression, 0));
	const items = String(context.getInputData().length);
	const placeholders = controlPlaceholders(randomBytes(6).toString('hex'));
	// Confirm on Page shows the question again: the subject, signed with the link (the webhook can
	// not render the templates again; the item data and options it would need are the execution's).
	const confirmsOnPage = responseType === 'approval' && options.confirmOnPage === true;
	return {
		templateValues: {
			[BUTTONS_PLACEHOLDER]: placeholders.html,
			[LINKS_PLACEHOLDER]: placeholders.text,
		},
		addTo(message) {
			const question: Record<string, string> = confirmsOnPage
				? { question: questionOf(message.subject) }
				: {};
			const buttons = responseButtons(
				responseType,
				approval,
				options.messageButtonLabel ?? '',
				(query) =>
					context.getSignedResumeUrl({
						...query,
						messageId: message.messageId,
						items,
						[ROUND_PARAMETER]: round,
						...question,
					}),
			);
			return placeResponseControls(message, placeholders, buttons);
		},
	};
}

/** Long enough for a subject line that reads as a question, short enough for a link. */
const QUESTION_LENGTH = 200;

function questionOf(subject: string): string {
	const question = Array.from(subject.replace(/\s+/g, ' ').trim());
	return question.length > QUESTION_LENGTH
		? `${question.slice(0, QUESTION_LENGTH - 1).join('')}…`
		: question.join('');
}
