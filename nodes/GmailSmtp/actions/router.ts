import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { failureOutput, shapedStop, type FailureOutput } from '../errors/failureOutput';
import { failureOf, inputError, unexpectedFailure } from '../errors/GmailSmtpError';
import {
	readGmailSmtpCredentials,
	type GmailSmtpCredentials,
} from '../transport/gmailSmtpCredentials';
import * as checkReplies from './checkReplies/checkReplies.operation';
import * as preview from './preview/preview.operation';
import * as send from './send/send.operation';
import * as sendAndWait from './sendAndWait/sendAndWait.operation';
import * as suppressions from './suppressions/suppressions.operation';

/**
 * An operation answers for each item itself through `failures` (an error item under Continue On
 * Fail, or a stop naming the item and what was already sent); anything else it throws leaves
 * through the router.
 */
type Operation = (
	this: IExecuteFunctions,
	credentials: GmailSmtpCredentials,
	failures: FailureOutput,
) => Promise<INodeExecutionData[]>;

const suppression = (operation: suppressions.SuppressionOperation): Operation =>
	async function (credentials, failures) {
		return await suppressions.execute.call(this, credentials, failures, operation);
	};

const operations: Record<string, Operation> = {
	send: send.execute,
	preview: preview.execute,
	sendAndWait: sendAndWait.execute,
	checkReplies: checkReplies.execute,
	addSuppression: suppression('addSuppression'),
	removeSuppression: suppression('removeSuppression'),
	checkSuppression: suppression('checkSuppression'),
};

/**
 * The node's one exit for errors. It builds the run's failure output, which the operation answers
 * its items with; whatever an operation throws before or beside those answers — the credential,
 * the account's session and limit store, a template that does not compile, a check before sending,
 * a bug — is caught here and leaves through the same output: redacted, a NodeOperationError with
 * the fix in its description, or under Continue On Fail one error item per input item (nothing of
 * this run was sent then).
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	let failures = failureOutput(this.getNode(), {});
	try {
		const operation = this.getNodeParameter('operation', 0) as string;
		const execute = operations[operation];
		if (!execute) {
			throw inputError(
				`The operation "${operation}" is not supported`,
				`Choose one of the node's operations (${Object.keys(operations).join(', ')}); the workflow may have been saved by a newer version of this node.`,
			);
		}
		const rawCredentials = await this.getCredentials('gmailSmtpApi');
		// Its secrets as stored: redaction covers the forms the credential is read into.
		failures = failureOutput(this.getNode(), rawCredentials);
		return [await execute.call(this, readGmailSmtpCredentials(rawCredentials), failures)];
	} catch (error) {
		const shaped = shapedStop(error);
		// Already shaped by the failure output (with what the run sent): it leaves as it is.
		if (shaped && !this.continueOnFail()) throw shaped.stop;
		const failure = shaped?.failure ?? failureOf(error, unexpectedFailure);
		if (!this.continueOnFail()) throw failures.stop(failure, 0);
		return [
			this.getInputData().map((_item, itemIndex) => ({
				json: failures.errorItem(failure),
				pairedItem: { item: itemIndex },
			})),
		];
	}
}
