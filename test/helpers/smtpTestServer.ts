import { readFileSync } from 'node:fs';
import type { AddressInfo, Server, Socket } from 'node:net';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

const TLS_DIR = join(__dirname, '..', 'fixtures', 'tls');
/** The CA that signed the test server's certificate (for `localhost` and `127.0.0.1`). */
export const TEST_CA = readFileSync(join(TLS_DIR, 'ca.pem'), 'utf8');
const SERVER_KEY = readFileSync(join(TLS_DIR, 'server.key'));
const SERVER_CERT = readFileSync(join(TLS_DIR, 'server.pem'));

export const TEST_USER = 'sender@example.com';
export const TEST_APP_PASSWORD = 'abcdefghijklmnop';

export interface ReceivedMessage {
	envelope: { from: string; to: string[] };
	raw: Buffer;
	parsed: ParsedMail;
}

/** The points of an SMTP session at which a fault can be injected. */
export type SessionStage = 'connect' | 'auth' | 'mail' | 'rcpt' | 'body' | 'data' | 'accepted';

/**
 * Misbehaviour at one stage, for the first `times` sessions/commands that reach it (default: all).
 * `reply` answers with that SMTP status; `drop` cuts the TCP connection without a reply. `body` is
 * the first chunk of the message body (only `drop` applies: the message is lost half-way). A drop
 * at `data` happens after the whole message arrived and was stored: the client never learns that
 * it was accepted, the worst case for duplicates.
 */
export interface InjectedFault {
	stage: SessionStage;
	reply?: { code: number; message: string };
	drop?: boolean;
	times?: number;
}

export interface TestServerOptions {
	/** `tls`: implicit TLS from the first byte (port 465 style); `starttls`: plain, then STARTTLS. */
	security: 'tls' | 'starttls';
	/** Neither offer nor accept STARTTLS, like a downgrading man in the middle. */
	withoutStartTls?: boolean;
	faults?: InjectedFault[];
	/** Refuse recipients past this many per transaction with `452 4.5.3`. */
	maxRecipients?: number;
	/** Offer only TLS up to this version, like an outdated server or proxy. */
	tlsMaxVersion?: 'TLSv1.1';
	/** Refuse every login with a reply that echoes the client's AUTH PLAIN argument. */
	echoAuth?: boolean;
	/**
	 * Called when a transaction ends (its message stored, refused or its connection gone), with
	 * the client's EHLO name and how many transactions each EHLO name has open now.
	 */
	onTransactionEnd?: (clientName: string, openByClient: Record<string, number>) => void;
}

export interface SmtpTestServer {
	port: number;
	security: 'tls' | 'starttls';
	messages: ReceivedMessage[];
	/** TCP connections accepted. */
	connections: number;
	/** TCP connections accepted, also those that never got through TLS. */
	tcpConnections: number;
	/** The most connections that were open at the same moment. */
	maxOpenConnections: number;
	/**
	 * The most transactions (from MAIL FROM until the reply to the message, or the connection's end)
	 * in progress at the same moment: connections carrying a message at once.
	 */
	maxTransactionsAtOnce: number;
	/** When each stored message's body had fully arrived (ms since the epoch). */
	acceptedAt: number[];
	/** Successful and failed AUTH attempts, and whether the socket was encrypted at the time. */
	logins: Array<{ username: string; ok: boolean; secure: boolean }>;
	/** When each AUTH command arrived, refused ones included (ms since the epoch). */
	authAt: number[];
	/** How often each stage was reached (MAIL FROM and RCPT TO commands, DATA bodies). */
	reached: Record<SessionStage, number>;
	close(): Promise<void>;
}

