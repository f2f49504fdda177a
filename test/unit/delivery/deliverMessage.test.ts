import type { AttemptGate } from '../../../nodes/GmailSmtp/delivery/account/accountGuard';
import {
	deliverMessage,
	type DeliveryEnvironment,
} from '../../../nodes/GmailSmtp/delivery/deliverMessage';
import { RETRY_DEFAULTS, type RetrySettings } from '../../../nodes/GmailSmtp/delivery/retryPolicy';
import { GmailSmtpError } from '../../../nodes/GmailSmtp/errors/GmailSmtpError';
import {
	SendAttemptError,
	type DeliveryStage,
} from '../../../nodes/GmailSmtp/transport/deliveryProbe';
import type {
	PooledTransport,
	TransportMessage,
	TransportResult,
} from '../../../nodes/GmailSmtp/transport/smtpTransport';

const A = 'a@example.com';
const B = 'b@example.com';
const C = 'c@example.com';
const SENDER = 'me@gmail.com';

const message = (to: string[], more: Partial<TransportMessage> = {}): TransportMessage => ({
	messageId: '<6a1f0000-0000-4000-8000-000000000001@gmail.com>',
	from: { name: 'Shop', address: SENDER },
	to: to.map((address) => ({ name: '', address })),
	subject: 'Hello',
	text: 'Hi',
	...more,
});
const MESSAGE_ID = message([]).messageId;

/** What the transport returns for a message the server took. */
const accepted = (to: string[], more: Partial<TransportResult> = {}): TransportResult => ({
	messageId: MESSAGE_ID,
	accepted: to,
	rejected: [],
	deferred: [],
	response: '250 2.0.0 OK  1700000000 x1-20020a',
	envelope: { from: SENDER, to },
	...more,
});

/** An error with the fields nodemailer's SMTP connection puts on it (see its `_formatError`). */
function smtpError(text: string, code: string, command: string, response?: string) {
	return Object.assign(new Error(response ? `${text}: ${response}` : text), {
		code,
		command,
		...(response ? { response, responseCode: Number(response.slice(0, 3)) } : {}),
	});
}
const failedAt = (reached: DeliveryStage, cause: Error) =>
	new SendAttemptError(cause, reached, MESSAGE_ID);

/** 451 to the end of the body: the server says it did not take the message. */
const serverBusy = () =>
	failedAt(
		'body',
		smtpError('Message failed', 'EMESSAGE', 'DATA', '451 4.3.0 Mail server temporarily rejected'),
	);
/** The connection closed without a reply. */
const dropped = (reached: DeliveryStage) =>
	failedAt(reached, smtpError('Connection closed unexpectedly', 'ECONNECTION', 'CONN'));
const allRecipientsRefused = (response: string) =>
	failedAt(
		'envelope',
		smtpError("Can't send mail - all recipients were rejected", 'EENVELOPE', 'RCPT TO', response),
	);
const tooManyRecipients = () =>
	allRecipientsRefused('452 4.5.3 Your message has too many recipients.');
const mailFromRefused = (response: string) =>
	failedAt('envelope', smtpError('Mail command failed', 'EENVELOPE', 'MAIL FROM', response));

/** The server took the message for A and B and put C off (a 4xx to RCPT TO). */
const acceptedButCPutOff = () =>
	accepted([A, B], { rejected: [C], deferred: [C], envelope: { from: SENDER, to: [A, B, C] } });

type Reply = TransportResult | Error;

interface Setup {
	retry?: Partial<RetrySettings>;
	/** What `random` returns, in turn (then 0): the jitter of each backoff. */
	jitter?: number[];
	/** How long the gate says each attempt waited for the account (then 0). */
	gateWaitedMs?: number[];
	/** Leave the gate out. */
	withoutGate?: boolean;
}

/**
 * deliverMessage with a transport that answers with `replies` in turn, a gate, and `wait`/`random`
 * stand-ins. `events` is what happened, in order: `gate <maxWaitMs>`, `send <envelope>`,
 * `finish <outcome>`, `wait <ms>`.
 */
function setUp(replies: Reply[], setup: Setup = {}) {
	const events: string[] = [];
	const sent: TransportMessage[] = [];
	const transport: PooledTransport = {
		async send(outgoing) {
			sent.push(outgoing);
			const envelope = outgoing.envelope as { to: string[] } | undefined;
			events.push(`send ${envelope ? envelope.to.join(',') : 'all'}`);
			const reply = replies.shift();
			if (!reply) throw new Error(`unexpected send #${sent.length}`);
			if (reply instanceof Error) throw reply;
			return reply;
		},
		close: () => undefined,
	};
	const gateWaitedMs = [...(setup.gateWaitedMs ?? [])];
	const gate: AttemptGate = {
		async begin(maxWaitMs) {
			events.push(`gate ${maxWaitMs}`);
			return {
				waitedMs: gateWaitedMs.shift() ?? 0,
				finish: async (outcome) => {
					events.push(`finish ${outcome}`);
				},
			};
		},
	};
	const jitter = [...(setup.jitter ?? [])];
	const environment: DeliveryEnvironment = {
		transport,
		connection: { host: 'smtp.gmail.com', port: 465, security: 'tls' },
		retry: { ...RETRY_DEFAULTS, ...setup.retry },
		gate: setup.withoutGate ? undefined : gate,
		wait: async (ms) => {
			events.push(`wait ${ms}`);
		},
		random: () => jitter.shift() ?? 0,
	};
	return { environment, events, sent };
}

