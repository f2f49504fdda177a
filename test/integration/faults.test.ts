import { PUSHBACK_POLICY } from '../../nodes/GmailSmtp/delivery/account/pushback';
import { jsonItems } from '../../testkit/fakeExecuteContext';
import { customers, sendOrders } from '../helpers/numberedOrders';
import { recordRetryWaits, shortenCoolDown } from '../helpers/retryWaits';
import { runGmailSmtpNode } from '../helpers/runNode';
import {
	credentialsFor,
	startSmtpTestServer,
	type InjectedFault,
	type SmtpTestServer,
} from '../helpers/smtpTestServer';

// What is tested is whether and where a message is retried: the backoff delays are recorded, not
// waited out, and the account's cool-down after "try again later" is short.
const retryWaits = recordRetryWaits();
shortenCoolDown(500);

async function runAgainst(faults: InjectedFault[], items = customers(1), continueOnFail = true) {
	const server = await startSmtpTestServer({ security: 'tls', faults });
	try {
		const output = await runGmailSmtpNode({
			parameters: sendOrders(),
			items,
			credentials: credentialsFor(server),
			continueOnFail,
		});
		expect(output.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		return { output, server };
	} finally {
		await server.close();
	}
}

/** Every message that arrived, by recipient: nothing may arrive twice. */
function deliveriesPerRecipient(server: SmtpTestServer): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const message of server.messages) {
		for (const to of message.envelope.to) counts[to] = (counts[to] ?? 0) + 1;
	}
	return counts;
}

describe('temporary refusals are retried, and the message arrives once', () => {
	it.each<[string, InjectedFault]>([
		[
			'421 at MAIL FROM',
			{
				stage: 'mail',
				times: 1,
				reply: { code: 421, message: '4.7.0 Try again later, closing connection.' },
			},
		],
		[
			'450 at RCPT TO',
			{
				stage: 'rcpt',
				times: 1,
				reply: {
					code: 450,
					message: '4.2.1 The user you are trying to contact is receiving mail too quickly.',
				},
			},
		],
		[
			'452 at RCPT TO (mailbox over quota for now)',
			{
				stage: 'rcpt',
				times: 1,
				reply: {
					code: 452,
					message: '4.2.2 The email account that you tried to reach is over quota.',
				},
			},
		],
		[
			'451 after the message body',
			{
				stage: 'data',
				times: 1,
				reply: { code: 451, message: '4.3.0 Mail server temporarily rejected message.' },
			},
		],
		['a dropped connection before the greeting', { stage: 'connect', times: 1, drop: true }],
		['a dropped connection during AUTH', { stage: 'auth', times: 1, drop: true }],
	])('%s', async (_label, fault) => {
		const { output, server } = await runAgainst([fault]);

		expect(output[0].json.messageId).toBe(server.messages[0].parsed.messageId);
		expect(deliveriesPerRecipient(server)).toEqual({ 'c0@example.com': 1 });
		expect(retryWaits).toHaveLength(1);
	});
});

describe('"454 too many login attempts"', () => {
	it("is not followed by another login until the account's pause is over", async () => {
		const { output, server } = await runAgainst([
			{
				stage: 'auth',
				times: 1,
				reply: { code: 454, message: '4.7.0 Too many login attempts, please try again later.' },
			},
		]);

		expect(output[0].json.messageId).toBe(server.messages[0].parsed.messageId);
		expect(server.authAt).toHaveLength(2);
		expect(server.authAt[1] - server.authAt[0]).toBeGreaterThanOrEqual(
			PUSHBACK_POLICY.coolDownBaseMs - 50,
		);
	});
});

describe('an outcome that cannot be known is reported, never resent', () => {
	it('reports a connection lost after the message body with its Message-ID', async () => {
		const { output, server } = await runAgainst(
			[{ stage: 'data', times: 1, drop: true }],
			customers(2),
		);

		expect(deliveriesPerRecipient(server)).toEqual({ 'c0@example.com': 1, 'c1@example.com': 1 });
		expect(output[0].json.error).toMatchObject({
			kind: 'uncertain',
			message: 'Delivery uncertain',
			messageId: server.messages[0].parsed.messageId,
		});
		expect((output[0].json.error as { description: string }).description).toContain(
			server.messages[0].parsed.messageId,
		);
		expect(output[1].json.messageId).toBe(server.messages[1].parsed.messageId);
	});

	it('does not resend after a drop half-way through the message body', async () => {
		const { output, server } = await runAgainst([{ stage: 'body', times: 1, drop: true }]);

		expect(output[0].json.error).toMatchObject({ kind: 'uncertain' });
		expect(server.reached.mail).toBe(1);
		expect(server.messages).toHaveLength(0);
	});
});

describe('a connection lost before the body started: nothing can have been accepted', () => {
	it.each<[string, InjectedFault]>([
		['at MAIL FROM', { stage: 'mail', times: 1, drop: true }],
		['at RCPT TO', { stage: 'rcpt', times: 1, drop: true }],
	])(
		'a drop %s is retried on a fresh connection, and the message arrives once',
		async (_label, fault) => {
			const { output, server } = await runAgainst([fault]);

			expect(output[0].json.messageId).toBe(server.messages[0].parsed.messageId);
			expect(deliveriesPerRecipient(server)).toEqual({ 'c0@example.com': 1 });
			expect(server.reached.mail).toBe(2);
		},
	);

	it('a server that closes the connection after its 250 never makes the next message uncertain', async () => {
		const { output, server } = await runAgainst([{ stage: 'accepted', drop: true }], customers(60));

		expect(output.filter((item) => item.json.error)).toEqual([]);
		expect(deliveriesPerRecipient(server)).toEqual(
			Object.fromEntries(Array.from({ length: 60 }, (_, n) => [`c${n}@example.com`, 1])),
		);
	});
});

