import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { withAccountSession } from '../../delivery/accountSession';
import { failureOutput } from '../../errors/failureOutput';
import type { GmailSmtpCredentials } from '../../transport/gmailSmtpCredentials';
import { messageComposer } from '../shared/messageComposer';
import { sendMessages } from '../shared/sendMessages';
import { storeNotices } from '../shared/storeNotices';

/**
 * One message per input item (or one for all items) over the account's pooled connections; one
 * output item per message, paired with the items it answers for.
 */
export async function execute(
	this: IExecuteFunctions,
	credentials: GmailSmtpCredentials,
): Promise<INodeExecutionData[]> {
	const output = failureOutput(this.getNode(), credentials);
	const composer = await messageComposer(this, credentials, output);
	const settings = { ...composer.settings, onNotice: storeNotices(this) };
	return await withAccountSession(credentials, settings, (session) =>
		sendMessages(this, composer, session, output),
	);
}
