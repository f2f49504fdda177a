import { connect, createServer, type Server, type Socket } from 'node:net';

import { ConnectionPermits } from '../../nodes/GmailSmtp/delivery/account/connectionPermits';
import { EmbeddedLimitStore } from '../../nodes/GmailSmtp/delivery/account/embeddedLimitStore';
import type { LimitStore, SlotDecision } from '../../nodes/GmailSmtp/delivery/account/limitStore';
import { readGmailSmtpCredentials } from '../../nodes/GmailSmtp/transport/gmailSmtpCredentials';
import {
	createPooledTransport,
	type PooledTransport,
} from '../../nodes/GmailSmtp/transport/smtpTransport';
import { credentialsFor, TEST_USER, useSmtpTestServer } from '../helpers/smtpTestServer';

/**
 * A TCP relay in front of the test server that keeps the first connection's close to itself: when
 * the client ends that connection (nodemailer retiring it), the server does not hear of it, so the
 * client's socket, and the connection slot it holds, stay open until the test lets it close.
 */
async function startClosingRelay(targetPort: number) {
	const sockets = new Set<Socket>();
	let first: Socket | undefined;
	let firstEnded!: () => void;
	const firstEnding = new Promise<void>((resolve) => (firstEnded = resolve));
	let firstClosed!: () => void;
	const firstClosing = new Promise<void>((resolve) => (firstClosed = resolve));
	const relay: Server = createServer((client) => {
		const upstream = connect(targetPort, '127.0.0.1');
		const held = !first;
		if (held) first = client;
		for (const socket of [client, upstream]) {
			sockets.add(socket);
			socket.on('error', () => undefined);
			socket.once('close', () => sockets.delete(socket));
		}
		client.pipe(upstream, { end: !held });
		upstream.pipe(client);
		if (held) {
			client.once('end', () => firstEnded());
			client.once('close', () => firstClosed());
		}
		client.once('close', () => upstream.destroy());
		upstream.once('close', () => client.destroy());
	});
	await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
	return {
		port: (relay.address() as { port: number }).port,
		/** The client ended the first connection (nodemailer retired it). */
		firstEnding,
		/** The first connection is gone (closed by the test, or by the client's own close timeout). */
		firstClosing,
		/** The server side closes the first connection, as after the client's QUIT. */
		closeFirst: () => first?.end(),
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => relay.close(() => resolve()));
		},
	};
}

/** The real embedded store, telling when a holder's request for a connection slot is refused. */
function watchedStore(store: LimitStore) {
	let refused!: () => void;
	const firstRefusal = new Promise<void>((resolve) => (refused = resolve));
	const watched: LimitStore = Object.create(store);
	watched.acquireConnection = async (...args): Promise<SlotDecision> => {
		const decision = await store.acquireConnection(...args);
		if (!decision.granted) refused();
		return decision;
	};
	return { watched, firstRefusal };
}

const message = (n: number) => ({
	messageId: `<hand-off-${n}@example.com>`,
	from: TEST_USER,
	to: `customer${n}@example.com`,
	subject: `Order ${n}`,
	text: `Order ${n}`,
});

describe("a retired connection's slot reaches its replacement", () => {
	const server = useSmtpTestServer({ security: 'tls' });
	let relay: Awaited<ReturnType<typeof startClosingRelay>>;
	let transport: PooledTransport | undefined;

	beforeEach(async () => {
		relay = await startClosingRelay(server.port);
	});
	afterEach(async () => {
		transport?.close();
		await relay.close();
	});

	/*
	 * The 60-second stall of bench/RESULTS.md, step by step. One connection, retired by nodemailer
	 * after each message (maxMessages 1, as after 1,000 messages in the bench). Message 2 gets its
	 * permit while the retired connection's socket still holds the slot, so nodemailer opens a
	 * replacement for it, which asks the account for a slot and is refused. Message 3 waits for a
	 * permit. Then the retired socket closes and gives its slot back: message 3's permit takes it
	 * (parked for "the connection nodemailer is about to open"), while the replacement, which is that
	 * connection, kept asking the store only. Before the fix nothing moved again: the parked slot
	 * goes back only when no attempt is in flight, and message 2 stays in flight in the replacement
	 * (in the bench, until an idle connection's 60 s socket timeout freed a slot).
	 */
	it('message 2 goes out over the replacement connection once the retired socket closes', async () => {
		const { watched, firstRefusal } = watchedStore(
			new EmbeddedLimitStore(process.env.N8N_USER_FOLDER!),
		);
		const permits = new ConnectionPermits(watched, 'sender@example.com', () => 1);
		const credentials = readGmailSmtpCredentials(credentialsFor(server, { port: relay.port }));
		transport = createPooledTransport(
			credentials,
			{ maxConnections: 1, maxMessages: 1, connectTimeoutMs: 10_000 },
			permits,
		);
		const sendWithPermit = async (n: number, permit: Promise<() => void>) => {
			const end = await permit;
			try {
				return await transport!.send(message(n));
			} finally {
				end();
			}
		};

		await sendWithPermit(1, permits.acquire());
		await relay.firstEnding;
		const second = sendWithPermit(2, permits.acquire());
		// nodemailer destroys a retired socket itself after 5 s; the replacement asks long before.
		await Promise.race([firstRefusal, relay.firstClosing]);
		const third = sendWithPermit(3, permits.acquire());
		relay.closeFirst();

		await expect(second).resolves.toMatchObject({ accepted: ['customer2@example.com'] });
		await expect(third).resolves.toMatchObject({ accepted: ['customer3@example.com'] });
		expect(server.messages.map((received) => received.envelope.to)).toEqual([
			['customer1@example.com'],
			['customer2@example.com'],
			['customer3@example.com'],
		]);
		expect(server.logins).toHaveLength(3);
	});
});
