import { createHash } from 'node:crypto';

/** The query parameter of a resume link naming the wait it was sent for. */
export const ROUND_PARAMETER = 'round';

/**
 * Which wait of the execution a resume link belongs to, so that a link answers only the round it
 * was sent for.
 *
 * n8n signs a resume link over execution, node and query: the link stays valid for as long as the
 * execution waits at this node, in every round of a loop. In Loop Over Items → Send and Wait, the
 * unused Decline link of item 3 would otherwise answer the question about item 4.
 *
 * The link's query carries the Message-ID, but the webhook cannot read which message the execution
 * waits for now: before it calls the webhook, n8n (1.x and 2.x, `WaitingWebhooks`) drops the
 * waiting run from the run data, and with it our output holding the Message-ID; workflow static
 * data comes from the snapshot taken when the execution started; custom data is the user's (ten
 * keys, shown in the executions list). What n8n does hand the webhook unchanged is the entry it
 * parked on the execution stack when the node went to wait (`IWebhookFunctions` is built on
 * `nodeExecutionStack[0]`): its `source`, the run of the node that fed this one, which expressions
 * read as `$prevNode` (name, output, run index). A node runs once for each run of a parent that
 * sends it data, so within one execution that triple names one run of this node, which sent one
 * message: the same wait, the same Message-ID. `execute` evaluates it when it sends, the link
 * carries a hash of it (signed by n8n with the Message-ID, so neither can be changed), and the
 * webhook evaluates the same expressions for the wait it is called for and compares.
 */
export function waitRound(evaluate: (expression: string) => unknown): string {
	const source = ['name', 'outputIndex', 'runIndex'].map((key) => {
		const value = evaluate(`{{ $prevNode.${key} }}`);
		return value === undefined || value === null ? '' : String(value);
	});
	return createHash('sha256').update(JSON.stringify(source)).digest('base64url').slice(0, 16);
}

/**
 * Whether a link's query belongs to the wait now in progress. A link without a round was sent by
 * an earlier version of this node, before links were bound, and cannot be told apart.
 */
export function isCurrentRound(
	query: Record<string, unknown>,
	evaluate: (expression: string) => unknown,
): boolean {
	const round = query[ROUND_PARAMETER];
	if (round === undefined) return true;
	return round === waitRound(evaluate);
}