describe('failures that retrying cannot fix', () => {
	it('gives up on a permanent recipient refusal at once and sends the other items', async () => {
		const { output, server } = await runAgainst(
			[
				{
					stage: 'rcpt',
					times: 1,
					reply: { code: 553, message: "5.1.2 We weren't able to find the recipient domain." },
				},
			],
			customers(2),
		);

		expect(output[0].json.error).toMatchObject({ kind: 'recipient', responseCode: 553 });
		expect(server.reached.rcpt).toBe(2);
		expect(deliveriesPerRecipient(server)).toEqual({ 'c1@example.com': 1 });
	});

	it('stops the account at the daily limit: the rest are not attempted and say so', async () => {
		const { output, server } = await runAgainst(
			[
				{
					stage: 'mail',
					reply: { code: 550, message: '5.4.5 Daily user sending limit exceeded.' },
				},
			],
			customers(3),
		);

		expect(server.reached.mail).toBe(1);
		for (const item of output) {
			expect(item.json.error).toMatchObject({
				kind: 'quota',
				message: 'Daily sending limit reached',
			});
		}
	});

	it('gives up after the configured attempts, and says how many', async () => {
		const server = await startSmtpTestServer({
			security: 'tls',
			faults: [{ stage: 'mail', reply: { code: 421, message: '4.7.0 Try again later' } }],
		});
		try {
			const output = await runGmailSmtpNode({
				parameters: sendOrders({ maxAttempts: 2 }),
				items: customers(1),
				credentials: credentialsFor(server),
				continueOnFail: true,
			});

			expect(server.reached.mail).toBe(2);
			expect(output[0].json.error).toMatchObject({
				kind: 'transient',
				attempts: 2,
				responseCode: 421,
			});
		} finally {
			await server.close();
		}
	});
});

describe('a server that never greets', () => {
	it('times out, says what to check, and does not hang the workflow', async () => {
		const { createServer } = await import('node:net');
		const silent = createServer(() => undefined);
		await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
		const port = (silent.address() as { port: number }).port;
		try {
			const output = await runGmailSmtpNode({
				parameters: sendOrders({ connectTimeoutSeconds: 1, maxAttempts: 1 }),
				items: customers(2),
				credentials: { ...credentialsFor({ port, security: 'tls' } as SmtpTestServer) },
				continueOnFail: true,
			});

			expect(output[0].json.error).toMatchObject({
				kind: 'network',
				message: 'Connection timed out',
			});
			expect((output[0].json.error as { description: string }).description).toMatch(/firewalls/);
			// The host is unusable: the second item fails at once with the same reason.
			expect(output[1].json.error).toMatchObject({ kind: 'network' });
		} finally {
			silent.close();
		}
	});
});

describe('a server that offers only TLS 1.1', () => {
	it.each(['tls', 'starttls'] as const)(
		'%s: is reported as a TLS version problem, once',
		async (security) => {
			const server = await startSmtpTestServer({ security, tlsMaxVersion: 'TLSv1.1' });
			try {
				const output = await runGmailSmtpNode({
					parameters: {
						operation: 'send',
						toEmail: 'a@example.com',
						subject: 'Hi',
						text: 'Hi',
						options: {},
					},
					items: jsonItems({}, {}),
					credentials: credentialsFor(server),
					continueOnFail: true,
				});
				for (const item of output) {
					expect(item.json.error).toMatchObject({ kind: 'config', message: 'TLS version too old' });
				}
				expect(server.logins).toHaveLength(0);
				expect(server.tcpConnections).toBe(1);
			} finally {
				await server.close();
			}
		},
	);
});

describe('"452 4.5.3 too many recipients"', () => {
	it('sends the same message to the recipients put off, in further transactions', async () => {
		const server = await startSmtpTestServer({ security: 'tls', maxRecipients: 2 });
		try {
			const output = await runGmailSmtpNode({
				parameters: sendOrders({
					ccEmail: 'cc1@example.com, cc2@example.com',
					bccEmail: 'bcc@example.com',
				}),
				items: customers(1),
				credentials: credentialsFor(server),
			});

			const everyone = ['c0@example.com', 'cc1@example.com', 'cc2@example.com', 'bcc@example.com'];
			expect(deliveriesPerRecipient(server)).toEqual(
				Object.fromEntries(everyone.map((address) => [address, 1])),
			);
			expect(new Set(server.messages.map((message) => message.parsed.messageId))).toEqual(
				new Set([output[0].json.messageId]),
			);
			expect((output[0].json.accepted as string[]).sort()).toEqual([...everyone].sort());
			expect(output[0].json.rejected).toEqual([]);
		} finally {
			await server.close();
		}
	});

	it('fails a single recipient at once with the recipient hint', async () => {
		const { output, server } = await runAgainst([
			{
				stage: 'rcpt',
				reply: { code: 452, message: '4.5.3 Your message has too many recipients.' },
			},
		]);

		expect(output[0].json.error).toMatchObject({
			kind: 'recipient',
			message: 'Recipient not taken',
			description: expect.stringContaining('c0@example.com'),
		});
		expect(server.reached.rcpt).toBe(1);
	});
});
