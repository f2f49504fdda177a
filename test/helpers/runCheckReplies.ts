// Check Replies against a test IMAP server on loopback: the account's credentials for it, and the
// operation run over items that carry the Message-ID to check.
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { ACCOUNT } from './mailboxFixtures';
import { runGmailSmtpNode } from './runNode';
import { TEST_APP_PASSWORD, TEST_CA } from './smtpTestServer';

/** The test account on the IMAP server at 127.0.0.1:`imapPort`, trusting the test CA. */
export const imapCredentials = (imapPort: number, overrides: IDataObject = {}): IDataObject => ({
	user: ACCOUNT,
	appPassword: TEST_APP_PASSWORD,
	imapHost: '127.0.0.1',
	imapPort,
	caCertificate: TEST_CA,
	...overrides,
});

export interface CheckRepliesRun {
	checkOptions?: IDataObject;
	continueOnFail?: boolean;
	/** In place of the test account's (e.g. a wrong App Password). */
	credentials?: IDataObject;
}

/** Check Replies for each item's `messageId`, on the IMAP server at `imapPort`. */
export function runCheckReplies(
	imapPort: number,
	items: INodeExecutionData[],
	options: CheckRepliesRun = {},
) {
	return runGmailSmtpNode({
		parameters: {
			operation: 'checkReplies',
			messageId: (_: number, item: INodeExecutionData) => item.json.messageId,
			checkOptions: options.checkOptions ?? {},
		},
		items,
		credentials: imapCredentials(imapPort, options.credentials),
		continueOnFail: options.continueOnFail,
	});
}
