import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { failureOutput } from '../../errors/failureOutput';
import type { GmailSmtpCredentials } from '../../transport/gmailSmtpCredentials';
import { messageComposer } from '../shared/messageComposer';
import { sendMessages } from '../shared/sendMessages';

/**
 * One message per input item (or one for all items) over the account's pooled connections; one
 * output item per message, paired with the items it answers for.
 */
export async function execute(
	this: IExecuteFunctions,
	credentials: GmailSmtpCredentials,
): Promise<INodeExecutionData[]> {
	const output = failureOutput(this.getNode(), credentials);
	return await sendMessages(this, credentials, messageComposer(this, credentials, output), output);
}
