import type { AddressInfo, Server, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { SMTPServer } from 'smtp-server';

import { TEST_TLS } from '../testkit/testTls';

export const BENCH_CA = TEST_TLS.caCert;
export const BENCH_USER = 'bench@example.com';
export const BENCH_PASSWORD = 'benchbenchbenchb';

export interface BenchCounts {
	connections: number;
	logins: number;
	messages: number;
	/** TCP connections open now, and the most open at the same moment since `reset`. */
	open: number;
	maxOpen: number;
}

export interface BenchServer {
	port: number;
	counts: BenchCounts;
	reset(): void;
	close(): Promise<void>;
}

/**
 * Stock smtp-server with implicit TLS and AUTH, counting connections, logins and messages.
 * `delayMs` is added before every reply the session waits for (connect, AUTH, MAIL, RCPT, end of
 * DATA), a stand-in for the round trip to a real server.
 */
export async function startBenchServer(delayMs: number): Promise<BenchServer> {
	const counts: BenchCounts = { connections: 0, logins: 0, messages: 0, open: 0, maxOpen: 0 };
	const pause = async () => {
		if (delayMs > 0) await sleep(delayMs);
	};
	const server = new SMTPServer({
		secure: true,
		key: TEST_TLS.serverKey,
		cert: TEST_TLS.serverCert,
		authMethods: ['PLAIN', 'LOGIN'],
		logger: false,
		closeTimeout: 100,
		size: 50 * 1024 * 1024,
		onConnect(_session, callback) {
			counts.connections++;
			void pause().then(() => callback());
		},
		onAuth(auth, _session, callback) {
			counts.logins++;
			const ok = auth.username === BENCH_USER && auth.password === BENCH_PASSWORD;
			void pause().then(() =>
				ok ? callback(null, { user: auth.username }) : callback(new Error('bad login')),
			);
		},
		onMailFrom(_address, _session, callback) {
			void pause().then(() => callback());
		},
		onRcptTo(_address, _session, callback) {
			void pause().then(() => callback());
		},
		onData(stream, _session, callback) {
			stream.on('data', () => undefined);
			stream.on('end', () => {
				counts.messages++;
				void pause().then(() => callback());
			});
		},
	});
	// A sender exits as soon as its last message is in, while its pool may be opening a replacement
	// connection: that socket closes mid-handshake. Lost messages are caught by the message count.
	server.on('error', () => undefined);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const listener = (server as unknown as { server: Server }).server;
	// Raw TCP sockets, counted when accepted: before TLS, the greeting or a login.
	listener.on('connection', (socket: Socket) => {
		counts.open++;
		counts.maxOpen = Math.max(counts.maxOpen, counts.open);
		socket.once('close', () => counts.open--);
	});
	const port = (listener.address() as AddressInfo).port;
	return {
		port,
		counts,
		reset() {
			counts.connections = 0;
			counts.logins = 0;
			counts.messages = 0;
			counts.maxOpen = counts.open;
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