/** A real smtp-server on 127.0.0.1:0 with TLS (from a test CA) and AUTH required. */
export async function startSmtpTestServer(options: TestServerOptions): Promise<SmtpTestServer> {
	const state: SmtpTestServer = {
		port: 0,
		security: options.security,
		messages: [],
		connections: 0,
		tcpConnections: 0,
		maxOpenConnections: 0,
		maxTransactionsAtOnce: 0,
		acceptedAt: [],
		logins: [],
		authAt: [],
		reached: { connect: 0, auth: 0, mail: 0, rcpt: 0, body: 0, data: 0, accepted: 0 },
		close: async () => undefined,
	};
	let open = 0;
	const closedAfterReply = new Set<string>();
	/** Session id → the client's EHLO name, for the transactions in progress. */
	const inTransaction = new Map<string, string>();
	const startTransaction = (session: { id: string; hostNameAppearsAs?: string }) => {
		inTransaction.set(session.id, session.hostNameAppearsAs ?? '');
		state.maxTransactionsAtOnce = Math.max(state.maxTransactionsAtOnce, inTransaction.size);
	};
	const endTransaction = (session: { id: string }) => {
		const clientName = inTransaction.get(session.id);
		if (clientName === undefined) return;
		inTransaction.delete(session.id);
		const openByClient: Record<string, number> = {};
		for (const name of inTransaction.values()) openByClient[name] = (openByClient[name] ?? 0) + 1;
		options.onTransactionEnd?.(clientName, openByClient);
	};
	const faults = (options.faults ?? []).map((fault) => ({
		...fault,
		left: fault.times ?? Infinity,
	}));
	/** Applies the first pending fault for `stage` and returns it, if there is one. */
	const injectFault = (
		stage: SessionStage,
		session: { id: string },
		callback: (error?: Error | null) => void,
	): InjectedFault | undefined => {
		state.reached[stage]++;
		const fault = faults.find((candidate) => candidate.stage === stage && candidate.left > 0);
		if (!fault) return undefined;
		fault.left--;
		if (fault.drop) {
			dropSession(server, session.id);
		} else {
			const error = new Error(fault.reply!.message) as Error & { responseCode: number };
			error.responseCode = fault.reply!.code;
			callback(error);
		}
		return fault;
	};
	const serverOptions: SMTPServerOptions = {
		secure: options.security === 'tls',
		key: SERVER_KEY,
		cert: SERVER_CERT,
		...(options.tlsMaxVersion
			? { minVersion: 'TLSv1', maxVersion: options.tlsMaxVersion, ciphers: 'DEFAULT@SECLEVEL=0' }
			: {}),
		authMethods: ['PLAIN', 'LOGIN'],
		authOptional: false,
		disabledCommands: options.withoutStartTls ? ['STARTTLS'] : [],
		// smtp-server would otherwise refuse AUTH on a plain socket itself; we want to observe
		// whether the client sends credentials before encryption.
		allowInsecureAuth: true,
		logger: false,
		// Clients keep pooled connections open; do not wait for them when a test ends.
		closeTimeout: 50,
		onClose(session) {
			endTransaction(session);
		},
		onConnect(session, callback) {
			state.connections++;
			if (injectFault('connect', session, callback)) return;
			callback();
		},
		onMailFrom(_address, session, callback) {
			if (closedAfterReply.has(session.id)) return dropSession(server, session.id);
			if (injectFault('mail', session, callback)) return;
			startTransaction(session);
			callback();
		},
		onRcptTo(_address, session, callback) {
			if (
				options.maxRecipients !== undefined &&
				session.envelope.rcptTo.length >= options.maxRecipients
			) {
				const error = new Error('4.5.3 Your message has too many recipients.') as Error & {
					responseCode: number;
				};
				error.responseCode = 452;
				return callback(error);
			}
			if (injectFault('rcpt', session, callback)) return;
			callback();
		},
		onAuth(auth, session, callback) {
			state.authAt.push(Date.now());
			if (injectFault('auth', session, callback)) return;
			if (options.echoAuth) {
				const echoed = Buffer.from(`\0${auth.username}\0${auth.password}`).toString('base64');
				const error = new Error(`5.7.8 Authentication failed for ${echoed}`) as Error & {
					responseCode: number;
				};
				error.responseCode = 535;
				return callback(error);
			}
			const ok = auth.username === TEST_USER && auth.password === TEST_APP_PASSWORD;
			state.logins.push({ username: auth.username ?? '', ok, secure: session.secure === true });
			if (!ok) {
				const error = new Error('5.7.8 Username and Password not accepted') as Error & {
					responseCode: number;
				};
				error.responseCode = 535;
				return callback(error);
			}
			callback(null, { user: auth.username });
		},
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.once('data', () => {
				if (injectFault('body', session, callback)) stream.destroy();
			});
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('end', () => {
				const arrivedAt = Date.now();
				const raw = Buffer.concat(chunks);
				simpleParser(raw)
					.then((parsed) => {
						state.messages.push({
							envelope: {
								from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
								to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
							},
							raw,
							parsed,
						});
						const fault = injectFault('data', session, callback);
						if (fault) {
							endTransaction(session);
							// A refused message was not accepted; a dropped reply leaves it delivered.
							if (!fault.drop) state.messages.pop();
							else state.acceptedAt.push(arrivedAt);
							return;
						}
						state.acceptedAt.push(arrivedAt);
						callback();
						endTransaction(session);
						// `accepted`: the server closes the connection right after its 250, as servers
						// do when they end a session (only `drop` applies). The client learns it when
						// it writes its next MAIL FROM into the closed connection, which is when the
						// connection is cut here, so that the race is the same on every run.
						const closing = faults.find(
							(candidate) => candidate.stage === 'accepted' && candidate.left > 0,
						);
						state.reached.accepted++;
						if (closing) {
							closing.left--;
							closedAfterReply.add(session.id);
						}
					})
					.catch(callback);
			});
		},
	};
	const server = new SMTPServer(serverOptions);
	greetAtOnce(server);
	// Failed handshakes are the point of some tests; the client reports them.
	server.on('error', () => undefined);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const listener = (server as unknown as { server: Server }).server;
	// Counted on the TCP sockets themselves, so a connection is open until its socket has closed.
	listener.on('connection', (socket: Socket) => {
		state.tcpConnections++;
		open++;
		state.maxOpenConnections = Math.max(state.maxOpenConnections, open);
		socket.once('close', () => open--);
	});
	state.port = (listener.address() as AddressInfo).port;
	state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
	return state;
}

