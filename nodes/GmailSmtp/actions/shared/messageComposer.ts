import type { IExecuteFunctions } from 'n8n-workflow';

import type { SessionOptions } from '../../delivery/accountSession';
import { attachFiles } from '../../message/attachments';
import { buildMessage } from '../../message/buildMessage';
import { applyMessageOptions, type HeaderOptionValues } from '../../message/messageOptions';
import type { ComposedMessage } from '../../message/messageDraft';
import { assertGmailWouldNotClip } from '../../message/gmailClipping';
import { assertWithinGmailSizeLimit } from '../../message/messageSize';
import { withPlainTextAlternative } from '../../message/plainTextAlternative';
import { withPreheader } from '../../message/preheader';
import type { RenderedTemplates } from '../../templating/templateRenderer';
import type { GmailSmtpCredentials } from '../../transport/gmailSmtpCredentials';
import { readMessageFiles, type FileOptionValues } from './binaryFiles';
import { itemParameterReader } from './itemParameters';
import { messageUnits, type MessageUnit } from './messageUnits';
import {
	assertUnsubscribeUrlAvailable,
	planRecipients,
	templatesUseUnsubscribeUrl,
	type UnsubscribeOptionValues,
} from './recipientPlan';
import { prepareTemplates, readTemplates, type TemplateOptions } from './templateSetup';

/** The options of Send, Preview and Send and Wait (a collection named `options`). */
export interface MessageOptions
	extends
		TemplateOptions,
		HeaderOptionValues,
		FileOptionValues,
		SessionOptions,
		UnsubscribeOptionValues {
	ccEmail?: string;
	bccEmail?: string;
	replyTo?: string;
	fromName?: string;
	fromEmail?: string;
	subjectText?: string;
}

/** The steps Send, Preview and Send and Wait share: one message per unit, as the node's fields say. */
export interface MessageComposer {
	/** The messages of this execution and the input items each answers for. */
	units: MessageUnit[];
	/** The options as set for the whole execution (the first item's, as n8n reads fixed settings). */
	settings: MessageOptions;
	/**
	 * Renders the unit's templates and builds its message; throws a GmailSmtpError for bad input,
	 * and RecipientsSuppressed when every To address is on the suppression list.
	 */
	compose(unit: MessageUnit): Promise<ComposedMessage>;
	/**
	 * The checks `compose` makes on its message (Gmail's size limit, and its clipping when the
	 * option says fail), for a message changed after composing: Send and Wait's, with its buttons.
	 */
	assertSendable(unit: MessageUnit, message: ComposedMessage): Promise<ComposedMessage>;
}

/**
 * Reads the node's fields and compiles its templates once, before any message is composed: a
 * template error is thrown here and stops the node (through the router) before anything is sent.
 * `templateValues` are offered to the templates besides the item's own data. `checkSuppressions`
 * false (Preview) reads no suppression list.
 */
export async function messageComposer(
	context: IExecuteFunctions,
	credentials: GmailSmtpCredentials,
	templateValues?: Record<string, unknown>,
	{ checkSuppressions = true } = {},
): Promise<MessageComposer> {
	const parameters = itemParameterReader(context);
	const templates = await prepareTemplates(context, parameters);
	const settings = parameters.once<MessageOptions>('options', {});
	const usesUnsubscribeUrl = templatesUseUnsubscribeUrl([
		...Object.values(readTemplates(parameters)),
		...(settings.partials?.partial ?? []).map(({ template }) => template ?? ''),
	]);
	return {
		units: messageUnits(context, context.getInputData()),
		settings,
		async assertSendable({ itemIndex }, message) {
			return await sendable(parameters.forItem<MessageOptions>('options', itemIndex, {}), message);
		},
		async compose({ itemIndex, templateContext }) {
			const options = parameters.forItem<MessageOptions>('options', itemIndex, {});
			// Text as given (typically an AI Agent's, via $fromAI): never compiled as a template, and
			// the Subject template is not rendered (its values may be missing).
			const subjectText = options.subjectText === undefined ? '' : String(options.subjectText);
			const ownSubject = subjectText.trim() !== '';
			assertUnsubscribeUrlAvailable(usesUnsubscribeUrl, options);
			const plan = await planRecipients(
				{
					to: parameters.forItem('toEmail', itemIndex, ''),
					cc: options.ccEmail,
					bcc: options.bccEmail,
				},
				options,
				credentials,
				checkSuppressions,
			);
			const { unsubscribeUrl } = plan;
			const rendered = finishedHtml(
				templates.render(
					withValues(templateContext(), templateValues),
					{ subject: !ownSubject },
					unsubscribeUrl ? { unsubscribeUrl } : undefined,
				),
			);
			const draft = buildMessage(
				ownSubject ? { ...rendered, subject: subjectText } : rendered,
				{ ...plan.recipients, replyTo: options.replyTo },
				{
					accountEmail: credentials.user,
					fromEmail: options.fromEmail,
					fromName: options.fromName || credentials.fromName,
				},
			);
			const withOptions = applyMessageOptions(
				draft,
				unsubscribeUrl ? { ...options, unsubscribeUrl } : options,
			);
			const files = await readMessageFiles(context, itemIndex, options);
			const message: ComposedMessage = attachFiles(withOptions, files);
			// The link names this Message-ID: the message goes out with it.
			if (plan.messageId) message.messageId = plan.messageId;
			if (plan.suppressed) message.suppressed = plan.suppressed;
			return await sendable(options, message);
		},
	};
}

async function sendable(
	options: MessageOptions,
	message: ComposedMessage,
): Promise<ComposedMessage> {
	assertWithinGmailSizeLimit(message);
	if (options.whenGmailWouldClip === 'fail') await assertGmailWouldNotClip(message.html);
	return message;
}

/**
 * The text part is generated from the HTML as the recipient sees it, before the hidden preheader
 * goes in first in the body (inbox lists show it; a text-only reader should not).
 */
function finishedHtml(rendered: RenderedTemplates): RenderedTemplates {
	const withText = withPlainTextAlternative(rendered);
	return { ...withText, html: withPreheader(withText.html, rendered.preheader) };
}

function withValues(context: unknown, values: Record<string, unknown> | undefined): unknown {
	if (!values || typeof context !== 'object' || context === null || Array.isArray(context)) {
		return context;
	}
	return { ...context, ...values };
}
