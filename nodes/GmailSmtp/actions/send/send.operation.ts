import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { classifySmtpError, type ConnectionContext } from '../../errors/classifySmtpError';
import type { Failure } from '../../errors/GmailSmtpError';
import { errorItemJson, nodeOperationError, publicFailure } from '../../errors/nodeErrors';
import { attachFiles } from '../../message/attachments';
import { buildMessage, type MessageDraft } from '../../message/buildMessage';
import { applyMessageOptions, type MessageOptionValues } from '../../message/messageOptions';
import { assertWithinGmailSizeLimit } from '../../message/messageSize';
import {
	TemplateRenderer,
	type MessageTemplates,
	type RenderedTemplates,
} from '../../templating/templateRenderer';
import type { GmailSmtpCredentials } from '../../transport/gmailSmtpCredentials';
import { createPooledTransport } from '../../transport/smtpTransport';
import { readMessageFiles, type FileOptionValues } from './binaryFiles';

interface SendOptions extends MessageOptionValues, FileOptionValues {
	ccEmail?: string;
	bccEmail?: string;
	replyTo?: string;
	fromName?: string;
	fromEmail?: string;
}

/** One message per input item, through one pooled connection, one output item per input item. */
export async function execute(
	this: IExecuteFunctions,
	credentials: GmailSmtpCredentials,
): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const secrets = [credentials.appPassword];
	const connection: ConnectionContext = credentials;

	// Template fields do not take n8n expressions, so they are the same for every item.
	const templates: MessageTemplates = {
		subject: this.getNodeParameter('subject', 0, '') as string,
		html: this.getNodeParameter('html', 0, '') as string,
		text: this.getNodeParameter('text', 0, '') as string,
	};
	const renderer = new TemplateRenderer();
	try {
		renderer.prepare(templates);
	} catch (error) {
		throw nodeOperationError(this.getNode(), classifySmtpError(error, connection), 0);
	}

	const transport = createPooledTransport(credentials);
	const results: INodeExecutionData[] = [];
	const sentMessageIds: string[] = [];
	// Set when a failure means every later message would fail too (bad login, unreachable host):
	// the remaining items fail at once instead of hammering Gmail with more logins.
	let accountFailure: Failure | undefined;

	try {
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const pairedItem = { item: itemIndex };
			let failure = accountFailure;
			if (!failure) {
				try {
					const message = await composeMessage(
						this,
						itemIndex,
						renderer.render(templates, items[itemIndex].json),
						credentials,
					);
					const sent = await transport.send(message);
					sentMessageIds.push(sent.messageId);
					results.push({ json: sent as unknown as IDataObject, pairedItem });
					continue;
				} catch (error) {
					failure = publicFailure(classifySmtpError(error, connection), secrets);
					if (failure.stopsAccount) accountFailure = failure;
				}
			}
			if (this.continueOnFail()) {
				results.push({ json: errorItemJson(failure), pairedItem });
				continue;
			}
			throw nodeOperationError(this.getNode(), failure, itemIndex, sentSummary(sentMessageIds));
		}
	} finally {
		transport.close();
	}
	return results;
}

/** Reads the item's options (these may be n8n expressions) and binary files into a message. */
async function composeMessage(
	context: IExecuteFunctions,
	itemIndex: number,
	rendered: RenderedTemplates,
	credentials: GmailSmtpCredentials,
): Promise<MessageDraft> {
	const options = context.getNodeParameter('options', itemIndex, {}) as SendOptions;
	const draft = buildMessage(
		rendered,
		{
			to: context.getNodeParameter('toEmail', itemIndex),
			cc: options.ccEmail,
			bcc: options.bccEmail,
			replyTo: options.replyTo,
		},
		{
			accountEmail: credentials.user,
			fromEmail: options.fromEmail,
			fromName: options.fromName || credentials.fromName,
		},
	);
	const withOptions = applyMessageOptions(draft, options);
	const withFiles = attachFiles(withOptions, await readMessageFiles(context, itemIndex, options));
	return assertWithinGmailSizeLimit(withFiles);
}

function sentSummary(messageIds: string[]): string {
	if (messageIds.length === 0) return 'No message of this run was sent.';
	return `${messageIds.length} earlier item(s) of this run were sent before this failure (Message-IDs: ${messageIds.join(', ')}); skip them when re-running.`;
}