/**
 * The events of one attempt: the gate asked to wait at most `gateMs`, the message sent to `to`
 * (its own envelope) or to all its recipients, and the outcome the gate heard.
 */
function attempt(
	outcome: string,
	{ gateMs = 60_000, to }: { gateMs?: number; to?: string[] } = {},
) {
	return [`gate ${gateMs}`, `send ${to ? to.join(',') : 'all'}`, `finish ${outcome}`];
}

/** The one-recipient message, delivered. */
const deliverToA = (environment: DeliveryEnvironment) => deliverMessage(message([A]), environment);

async function failureFrom(delivery: Promise<unknown>) {
	const error = await delivery.then(
		() => undefined,
		(thrown: unknown) => thrown,
	);
	expect(error).toBeInstanceOf(GmailSmtpError);
	return (error as GmailSmtpError).failure;
}

describe('deliverMessage', () => {
	it('sends once and returns what the server accepted, without the deferred list', async () => {
		const { environment, events, sent } = setUp([accepted([A, B])]);
		const outgoing = message([A], { cc: B });

		await expect(deliverMessage(outgoing, environment)).resolves.toEqual({
			messageId: MESSAGE_ID,
			accepted: [A, B],
			rejected: [],
			response: '250 2.0.0 OK  1700000000 x1-20020a',
			envelope: { from: SENDER, to: [A, B] },
		});
		expect(sent).toEqual([outgoing]);
		expect(events).toEqual(attempt('accepted'));
	});

	it('sends without a gate', async () => {
		const { environment, events } = setUp([accepted([A])], { withoutGate: true });

		await expect(deliverToA(environment)).resolves.toMatchObject({ accepted: [A] });
		expect(events).toEqual(['send all']);
	});
});

describe('retrying a transient refusal', () => {
	it('retries after a jittered, doubling backoff, and succeeds', async () => {
		const { environment, events } = setUp([serverBusy(), serverBusy(), accepted([A])], {
			jitter: [0, 0.5],
		});

		await expect(deliverToA(environment)).resolves.toMatchObject({ accepted: [A] });
		// 1 s then 2 s steps, jittered over their upper half: 500 + 0 × 500, 1000 + 0.5 × 1000.
		expect(events).toEqual([
			...attempt('failed'),
			'wait 500',
			...attempt('failed', { gateMs: 59_500 }),
			'wait 1500',
			...attempt('accepted', { gateMs: 58_000 }),
		]);
	});

	it('gives up after maxAttempts, saying how many attempts were made', async () => {
		const { environment, events } = setUp([serverBusy(), serverBusy(), serverBusy()], {
			jitter: [0, 0],
		});

		const failure = await failureFrom(deliverToA(environment));

		expect(failure).toMatchObject({
			kind: 'transient',
			title: 'Temporary server error',
			responseCode: 451,
			attempts: 3,
		});
		expect(events.filter((event) => event.startsWith('send'))).toHaveLength(3);
		expect(events.filter((event) => event.startsWith('wait'))).toEqual(['wait 500', 'wait 1000']);
	});

	it('gives up when the next backoff would pass maxTotalDelayMs', async () => {
		const { environment, events } = setUp([serverBusy(), serverBusy(), serverBusy()], {
			retry: { maxAttempts: 10, maxTotalDelayMs: 2_000 },
		});

		const failure = await failureFrom(deliverToA(environment));

		// 500 + 1000 ms waited; the next step (2000 ms) would reach 3500 ms.
		expect(failure).toMatchObject({ kind: 'transient', attempts: 3 });
		expect(events).toEqual([
			...attempt('failed', { gateMs: 2_000 }),
			'wait 500',
			...attempt('failed', { gateMs: 1_500 }),
			'wait 1000',
			...attempt('failed', { gateMs: 500 }),
		]);
	});

	it('counts the time the gate waited for the account against maxTotalDelayMs', async () => {
		const { environment, events } = setUp([serverBusy(), serverBusy()], {
			retry: { maxAttempts: 10, maxTotalDelayMs: 2_000 },
			gateWaitedMs: [1_000],
		});

		const failure = await failureFrom(deliverToA(environment));

		// 1000 ms at the gate + 500 ms backoff; the next 1000 ms step would pass 2000 ms.
		expect(failure).toMatchObject({ attempts: 2 });
		expect(events).toEqual([
			...attempt('failed', { gateMs: 2_000 }),
			'wait 500',
			...attempt('failed', { gateMs: 500 }),
		]);
	});

	it('does not retry a permanent refusal', async () => {
		const { environment, events } = setUp([
			allRecipientsRefused('550 5.1.1 The email account that you tried to reach does not exist.'),
		]);

		const failure = await failureFrom(deliverToA(environment));

		expect(failure).toMatchObject({ kind: 'recipient', responseCode: 550 });
		expect(failure.attempts).toBeUndefined();
		expect(events).toEqual(attempt('failed'));
	});
});

