import { WAIT_INDEFINITELY, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { withAccountSession } from '../../delivery/accountSession';
import type { FailureOutput } from '../../errors/failureOutput';
import type { GmailSmtpCredentials } from '../../transport/gmailSmtpCredentials';
import { messageComposer } from '../shared/messageComposer';
import { sendMessages } from '../shared/sendMessages';
import { storeNotices } from '../shared/storeNotices';
import { responseControlsFor } from './responseLinks';
import { assertCanWait } from './waitRequest';

/**
 * Sends the templated message with the response controls the way Send does (same account, guard
 * and errors), then puts the execution to wait; the answer arrives at {@link webhook}. A message that
 * was not sent never leaves the execution waiting for it.
 */
export async function execute(
	this: IExecuteFunctions,
	credentials: GmailSmtpCredentials,
	failures: FailureOutput,
): Promise<INodeExecutionData[]> {
	const request = assertCanWait(this);
	const controls = responseControlsFor(this, request);
	const composer = await messageComposer(this, credentials, controls.templateValues);
	const settings = { ...composer.settings, onNotice: storeNotices(this) };
	const output = await withAccountSession(credentials, settings, (session) =>
		sendMessages(this, composer, session, failures, controls.addTo),
	);
	// Nobody to wait for: the message failed, or its recipient is on the suppression list.
	if (output.some((item) => item.json.error !== undefined || item.json.status === 'suppressed')) {
		return output;
	}
	await this.putExecutionToWait(request.waitTill ?? WAIT_INDEFINITELY);
	return output;
}
