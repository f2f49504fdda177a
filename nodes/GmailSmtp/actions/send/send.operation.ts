import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { classifySmtpError, type ConnectionContext } from '../../errors/classifySmtpError';
import type { Failure } from '../../errors/GmailSmtpError';
import { errorItemJson, nodeOperationError, publicFailure } from '../../errors/nodeErrors';
import { buildMessage, type MessageDraft } from '../../message/buildMessage';
import { withPlainTextAlternative } from '../../message/plainTextAlternative';
import type { RenderedTemplates, TemplateRenderer } from '../../templating/templateRenderer';
import type { GmailSmtpCredentials } from '../../transport/gmailSmtpCredentials';
import { createPooledTransport } from '../../transport/smtpTransport';
import { messageUnits } from './messageUnits';
import { createTemplateRenderer, readTemplates } from './templateSetup';

interface SendOptions {
	ccEmail?: string;
	bccEmail?: string;
	replyTo?: string;
	fromName?: string;
	fromEmail?: string;
}

/**
 * One message per input item (or one for all items), through one pooled connection, one output
 * item per message, paired with the items it answers for.
 */
export async function execute(
	this: IExecuteFunctions,
	credentials: GmailSmtpCredentials,
): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const secrets = [credentials.appPassword];
	const connection: ConnectionContext = credentials;

	const templates = readTemplates(this);
	let renderer: TemplateRenderer;
	try {
		renderer = createTemplateRenderer(this);
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
		for (const { itemIndex, pairedItem, templateContext } of messageUnits(this, items)) {
			let failure = accountFailure;
			if (!failure) {
				try {
					const message = composeMessage(
						this,
						itemIndex,
						withPlainTextAlternative(renderer.render(templates, templateContext())),
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

/** Reads the item's recipient and sender options (these may be n8n expressions) into a message. */
export function composeMessage(
	context: IExecuteFunctions,
	itemIndex: number,
	rendered: RenderedTemplates,
	credentials: GmailSmtpCredentials,
): MessageDraft {
	const options = context.getNodeParameter('options', itemIndex, {}) as SendOptions;
	return buildMessage(
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
}

function sentSummary(messageIds: string[]): string {
	if (messageIds.length === 0) return 'No message of this run was sent.';
	return `${messageIds.length} earlier item(s) of this run were sent before this failure (Message-IDs: ${messageIds.join(', ')}); skip them when re-running.`;
}
