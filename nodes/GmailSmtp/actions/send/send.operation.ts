import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { DailyReservation } from '../../delivery/account/accountGuard';
import { accountGuardFor } from '../../delivery/account/accountGuards';
import { deliverMessage } from '../../delivery/deliverMessage';
import { processInOrder } from '../../delivery/processInOrder';
import { RETRY_DEFAULTS, type RetrySettings } from '../../delivery/retryPolicy';
import { classifySmtpError, type ConnectionContext } from '../../errors/classifySmtpError';
import { GmailSmtpError, type Failure } from '../../errors/GmailSmtpError';
import {
	credentialSecrets,
	errorItemJson,
	nodeOperationError,
	publicFailure,
} from '../../errors/nodeErrors';
import { attachFiles } from '../../message/attachments';
import { buildMessage } from '../../message/buildMessage';
import type { MessageDraft } from '../../message/messageDraft';
import { applyMessageOptions, type MessageOptionValues } from '../../message/messageOptions';
import { assertWithinGmailSizeLimit } from '../../message/messageSize';
import { withPlainTextAlternative } from '../../message/plainTextAlternative';
import type { MessageTemplates, RenderedTemplates } from '../../templating/templateRenderer';
import type { GmailSmtpCredentials } from '../../transport/gmailSmtpCredentials';
import { leaseTransport } from '../../transport/sharedTransports';
import {
	POOL_DEFAULTS,
	type OutgoingMessage,
	type PoolSettings,
} from '../../transport/smtpTransport';
import { readMessageFiles, type FileOptionValues } from './binaryFiles';
import { itemParameterReader, type ItemParameterReader } from './itemParameters';
import { messageUnits } from './messageUnits';
import { prepareTemplates, type TemplateOptions } from './templateSetup';

export interface SendOptions extends TemplateOptions, MessageOptionValues, FileOptionValues {
	ccEmail?: string;
	bccEmail?: string;
	replyTo?: string;
	fromName?: string;
	fromEmail?: string;
	maxAttempts?: number;
	maxRetryWaitSeconds?: number;
	maxConnections?: number;
	maxPerSecond?: number;
	connectTimeoutSeconds?: number;
	subjectText?: string;
}

/** What another operation (Send and Wait) adds to each message it sends through Send. */
export interface SendExtensions {
	/** Values the templates can use besides the item's own. */
	templateValues?: Record<string, unknown>;
	/** The composed message, with its Message-ID, before it is counted and sent. */
	finishMessage?: (message: ComposedMessage) => ComposedMessage;
}

export type ComposedMessage = MessageDraft & Pick<OutgoingMessage, 'messageId'>;

/**
 * One message per input item (or one for all items) over the account's pooled connections; one
 * output item per message, paired with the items it answers for.
 */
export async function execute(
	this: IExecuteFunctions,
	credentials: GmailSmtpCredentials,
	extensions: SendExtensions = {},
): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const secrets = credentialSecrets(credentials);
	const connection: ConnectionContext = credentials;
	const parameters = itemParameterReader(this);
	const settings = parameters.once<SendOptions>('options', {});

	const { templates, renderer } = prepareTemplates(this, parameters, connection);

	const guard = accountGuardFor(credentials);
	const pool = poolSettings(settings, credentials);
	const retry = retrySettings(settings);
	// Node options may only lower the account's budget, and only for this node's messages.
	const concurrency = lowerOnly(settings.maxConnections, credentials.maxConnections);
	const lease = leaseTransport(credentials, pool, () => guard.connectionPermits());
	const gate = guard.attemptGate(
		lease.gate,
		ownRateCap(settings.maxPerSecond, credentials.maxPerSecond),
	);
	// Set when a failure means every later message would fail too (bad login, unreachable host,
	// daily limit): the remaining items fail at once instead of hammering Gmail.
	let accountFailure: Failure | undefined;

	const continueOnFail = this.continueOnFail();
	const sentItems: Array<{ itemIndex: number; messageId: string }> = [];
	const units = messageUnits(this, items);
	try {
		const outcomes = await processInOrder(units.length, concurrency, async (unitIndex) => {
			const { itemIndex, templateContext } = units[unitIndex];
			let reservation: DailyReservation | undefined;
			try {
				if (accountFailure) throw new GmailSmtpError(accountFailure);
				const context = withValues(templateContext(), extensions.templateValues);
				const rendered = withPlainTextAlternative(
					renderer.render(templatesForItem(templates, parameters, itemIndex), context),
				);
				const composed = await composeMessage(this, parameters, itemIndex, rendered, credentials);
				const message = extensions.finishMessage
					? assertWithinGmailSizeLimit(extensions.finishMessage(composed))
					: composed;
				reservation = await guard.reserve({
					id: message.messageId,
					recipients: message.to.length + message.cc.length + message.bcc.length,
				});
				const sent = await deliverMessage(message, {
					transport: lease.transport,
					connection,
					retry,
					gate,
				});
				sentItems.push({ itemIndex, messageId: sent.messageId });
				return { sent, succeeded: true };
			} catch (error) {
				const failure = publicFailure(classifySmtpError(error, connection), secrets);
				// A message that may have been accepted still counts against the daily limit.
				if (reservation && failure.kind !== 'uncertain') {
					await reservation.release().catch(() => undefined);
				}
				if (failure.stopsAccount) accountFailure ??= failure;
				// Without Continue On Fail the run ends here: no further item is started.
				return { failure, stop: !continueOnFail };
			}
		});
		return outcomes.map((outcome, unitIndex): INodeExecutionData => {
			const { itemIndex, pairedItem } = units[unitIndex];
			if ('sent' in outcome) return { json: outcome.sent as unknown as IDataObject, pairedItem };
			if (continueOnFail) return { json: errorItemJson(outcome.failure), pairedItem };
			throw nodeOperationError(this.getNode(), outcome.failure, itemIndex, sentSummary(sentItems));
		});
	} finally {
		lease.release();
	}
}

