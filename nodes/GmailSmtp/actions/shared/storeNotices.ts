import type { IExecuteFunctions } from 'n8n-workflow';

/** Notices already written to n8n's log by this process: each is logged once, not per run. */
const logged = new Set<string>();

/**
 * Where a notice about the account's limit store goes: a warning in the node's output pane on
 * every run it concerns (older n8n versions without execution hints skip it), and n8n's log once.
 */
export function storeNotices(context: IExecuteFunctions): (message: string) => void {
	return (message) => {
		context.addExecutionHints?.({ message, type: 'warning', location: 'outputPane' });
		if (logged.has(message)) return;
		logged.add(message);
		context.logger?.warn(`Gmail SMTP: ${message}`);
	};
}
