import { customers, sendOrders } from '../helpers/numberedOrders';
import { recordRetryWaits } from '../helpers/retryWaits';
import { runGmailSmtpNode } from '../helpers/runNode';
import {
	credentialsFor,
	startSmtpTestServer,
	type InjectedFault,
	type SessionStage,
} from '../helpers/smtpTestServer';

/**
 * Every reply of Gmail's table (and a dropped connection) at every stage of a session, with one
 * and with three connections: whatever happens, each message arrives exactly once or not at all,
 * an item without a Message-ID was not delivered, and "uncertain" is said only when the body had
 * started. "Try again later" replies (421, 454) have tests of their own, as they pause the account.
 */
const REPLIES: Array<[string, Pick<InjectedFault, 'reply' | 'drop'>]> = [
	['450 4.2.1', { reply: { code: 450, message: '4.2.1 Receiving mail too quickly.' } }],
	['451 4.3.0', { reply: { code: 451, message: '4.3.0 Temporarily rejected.' } }],
	['452 4.2.2', { reply: { code: 452, message: '4.2.2 Over quota.' } }],
	['550 5.4.5', { reply: { code: 550, message: '5.4.5 Daily user sending limit exceeded.' } }],
	['552 5.3.4', { reply: { code: 552, message: '5.3.4 Message too large.' } }],
	['553 5.1.2', { reply: { code: 553, message: '5.1.2 Recipient domain not found.' } }],
	['a dropped connection', { drop: true }],
];
const STAGES: SessionStage[] = ['connect', 'auth', 'mail', 'rcpt', 'body', 'data', 'accepted'];

const cases = STAGES.flatMap((stage) =>
	REPLIES.filter(([, fault]) => fault.drop || (stage !== 'body' && stage !== 'accepted')).flatMap(
		([label, fault]) => [1, 3].map((connections) => [stage, label, connections, fault] as const),
	),
);

describe('every reply at every stage: exactly once or not at all', () => {
	// Backoff delays are recorded, not waited out: what matters here is what arrives.
	const retryWaits = recordRetryWaits();

	it.each(cases)('%s: %s, %d connection(s)', async (stage, _label, connections, fault) => {
		const server = await startSmtpTestServer({
			security: 'tls',
			faults: [{ stage, times: 1, ...fault }],
		});
		try {
			const items = customers(4);
			const output = await runGmailSmtpNode({
				parameters: sendOrders({ maxConnections: connections, maxRetryWaitSeconds: 3 }),
				items,
				credentials: credentialsFor(server),
				continueOnFail: true,
			});

			expect(output.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
			const received = new Map<string, number>();
			for (const message of server.messages) {
				received.set(message.parsed.messageId!, (received.get(message.parsed.messageId!) ?? 0) + 1);
			}
			for (const count of received.values()) expect(count).toBe(1);
			const deliveredTo = server.messages.flatMap((message) => message.envelope.to);
			for (const [index, item] of output.entries()) {
				const error = item.json.error as { kind: string; messageId?: string } | undefined;
				const deliveries = deliveredTo.filter((to) => to === `c${index}@example.com`).length;
				if (!error) {
					expect(received.get(item.json.messageId as string)).toBe(1);
					expect(deliveries).toBe(1);
				} else if (error.kind === 'uncertain') {
					expect(fault.drop && (stage === 'body' || stage === 'data')).toBe(true);
					expect(deliveries).toBeLessThanOrEqual(1);
				} else {
					expect(error.messageId).toBeUndefined();
					expect(deliveries).toBe(0);
				}
			}
			expect(server.messages.length).toBeLessThanOrEqual(4);
			// Each message backs off within Max Retry Wait (3 s), so the four at most four times that.
			expect(retryWaits.reduce((sum, ms) => sum + ms, 0)).toBeLessThanOrEqual(4 * 3000);
		} finally {
			await server.close();
		}
	});
});
