import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { failureOutput } from '../errors/failureOutput';
import { failureOf, unexpectedFailure } from '../errors/GmailSmtpError';
import { readGmailSmtpCredentials } from '../transport/gmailSmtpCredentials';
import * as checkReplies from './checkReplies/checkReplies.operation';
import * as preview from './preview/preview.operation';
import * as send from './send/send.operation';
import * as sendAndWait from './sendAndWait/sendAndWait.operation';
import * as suppressions from './suppressions/suppressions.operation';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as string;
	const rawCredentials = await this.getCredentials('gmailSmtpApi');
	let credentials;
	try {
		credentials = readGmailSmtpCredentials(rawCredentials);
	} catch (error) {
		const failure = failureOf(error, unexpectedFailure);
		throw failureOutput(this.getNode(), rawCredentials).stop(failure, 0);
	}

	switch (operation) {
		case 'send':
			return [await send.execute.call(this, credentials)];
		case 'preview':
			return [await preview.execute.call(this, credentials)];
		case 'sendAndWait':
			return [await sendAndWait.execute.call(this, credentials)];
		case 'checkReplies':
			return [await checkReplies.execute.call(this, credentials)];
		case 'addSuppression':
		case 'removeSuppression':
		case 'checkSuppression':
			return [await suppressions.execute.call(this, credentials, operation)];
		default:
			throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	}
}
