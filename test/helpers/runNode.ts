import type { INodeExecutionData } from 'n8n-workflow';

import { GmailSmtp } from '../../nodes/GmailSmtp/GmailSmtp.node';
import {
	fakeExecuteContext,
	type FakeExecuteContextOptions,
} from '../../testkit/fakeExecuteContext';

/** Runs the node's `execute` the way n8n does and returns its single output. */
export async function runGmailSmtpNode(
	options: FakeExecuteContextOptions,
): Promise<INodeExecutionData[]> {
	const { context } = fakeExecuteContext(options);
	const [output] = await new GmailSmtp().execute.call(context);
	return output;
}
