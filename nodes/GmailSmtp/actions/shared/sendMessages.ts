import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { AccountSession } from '../../delivery/accountSession';
import { processInOrder } from '../../delivery/processInOrder';
import type { FailureOutput } from '../../errors/failureOutput';
import { failureOf, unexpectedFailure } from '../../errors/GmailSmtpError';
import type { ComposedMessage } from '../../message/messageDraft';
import type { MessageComposer } from './messageComposer';
import { RecipientsSuppressed } from './recipientPlan';

/** What Send and Wait adds to each composed message (its response controls) before it is sent. */
export type FinishMessage = (message: ComposedMessage) => ComposedMessage;

/**
 * Composes and sends every message over the account's pooled connections, in order; one output
 * item per message, paired with the items it answers for. Without Continue On Fail the first
 * failure ends the run: no further message is started, and the error names what was already sent.
 */
export async function sendMessages(
	context: IExecuteFunctions,
	composer: MessageComposer,
	session: AccountSession,
	output: FailureOutput,
	finishMessage?: FinishMessage,
): Promise<INodeExecutionData[]> {
	const { units } = composer;
	const continueOnFail = context.continueOnFail();
	const sentItems: SentItem[] = [];
	const outcomes = await processInOrder(units.length, session.concurrency, async (unitIndex) => {
		try {
			// A run the account already stopped composes nothing more.
			session.assertOpen();
			const unit = units[unitIndex];
			const composed = await composer.compose(unit);
			const { suppressed, ...message } = finishMessage
				? await composer.assertSendable(unit, finishMessage(composed))
				: composed;
			const sent = await session.send(message);
			sentItems.push({ itemIndex: unit.itemIndex, messageId: sent.messageId });
			// The login works: from now on up to `concurrency` messages may be in flight.
			return { sent: suppressed ? { ...sent, suppressed } : sent, succeeded: true };
		} catch (error) {
			// Not a failure: the sequence flows on, and nothing was sent or counted.
			if (error instanceof RecipientsSuppressed) return { suppressed: error.suppressed };
			return { failure: failureOf(error, unexpectedFailure), stop: !continueOnFail };
		}
	});
	return outcomes.map((outcome, unitIndex): INodeExecutionData => {
		const { itemIndex, pairedItem } = units[unitIndex];
		if ('sent' in outcome) return { json: outcome.sent as unknown as IDataObject, pairedItem };
		if ('suppressed' in outcome) {
			return { json: { status: 'suppressed', suppressed: outcome.suppressed }, pairedItem };
		}
		if (continueOnFail) return { json: output.errorItem(outcome.failure), pairedItem };
		throw output.stop(outcome.failure, itemIndex, sentSummary(sentItems));
	});
}

interface SentItem {
	itemIndex: number;
	messageId: string;
}

/** Which items went out before the run stopped, so a re-run can skip exactly those. */
function sentSummary(sent: SentItem[]): string {
	if (sent.length === 0) return 'No message of this run was sent.';
	const list = [...sent]
		.sort((a, b) => a.itemIndex - b.itemIndex)
		.map(({ itemIndex, messageId }) => `item ${itemIndex}: ${messageId}`)
		.join(', ');
	return `${sent.length} other item(s) of this run were sent; skip them when re-running (${list}).`;
}
