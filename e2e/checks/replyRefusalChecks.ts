// In real n8n, a search the IMAP server refuses must reach the workflow as an error item, never as
// "no reply": Check Replies and Bounces (On Error: Continue) checks three earlier messages in
// Dovecot, through the fault proxy in front of it, which answers BAD to every search that names
// the second one. Two of the three were answered; the first must come out replied, the second as
// an error item naming its Message-ID and the server's answer, the third as not replied.
import type { ImapFlow } from 'imapflow';

import type { ImapFaultProxy } from '../../testkit/imapFaultProxy';
import { replyTo } from '../../testkit/mailboxMessages';
import { TEST_USER } from '../../testkit/smtpTestServer';
import { check } from '../check';
import { nodeOutput, type Execution } from '../n8n/execution';
import { gmailSmtp, jsonItems, manualTrigger, workflow, type Workflow } from '../workflow';

export const REFUSAL = {
	workflowId: 'gmailSmtpReplyRefusal',
	node: 'Check replies',
	answered: '<refusal-answered-4f1c@acme.example>',
	refused: '<refusal-refused-9b2d@acme.example>',
	silent: '<refusal-silent-c4e6@acme.example>',
	replyId: '<refusal-reply-1@lead.example>',
	refusedReplyId: '<refusal-reply-2@lead.example>',
	serverAnswer: 'Unknown argument',
};

/** Manual trigger → the three Message-IDs → Check Replies and Bounces, On Error: Continue. */
export function replyRefusalWorkflow(credentialId: string): Workflow {
	const sent = [REFUSAL.answered, REFUSAL.refused, REFUSAL.silent];
	return workflow(REFUSAL.workflowId, [
		manualTrigger(),
		jsonItems(
			'Sent earlier',
			sent.map((messageId) => ({ messageId })),
		),
		gmailSmtp(
			REFUSAL.node,
			credentialId,
			{
				operation: 'checkReplies',
				messageId: '={{ $json.messageId }}',
				checkOptions: { searchDays: 0 },
			},
			{ continueOnFail: true },
		),
	]);
}

/** An answer to a message sent earlier from the account, as the lead's Gmail writes it. */
function answerTo(sentId: string, messageId: string, text: string): string {
	const sent = {
		messageId: sentId,
		parsed: { subject: 'Your quote', text: 'Here is the quote.', date: new Date() },
	};
	return replyTo({ sent, from: 'Lead <lead@example.com>', to: TEST_USER, messageId, text });
}

/**
 * Files the two answers, makes the proxy refuse every search that names the second message, runs
 * the workflow and checks its three items. `filer` is a logged-in ImapFlow client.
 */
export async function checkReplyRefusal({
	execute,
	filer,
	proxy,
}: {
	execute: (workflowId: string) => Promise<{ execution: Execution }>;
	filer: ImapFlow;
	proxy: ImapFaultProxy;
}): Promise<{ refusals: number }> {
	await filer.append('INBOX', answerTo(REFUSAL.answered, REFUSAL.replyId, 'Yes, please.'), []);
	await filer.append(
		'INBOX',
		answerTo(REFUSAL.refused, REFUSAL.refusedReplyId, 'Stop writing to me.'),
		[],
	);
	proxy.refuseWithBad(new RegExp(REFUSAL.refused.slice(1, 20)), { text: REFUSAL.serverAnswer });
	let execution: Execution;
	let refusals: number;
	try {
		({ execution } = await execute(REFUSAL.workflowId));
	} finally {
		refusals = proxy.applied.length;
		proxy.reset();
	}
	// The batch was refused, then the second Message-ID alone.
	check(
		refusals >= 2,
		`the proxy refused ${refusals} searches, expected the batch and the ID alone`,
	);
	const items = nodeOutput(execution, REFUSAL.node) ?? [];
	check(items.length === 3, `${REFUSAL.node}: expected 3 items, got ${JSON.stringify(items)}`);
	const [answered, refused, silent] = items;
	check(
		answered.messageId === REFUSAL.answered &&
			answered.replied === true &&
			(answered.replies as Array<{ messageId: string }> | undefined)?.[0]?.messageId ===
				REFUSAL.replyId,
		`${REFUSAL.answered} was answered; the report says: ${JSON.stringify(answered)}`,
	);
	const error = refused.error;
	check(
		error !== undefined &&
			refused.replied === undefined &&
			error.message === 'The IMAP server refused the search' &&
			error.messageId === REFUSAL.refused &&
			String(error.description).includes(REFUSAL.refused) &&
			String(error.description).includes(`BAD ${REFUSAL.serverAnswer}`),
		`the refused search for ${REFUSAL.refused} must be an error item naming it and the server's answer, got: ${JSON.stringify(refused)}`,
	);
	check(
		silent.messageId === REFUSAL.silent && silent.replied === false && silent.bounced === false,
		`${REFUSAL.silent} had no answer; the report says: ${JSON.stringify(silent)}`,
	);
	return { refusals };
}
