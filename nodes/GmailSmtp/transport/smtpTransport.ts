import { connect, isIP, type Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { rootCertificates } from 'node:tls';
import { createTransport } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';

import { connectTimeoutMs, DEFAULT_MAX_CONNECTIONS } from '../defaults';
import { MINUTE_MS } from '../durations';
import type { GmailSmtpCredentials } from './gmailSmtpCredentials';

/**
 * A message as the transport takes it: nodemailer's options, with the Message-ID already chosen so
 * that an uncertain outcome can name it (a ComposedMessage is one).
 */
export type TransportMessage = Mail.Options & { messageId: string };

export interface SendResult {
	messageId: string;
	accepted: string[];
	rejected: string[];
	response: string;
	envelope: { from: string; to: string[] };
}

/** A sent message, with the recipients the server put off to another transaction (452). */
export interface TransportResult extends SendResult {
	deferred: string[];
}

export interface PooledTransport {
	/** Sends one message; a failure is a {@link SendAttemptError}. */
	send(message: TransportMessage): Promise<TransportResult>;
	close(): void;
}

/** A failed send, with what is known about how far the message got. */
export class SendAttemptError extends Error {
	constructor(
		readonly cause: unknown,
		/**
		 * How far the message got on its connection: `connection` (it never reached a logged-in
		 * connection), `envelope` (MAIL FROM was written: a connection the server had closed is
		 * found out here) or `body` (the server answered DATA with 354: the body may have reached it).
		 */
		readonly reached: DeliveryStage,
		readonly messageId: string,
	) {
		super('SMTP send failed');
		this.name = 'SendAttemptError';
	}
}

const PROBE_KEY = 'gmailSmtpDeliveryProbe';

export type DeliveryStage = 'connection' | 'envelope' | 'body';

interface DeliveryProbe {
	reached: DeliveryStage;
}

/**
 * Decides when a connection may open: each one holds a slot of the account's shared budget from
 * before it connects until its socket closes.
 */
export interface ConnectionGate {
	/** Resolves with the slot the new connection holds. */
	opening(): Promise<string>;
	/** The connection of `slot` is open; `close` ends it (its slot was lost to another process). */
	opened?(slot: string, close: () => void): void;
	closed(slot: string): void;
}

export interface PoolSettings {
	/** Connections (and so logins) this pool opens at once. */
	maxConnections: number;
	/** Messages per connection before it is replaced by a new one. */
	maxMessages: number;
	/** How long to wait for the TCP connection, TLS and the server's greeting. */
	connectTimeoutMs: number;
}

export const POOL_DEFAULTS: PoolSettings = {
	maxConnections: DEFAULT_MAX_CONNECTIONS,
	maxMessages: 1000,
	connectTimeoutMs: connectTimeoutMs(undefined),
};

const SOCKET_TIMEOUT_MS = MINUTE_MS;
const DNS_TIMEOUT_MS = 10_000;

/** Connection settings shared by the pooled sender and the credential test. */
export function connectionOptions(
	credentials: GmailSmtpCredentials,
	connectTimeoutMs = POOL_DEFAULTS.connectTimeoutMs,
): SMTPTransport.Options {
	return {
		host: credentials.host,
		port: credentials.port,
		secure: credentials.security === 'tls',
		// STARTTLS is mandatory on `starttls`: without it nodemailer would send AUTH in clear text
		// to a server that (or a man in the middle that) hides the STARTTLS capability.
		requireTLS: credentials.security === 'starttls',
		ignoreTLS: false,
		name: credentials.clientHostname || undefined,
		auth: { user: credentials.user, pass: credentials.appPassword },
		tls: {
			// SNI takes host names only (RFC 6066); certificates for IPs are still verified.
			servername: isIP(credentials.host) ? undefined : credentials.host,
			minVersion: 'TLSv1.2',
			rejectUnauthorized: !credentials.allowUnauthorizedCerts,
			// `ca` replaces Node's trust store, so an extra CA is added to it rather than given alone.
			ca: credentials.caCertificate ? [...rootCertificates, credentials.caCertificate] : undefined,
		},
		connectionTimeout: connectTimeoutMs,
		greetingTimeout: connectTimeoutMs,
		socketTimeout: SOCKET_TIMEOUT_MS,
		dnsTimeout: DNS_TIMEOUT_MS,
		disableFileAccess: true,
		disableUrlAccess: true,
		logger: false,
		debug: false,
	};
}

/**
 * One pooled nodemailer transport. It outlives an execution: sharedTransports.ts lends it to every
 * execution in this n8n process that sends with the same credential and settings. nodemailer's own
 * re-queueing is off: a message whose connection dropped may already have been accepted, and
 * resending it would duplicate it.
 */
export function createPooledTransport(
	credentials: GmailSmtpCredentials,
	settings: PoolSettings = POOL_DEFAULTS,
	gate?: ConnectionGate,
): PooledTransport {
	let closed = false;
	const poolOptions: SMTPPool.Options = {
		...connectionOptions(credentials, settings.connectTimeoutMs),
		pool: true,
		maxConnections: settings.maxConnections,
		maxMessages: settings.maxMessages,
		maxRequeues: 0,
		getSocket: openSocket({
			gate,
			credentials,
			connectTimeoutMs: settings.connectTimeoutMs,
			isClosed: () => closed,
			claimStartingMessage: () => {
				const probe = starting;
				starting = undefined;
				return probe;
			},
		}),
	};
	// The message whose MAIL FROM is about to be written. nodemailer creates the message stream
	// (and with it this transform) on the connection that sends it, and writes MAIL FROM in the same
	// synchronous step; that connection's transaction log claims the message there.
	let starting: DeliveryProbe | undefined;
	const transporter = createTransport({ ...poolOptions, pool: true });
	transporter.use('stream', (mail, done) => {
		const probe = (mail.data as Record<string, unknown>)[PROBE_KEY] as DeliveryProbe | undefined;
		if (probe) {
			mail.message.transform(() => {
				starting = probe;
				return new PassThrough();
			});
		}
		done();
	});

	return {
		async send(message) {
			const messageId = message.messageId;
			const probe: DeliveryProbe = { reached: 'connection' };
			let info: SMTPPool.SentMessageInfo;
			try {
				const withProbe = { ...message, messageId, [PROBE_KEY]: probe } as TransportMessage;
				info = await transporter.sendMail(withProbe);
			} catch (error) {
				if (starting === probe) starting = undefined;
				throw new SendAttemptError(error, probe.reached, messageId);
			}
			const refusals = (info as { rejectedErrors?: RecipientRefusal[] }).rejectedErrors ?? [];
			return {
				messageId: info.messageId,
				accepted: info.accepted.map(addressText),
				rejected: info.rejected.map(addressText),
				deferred: refusals
					.filter((refusal) => refusal.responseCode === 452 && refusal.recipient)
					.map((refusal) => refusal.recipient!),
				response: info.response,
				envelope: {
					from: typeof info.envelope.from === 'string' ? info.envelope.from : '',
					to: info.envelope.to ?? [],
				},
			};
		},
		close() {
			closed = true;
			transporter.close();
		},
	};
}

interface SocketSettings {
	gate?: ConnectionGate;
	credentials: GmailSmtpCredentials;
	connectTimeoutMs: number;
	isClosed: () => boolean;
	claimStartingMessage: () => DeliveryProbe | undefined;
}

/**
 * nodemailer asks for a socket before every connection it opens. Once the gate (if any) lets the
 * connection open, connect the TCP socket here and hand it over: nodemailer still does TLS,
 * STARTTLS and the login with its own settings. The slot goes back when that socket closes, and
 * the time spent waiting for the gate does not eat into the connect timeout. nodemailer gives a
 * new connection its message before asking for the socket, and no other connection takes that
 * message over, so the gate must hand this connection any slot that frees up for it while it
 * waits (ConnectionPermits.opening: a retired connection's slot once reached it only after 60 s).
 * The connection also gets a transaction log of its own, which tells when a message's body may
 * have reached the server.
 */
function openSocket(settings: SocketSettings): SMTPPool.Options['getSocket'] {
	const { gate, credentials, connectTimeoutMs, isClosed } = settings;
	return (_options, callback) => {
		const opening = gate ? gate.opening() : Promise.resolve('');
		opening.then(
			(slot) => {
				const giveBack = () => gate?.closed(slot);
				if (isClosed()) {
					giveBack();
					return callback(new Error('Connection pool was closed'), undefined);
				}
				connectSocket(credentials, connectTimeoutMs).then(
					(socket) => {
						socket.once('close', giveBack);
						gate?.opened?.(slot, () => socket.destroy());
						callback(null, {
							connection: socket,
							// The clock nodemailer started before asking covers TLS and the greeting too.
							connectionTimeout: connectTimeoutMs + (Date.now() - socket.connectedAt),
							transactionLog: true,
							logger: transactionWatcher(settings.claimStartingMessage),
						});
					},
					(error: Error) => {
						giveBack();
						callback(error, undefined);
					},
				);
			},
			(error: Error) => callback(error, undefined),
		);
	};
}

/**
 * Reads one connection's commands and replies (never their arguments' secrets: nodemailer logs
 * AUTH masked). A message is claimed when its MAIL FROM is written; once the server answers DATA
 * with 354, its body may reach the server, and only from then on is a broken connection
 * "uncertain". With PIPELINING, MAIL, RCPT and DATA go out together, but the body still waits
 * for the 354.
 */
function transactionWatcher(claimStartingMessage: () => DeliveryProbe | undefined) {
	let current: DeliveryProbe | undefined;
	const observe = (entry: { tnx?: string } | undefined, line: unknown) => {
		const text = String(line);
		if (entry?.tnx === 'client' && /^MAIL FROM:/i.test(text)) {
			current = claimStartingMessage();
			if (current) current.reached = 'envelope';
		} else if (entry?.tnx === 'server' && text.startsWith('354') && current) {
			current.reached = 'body';
		}
	};
	const ignore = () => undefined;
	return {
		debug: observe,
		trace: ignore,
		info: ignore,
		warn: ignore,
		error: ignore,
		fatal: ignore,
	};
}

/** A TCP connection to the server, failing the way nodemailer's own connect fails. */
function connectSocket(
	credentials: GmailSmtpCredentials,
	connectTimeoutMs: number,
): Promise<Socket & { connectedAt: number }> {
	return new Promise((resolve, reject) => {
		const socket = connect({ host: credentials.host, port: credentials.port });
		const timer = setTimeout(() => {
			socket.destroy();
			reject(Object.assign(new Error('Connection timeout'), { code: 'ETIMEDOUT' }));
		}, connectTimeoutMs);
		socket.once('connect', () => {
			clearTimeout(timer);
			socket.removeAllListeners('error');
			resolve(Object.assign(socket, { connectedAt: Date.now() }));
		});
		socket.once('error', (error: NodeJS.ErrnoException) => {
			clearTimeout(timer);
			socket.destroy();
			const notFound = error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN';
			reject(
				Object.assign(error, { originalCode: error.code, code: notFound ? 'EDNS' : 'ESOCKET' }),
			);
		});
	});
}

/** Connects, negotiates TLS and logs in once, then disconnects (the credential's Test button). */
export async function verifyLogin(credentials: GmailSmtpCredentials): Promise<void> {
	const transporter = createTransport(connectionOptions(credentials));
	try {
		await transporter.verify();
	} finally {
		transporter.close();
	}
}

interface RecipientRefusal {
	recipient?: string;
	responseCode?: number;
}

function addressText(address: string | Mail.Address): string {
	return typeof address === 'string' ? address : (address.address ?? '');
}
