import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { checkRepliesProperties } from './actions/checkReplies/checkReplies.description';
import { router } from './actions/router';
import { messageProperties } from './actions/shared/message.description';
import {
	responseOptions,
	sendAndWaitProperties,
} from './actions/sendAndWait/sendAndWait.description';
import { suppressionProperties } from './actions/suppressions/suppressions.description';
import { webhook } from './actions/sendAndWait/webhook';
import { credentialTest } from './methods';

export class GmailSmtp implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Gmail SMTP',
		name: 'gmailSmtp',
		icon: { light: 'file:gmailSmtp.svg', dark: 'file:gmailSmtp.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] }}',
		description:
			'Send personalised Handlebars emails through Gmail with an App Password, and check which were answered or bounced',
		documentationUrl: 'https://github.com/n8n-nodes-gmail-smtp/n8n-nodes-gmail-smtp#readme',
		defaults: { name: 'Gmail SMTP' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'gmailSmtpApi', required: true, testedBy: 'gmailSmtpConnectionTest' }],
		// Where Send and Wait's links lead: n8n's signed resume URL of the waiting execution.
		webhooks: ['GET', 'POST'].map((httpMethod) => ({
			name: 'default',
			httpMethod,
			responseMode: 'onReceived',
			// Without it n8n answers the person with the word "firstEntryJson" instead of the page
			// the webhook returns.
			responseData: '',
			path: '={{ $nodeId }}',
			restartWebhook: true,
			isFullPath: true,
		})),
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Add to Suppression List',
						value: 'addSuppression',
						action: 'Add an address to the suppression list',
						description:
							"Put the address of each item on the account's suppression list, so that Send leaves it out (import an unsubscribe list from a CRM or a sheet)",
					},
					{
						name: 'Check Replies and Bounces',
						value: 'checkReplies',
						action: 'Check replies and bounces',
						description:
							'For each item carrying the Message-ID of an earlier email: did someone reply, or did it bounce? Reads the mailbox over IMAP, read-only',
					},
					{
						name: 'Check Suppression List',
						value: 'checkSuppression',
						action: 'Check whether an address is on the suppression list',
						description:
							'For each item: is its address on the suppression list, since when and why',
					},
					{
						name: 'Preview',
						value: 'preview',
						action: 'Preview an email',
						description:
							'Render the templates and return the messages without connecting or sending anything',
					},
					{
						name: 'Remove From Suppression List',
						value: 'removeSuppression',
						action: 'Remove an address from the suppression list',
						description:
							'Take the address of each item off the suppression list (someone who asked to get the emails again)',
					},
					{
						name: 'Send',
						value: 'send',
						action: 'Send an email',
						description: 'Render the templates for each item and send the email',
					},
					{
						name: 'Send and Wait for Response',
						value: 'sendAndWait',
						action: 'Send an email and wait for a response',
						description:
							'Send the templated email with Approve buttons or a link to a form, and go on when the person answers',
					},
				],
				default: 'send',
			},
			...messageProperties(responseOptions),
			...sendAndWaitProperties,
			...checkRepliesProperties,
			...suppressionProperties,
		],
	};

	methods = { credentialTest };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return router.call(this);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return webhook.call(this);
	}
}
