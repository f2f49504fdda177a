import {
	NodeConnectionTypes,
	NodeOperationError,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { credentialTest } from '../GmailSmtp/methods';
import { readGmailSmtpCredentials } from '../GmailSmtp/transport/gmailSmtpCredentials';
import { unsubscribeWebhook } from './unsubscribeWebhook';

export class GmailSmtpTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Gmail SMTP Trigger',
		name: 'gmailSmtpTrigger',
		icon: { light: 'file:gmailSmtp.svg', dark: 'file:gmailSmtp.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["event"] }}',
		description:
			'Honours one-click unsubscribe links of Gmail SMTP messages: records each on the suppression list and starts the workflow',
		documentationUrl: 'https://github.com/n8n-nodes-gmail-smtp/n8n-nodes-gmail-smtp#readme',
		defaults: { name: 'Gmail SMTP Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// The same credential as the node that sends: its Link Secret verifies the links.
		credentials: [{ name: 'gmailSmtpApi', required: true, testedBy: 'gmailSmtpConnectionTest' }],
		webhooks: [
			{ name: 'default', httpMethod: 'GET', responseMode: 'onReceived', path: 'unsubscribe' },
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'unsubscribe' },
		],
		properties: [
			{
				displayName:
					"Activate this workflow, copy the Production URL below into the Gmail SMTP credential's Unsubscribe Endpoint (it must be https://), set a Link Secret there, and turn on Options → Manage Unsubscribes in the Gmail SMTP node that sends",
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				default: 'unsubscribe',
				options: [
					{
						name: 'Unsubscribe',
						value: 'unsubscribe',
						description:
							"A recipient used a message's unsubscribe link: one-click in their mail program, or the button on the link's page. The address is on the suppression list before the workflow starts.",
					},
				],
			},
		],
	};

	methods = { credentialTest };

	/**
	 * Nothing is registered anywhere: n8n itself serves the link. Activation only checks that the
	 * credential can verify links, so that a missing Link Secret is found now, not by a recipient.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const credentials = readGmailSmtpCredentials(await this.getCredentials('gmailSmtpApi'));
				if (!credentials.linkSecret) {
					throw new NodeOperationError(
						this.getNode(),
						'The Gmail SMTP credential has no Link Secret',
						{
							description:
								'Unsubscribe links are signed with the Link Secret of the credential that sends them: set the same credential here, with a Link Secret (at least 16 random characters).',
						},
					);
				}
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return unsubscribeWebhook.call(this);
	}
}