/**
 * A test server for the tests of the enclosing `describe` (or file), started and stopped by jest's
 * hooks. `test`: each test gets a server of its own, so its counters and faults start anew and no
 * pooled connection outlives the test. `block`: one server for all of them, its received messages
 * and connection count cleared before each test. The object returned stands for the running
 * server; reading it outside a test fails.
 */
export function useSmtpTestServer(
	options: TestServerOptions,
	lifetime: 'test' | 'block' = 'test',
): SmtpTestServer {
	let current: SmtpTestServer | undefined;
	const running = () => {
		if (!current) throw new Error('The SMTP test server runs only while a test runs');
		return current;
	};
	const start = async () => {
		current = await startSmtpTestServer(options);
	};
	const stop = async () => {
		await current?.close();
		current = undefined;
	};
	if (lifetime === 'test') {
		beforeEach(start);
		afterEach(stop);
	} else {
		beforeAll(start);
		afterAll(stop);
		beforeEach(() => {
			running().messages.length = 0;
			running().connections = 0;
		});
	}
	return new Proxy({} as SmtpTestServer, {
		get: (_target, key) => Reflect.get(running(), key),
		set: (_target, key, value) => Reflect.set(running(), key, value),
	});
}

/**
 * smtp-server holds back its greeting 100 ms on every connection, to catch clients that talk
 * before it; Gmail greets at once, and most tests open connections of their own. The greeting
 * goes out as soon as the connection is set up (and TLS is up, on port 465).
 */
function greetAtOnce(server: SMTPServer): void {
	const { connections } = server as unknown as { connections: Set<SmtpServerConnection> };
	const add = connections.add.bind(connections);
	connections.add = (connection) => {
		const { _setListeners: setUp, connectionReady } = connection;
		// Where smtp-server's internals differ from these, it keeps its own pause.
		if (typeof setUp === 'function' && typeof connectionReady === 'function') {
			connection.init = () => setUp.call(connection, () => connectionReady.call(connection));
		}
		return add(connection);
	};
}

function dropSession(server: SMTPServer, sessionId: string): void {
	const connections = (server as unknown as { connections: Set<SmtpServerConnection> }).connections;
	for (const connection of connections) {
		if (connection.session?.id === sessionId) connection._socket.destroy();
	}
}

interface SmtpServerConnection {
	session?: { id: string };
	_socket: { destroy(): void };
	init(): void;
	_setListeners?(ready: () => void): void;
	connectionReady?(): void;
}

/** Credential data for the `gmailSmtpApi` credential pointing at a test server. */
export function credentialsFor(server: SmtpTestServer, overrides: Record<string, unknown> = {}) {
	return {
		user: TEST_USER,
		appPassword: 'abcd efgh ijkl mnop',
		host: '127.0.0.1',
		port: server.port,
		security: server.security,
		fromName: '',
		dailyLimit: 500,
		// Tests measure behaviour, not Gmail's pace; the rate cap has tests of its own.
		maxPerSecond: 0,
		caCertificate: TEST_CA,
		allowUnauthorizedCerts: false,
		clientHostname: '',
		...overrides,
	};
}