function withValues(context: unknown, values: Record<string, unknown> | undefined): unknown {
	if (!values || typeof context !== 'object' || context === null || Array.isArray(context)) {
		return context;
	}
	return { ...context, ...values };
}

/** A node option (saved by any version) narrows the account's value, never widens it. */
function lowerOnly(option: number | undefined, account: number): number {
	return option !== undefined && option >= 1 ? Math.min(Math.floor(option), account) : account;
}

/** A node's own rate cap, when it is below the account's (0 = no cap of its own). */
function ownRateCap(option: number | undefined, account: number): number {
	if (option === undefined || !(option > 0)) return 0;
	return account > 0 && option >= account ? 0 : option;
}

function poolSettings(options: SendOptions, credentials: GmailSmtpCredentials): PoolSettings {
	return {
		...POOL_DEFAULTS,
		maxConnections: credentials.maxConnections,
		connectTimeoutMs:
			options.connectTimeoutSeconds !== undefined
				? Math.max(1, options.connectTimeoutSeconds) * 1000
				: POOL_DEFAULTS.connectTimeoutMs,
	};
}

function retrySettings(options: SendOptions): RetrySettings {
	return {
		...RETRY_DEFAULTS,
		maxAttempts: Math.max(1, Math.floor(options.maxAttempts ?? RETRY_DEFAULTS.maxAttempts)),
		maxTotalDelayMs:
			options.maxRetryWaitSeconds !== undefined
				? Math.max(0, options.maxRetryWaitSeconds) * 1000
				: RETRY_DEFAULTS.maxTotalDelayMs,
	};
}

/**
 * The templates to render for one item: an item with Subject Text takes it as written, so the
 * Subject template is not rendered (its values may be missing, e.g. when an AI Agent writes).
 */
export function templatesForItem(
	templates: MessageTemplates,
	parameters: ItemParameterReader,
	itemIndex: number,
): MessageTemplates {
	const { subjectText } = parameters.forItem<SendOptions>('options', itemIndex, {});
	return subjectText !== undefined && String(subjectText).trim()
		? { ...templates, subject: '' }
		: templates;
}

/** Reads the item's options (these may be n8n expressions) and binary files into a message. */
export async function composeMessage(
	context: IExecuteFunctions,
	parameters: ItemParameterReader,
	itemIndex: number,
	rendered: RenderedTemplates,
	credentials: GmailSmtpCredentials,
): Promise<ComposedMessage> {
	const options = parameters.forItem<SendOptions>('options', itemIndex, {});
	// Text as given (typically an AI Agent's, via $fromAI), never compiled as a template.
	const subjectText = options.subjectText === undefined ? '' : String(options.subjectText);
	const draft = buildMessage(
		subjectText.trim() ? { ...rendered, subject: subjectText } : rendered,
		{
			to: parameters.forItem('toEmail', itemIndex, ''),
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

/** Which items went out before the run stopped, so a re-run can skip exactly those. */
function sentSummary(sent: Array<{ itemIndex: number; messageId: string }>): string {
	if (sent.length === 0) return 'No message of this run was sent.';
	const list = [...sent]
		.sort((a, b) => a.itemIndex - b.itemIndex)
		.map(({ itemIndex, messageId }) => `item ${itemIndex}: ${messageId}`)
		.join(', ');
	return `${sent.length} other item(s) of this run were sent; skip them when re-running (${list}).`;
}