describe('a connection that breaks without a reply', () => {
	it('once the server answered DATA with 354: delivery uncertain, never sent again', async () => {
		const { environment, events } = setUp([dropped('body'), accepted([A])]);

		const failure = await failureFrom(deliverToA(environment));

		expect(failure).toMatchObject({
			kind: 'uncertain',
			retryable: false,
			stopsAccount: false,
			title: 'Delivery uncertain',
			messageId: MESSAGE_ID,
			code: 'ECONNECTION',
		});
		expect(failure.description).toContain(`look for Message-ID ${MESSAGE_ID} in the Sent folder`);
		expect(events).toEqual(attempt('failed'));
	});

	it('before the connection was logged in: retried after a backoff', async () => {
		const { environment, events } = setUp([dropped('connection'), accepted([A])]);

		await expect(deliverToA(environment)).resolves.toMatchObject({ accepted: [A] });
		expect(events).toEqual([
			...attempt('failed'),
			'wait 500',
			...attempt('accepted', { gateMs: 59_500 }),
		]);
	});

	it('at MAIL FROM (a pooled connection the server had closed): retried at once, uncharged', async () => {
		const stale = Array.from({ length: 5 }, () => dropped('envelope'));
		const { environment, events } = setUp([...stale, accepted([A])], {
			retry: { maxAttempts: 1 },
		});

		await expect(deliverToA(environment)).resolves.toMatchObject({ accepted: [A] });
		expect(events).toEqual([
			...Array.from({ length: 5 }, () => attempt('failed')).flat(),
			...attempt('accepted'),
		]);
	});

	it('at MAIL FROM a sixth time: that one is an attempt like any other', async () => {
		const stale = Array.from({ length: 6 }, () => dropped('envelope'));
		const { environment, events } = setUp([...stale, accepted([A])], {
			retry: { maxAttempts: 1 },
		});

		const failure = await failureFrom(deliverToA(environment));

		expect(failure).toMatchObject({ kind: 'network', title: 'Connection failed' });
		expect(failure.attempts).toBeUndefined();
		expect(events.filter((event) => event.startsWith('send'))).toHaveLength(6);
		expect(events.filter((event) => event.startsWith('wait'))).toEqual([]);
	});
});

describe('a server that takes fewer recipients (452 4.5.3)', () => {
	it('sends the same message to each half in a transaction of its own, halving again', async () => {
		const { environment, events, sent } = setUp([
			tooManyRecipients(),
			tooManyRecipients(),
			accepted([A]),
			accepted([B]),
			accepted([C]),
		]);
		const outgoing = message([A], { cc: B, bcc: C });

		await expect(deliverMessage(outgoing, environment)).resolves.toEqual({
			messageId: MESSAGE_ID,
			accepted: [A, B, C],
			rejected: [],
			response: '250 2.0.0 OK  1700000000 x1-20020a',
			envelope: { from: SENDER, to: [A, B, C] },
		});
		expect(events).toEqual([
			...attempt('failed'),
			...attempt('failed', { to: [A, B] }),
			...attempt('accepted', { to: [A] }),
			...attempt('accepted', { to: [B] }),
			...attempt('accepted', { to: [C] }),
		]);
		// The same message (one Message-ID, the same headers), only the envelope differs.
		expect(sent[1]).toEqual({ ...outgoing, envelope: { from: SENDER, to: [A, B] } });
		expect(sent[4]).toEqual({ ...outgoing, envelope: { from: SENDER, to: [C] } });
	});

	it('fails a single recipient the server will not take, without retrying', async () => {
		const { environment, events } = setUp([tooManyRecipients()]);

		const failure = await failureFrom(deliverToA(environment));

		expect(failure).toMatchObject({
			kind: 'recipient',
			retryable: false,
			stopsAccount: false,
			title: 'Recipient not taken',
			responseCode: 452,
		});
		expect(failure.description).toContain(`not even ${A} alone`);
		expect(events).toEqual(attempt('failed'));
	});

	it('sends again to the recipients a server put off, and merges both answers', async () => {
		const { environment, events, sent } = setUp([
			acceptedButCPutOff(),
			accepted([C], { response: '250 2.0.0 OK second' }),
		]);
		const outgoing = message([A, B, C]);

		await expect(deliverMessage(outgoing, environment)).resolves.toEqual({
			messageId: MESSAGE_ID,
			accepted: [A, B, C],
			rejected: [],
			response: '250 2.0.0 OK  1700000000 x1-20020a',
			envelope: { from: SENDER, to: [A, B, C] },
		});
		expect(sent[1]).toEqual({ ...outgoing, envelope: { from: SENDER, to: [C] } });
		expect(events).toEqual([...attempt('accepted'), ...attempt('accepted', { to: [C] })]);
	});
});

