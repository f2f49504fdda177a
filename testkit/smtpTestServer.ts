import type { AddressInfo, Server, Socket } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

import { TEST_TLS } from './testTls';

/** The CA that signed the test server's certificate (for `localhost` and `127.0.0.1`). */
export const TEST_CA = TEST_TLS.caCert;

export const TEST_USER = 'sender@example.com';
/** What a credential holds is Google's spaced form of it, which the node accepts too. */
export const TEST_APP_PASSWORD = 'abcdefghijklmnop';

export interface ReceivedMessage {
	envelope: { from: string; to: string[] };
	/** The Message-ID header (`parsed.messageId`). */
	messageId: string | undefined;
	/** When the message's body had fully arrived (ms since the epoch). */
	receivedAt: number;
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
	/** Further accounts that may log in with the same App Password, as other Gmail accounts would. */
	users?: string[];
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
	host: '127.0.0.1';
	port: number;
	security: 'tls' | 'starttls';
	messages: ReceivedMessage[];
	/**
	 * Called with each message the server accepts, if set; a returned promise is awaited before
	 * the server answers 250, as a real server files a message before it accepts it.
	 */
	onMessage: ((message: ReceivedMessage) => unknown) | undefined;
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

type SmtpError = Error & { responseCode: number };

function smtpError(code: number, message: string): SmtpError {
	return Object.assign(new Error(message), { responseCode: code });
}

/**
 * The Gmail-like SMTP server of every test (jest, real n8n, the demo): a real smtp-server on
 * 127.0.0.1 and a free port, TLS from the first byte (465) or STARTTLS (587) with the test CA's
 * certificate, AUTH required and Gmail's "Username and Password not accepted" for a bad login.
 * It records what a test asks about (messages, logins, connections open at once) and injects
 * faults at chosen stages of a session.
 */
export async function startSmtpTestServer(options: TestServerOptions): Promise<SmtpTestServer> {
	const state: SmtpTestServer = {
		host: '127.0.0.1',
		port: 0,
		security: options.security,
		messages: [],
		onMessage: undefined,
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
	const users = new Set([TEST_USER, ...(options.users ?? [])]);
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
			callback(smtpError(fault.reply!.code, fault.reply!.message));
		}
		return fault;
	};
	const serverOptions: SMTPServerOptions = {
		secure: options.security === 'tls',
		key: TEST_TLS.serverKey,
		cert: TEST_TLS.serverCert,
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
				return callback(smtpError(452, '4.5.3 Your message has too many recipients.'));
			}
			if (injectFault('rcpt', session, callback)) return;
			callback();
		},
		onAuth(auth, session, callback) {
			state.authAt.push(Date.now());
			if (injectFault('auth', session, callback)) return;
			if (options.echoAuth) {
				const echoed = Buffer.from(`\0${auth.username}\0${auth.password}`).toString('base64');
				return callback(smtpError(535, `5.7.8 Authentication failed for ${echoed}`));
			}
			const ok = users.has(auth.username ?? '') && auth.password === TEST_APP_PASSWORD;
			state.logins.push({ username: auth.username ?? '', ok, secure: session.secure === true });
			if (!ok) return callback(smtpError(535, '5.7.8 Username and Password not accepted'));
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
					.then(async (parsed) => {
						const message: ReceivedMessage = {
							envelope: {
								from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
								to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
							},
							messageId: parsed.messageId,
							receivedAt: arrivedAt,
							raw,
							parsed,
						};
						state.messages.push(message);
						const fault = injectFault('data', session, callback);
						if (fault) {
							endTransaction(session);
							// A refused message was not accepted; a dropped reply leaves it delivered.
							if (!fault.drop) state.messages.pop();
							else state.acceptedAt.push(arrivedAt);
							return;
						}
						state.acceptedAt.push(arrivedAt);
						await state.onMessage?.(message);
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

/**
 * Data of a `gmailSmtpApi` credential that logs in to a test server as {@link TEST_USER} (with
 * the App Password as Google shows it, in groups of four) and trusts the test CA.
 */
export function credentialData(
	server: Pick<SmtpTestServer, 'port' | 'security'>,
	overrides: Record<string, unknown> = {},
) {
	return {
		user: TEST_USER,
		appPassword: 'abcd efgh ijkl mnop',
		host: '127.0.0.1',
		port: server.port,
		security: server.security,
		fromName: '',
		dailyLimit: 500,
		caCertificate: TEST_CA,
		allowUnauthorizedCerts: false,
		clientHostname: '',
		...overrides,
	};
}
