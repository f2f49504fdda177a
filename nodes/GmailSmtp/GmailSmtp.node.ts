import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { gmailSmtpConnectionTest } from './actions/credentialTest';
import { router } from './actions/router';
import { sendProperties } from './actions/send/send.description';

export class GmailSmtp implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Gmail SMTP',
		name: 'gmailSmtp',
		icon: { light: 'file:gmailSmtp.svg', dark: 'file:gmailSmtp.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] }}',
		description: 'Send personalised Handlebars emails through Gmail with an App Password',
		defaults: { name: 'Gmail SMTP' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'gmailSmtpApi', required: true, testedBy: 'gmailSmtpConnectionTest' }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Preview',
						value: 'preview',
						action: 'Preview an email',
						description:
							'Render the templates and return the messages without connecting or sending anything',
					},
					{
						name: 'Send',
						value: 'send',
						action: 'Send an email',
						description: 'Render the templates for each item and send the email',
					},
				],
				default: 'send',
			},
			...sendProperties,
		],
	};

	methods = {
		credentialTest: { gmailSmtpConnectionTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return router.call(this);
	}
}