describe('a message the server already took for some recipients', () => {
	const recipientRefused = () =>
		failedAt(
			'envelope',
			smtpError(
				"Can't send mail - all recipients were rejected",
				'EENVELOPE',
				'RCPT TO',
				'550 5.1.1 The email account that you tried to reach does not exist.',
			),
		);

	it('reports the put-off recipients refused when their own transaction is refused, and the message sent', async () => {
		const { environment } = setUp([acceptedButCPutOff(), recipientRefused()]);

		await expect(deliverMessage(message([A, B, C]), environment)).resolves.toEqual({
			messageId: MESSAGE_ID,
			accepted: [A, B],
			rejected: [C],
			response: '250 2.0.0 OK  1700000000 x1-20020a',
			envelope: { from: SENDER, to: [A, B, C] },
		});
	});

	it('does the same for the second half after a 452 4.5.3 split', async () => {
		const { environment, events } = setUp(
			[tooManyRecipients(), accepted([A, B]), recipientRefused()],
			{ retry: { maxAttempts: 1 } },
		);

		await expect(deliverMessage(message([A, B, C]), environment)).resolves.toMatchObject({
			accepted: [A, B],
			rejected: [C],
		});
		expect(events.filter((event) => event.startsWith('send'))).toEqual([
			'send all',
			'send a@example.com,b@example.com',
			'send c@example.com',
		]);
	});

	it('still fails the message when the further transaction may have reached the server', async () => {
		const { environment } = setUp([acceptedButCPutOff(), dropped('body')]);

		const failure = await failureFrom(deliverMessage(message([A, B, C]), environment));

		expect(failure).toMatchObject({ kind: 'uncertain', messageId: MESSAGE_ID });
	});

	it('fails the message as before when nothing was taken yet', async () => {
		const { environment } = setUp([tooManyRecipients(), recipientRefused()], {
			retry: { maxAttempts: 1 },
		});

		const failure = await failureFrom(deliverMessage(message([A, B, C]), environment));

		expect(failure).toMatchObject({ kind: 'recipient' });
	});
});

describe('the attempt gate', () => {
	it.each([
		['421 at MAIL FROM', 'throttled', '421 4.7.0 Try again later, closing connection.'],
		['454 at MAIL FROM', 'throttled', '454 4.7.0 Too many login attempts, please try again later.'],
		['550 5.4.5', 'exhausted', '550 5.4.5 Daily user sending limit exceeded.'],
		['another refusal', 'failed', '550 5.7.1 Sender refused.'],
	])('hears the outcome of each attempt: %s as %s', async (_label, outcome, response) => {
		const { environment, events } = setUp([mailFromRefused(response)], {
			retry: { maxAttempts: 1 },
		});

		await failureFrom(deliverToA(environment));

		expect(events).toEqual(attempt(outcome));
	});

	it('keeps the message from the server when it refuses the attempt', async () => {
		const { environment, events, sent } = setUp([accepted([A])]);
		const refusal = new GmailSmtpError({
			kind: 'throttled',
			retryable: true,
			stopsAccount: true,
			title: 'Gmail is throttling this account',
			description: 'Wait before sending again.',
		});
		environment.gate = { begin: () => Promise.reject(refusal) };

		await expect(deliverToA(environment)).rejects.toBe(refusal);
		expect(sent).toEqual([]);
		expect(events).toEqual([]);
	});

	it('a failure to record the outcome does not fail a message that was sent', async () => {
		const { environment, sent } = setUp([accepted([A])]);
		environment.gate = {
			begin: async () => ({
				waitedMs: 0,
				finish: () => Promise.reject(new Error('ledger unwritable')),
			}),
		};

		await expect(deliverToA(environment)).resolves.toMatchObject({ accepted: [A] });
		expect(sent).toHaveLength(1);
	});

	it('records a transport failure that is not an SMTP one as failed, and passes it on', async () => {
		const bug = new TypeError('not an SMTP failure');
		const { environment, events } = setUp([bug]);

		await expect(deliverToA(environment)).rejects.toBe(bug);
		expect(events).toEqual(attempt('failed'));
	});
});
