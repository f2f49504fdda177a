import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { withAccountSession } from '../../delivery/accountSession';
import type { FailureOutput } from '../../errors/failureOutput';
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
	failures: FailureOutput,
): Promise<INodeExecutionData[]> {
	const composer = await messageComposer(this, credentials);
	const settings = { ...composer.settings, onNotice: storeNotices(this) };
	return await withAccountSession(credentials, settings, (session) =>
		sendMessages(this, composer, session, failures),
	);
}
