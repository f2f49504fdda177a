import { connect, isIP, type Socket } from 'node:net';
import { rootCertificates } from 'node:tls';
import { createTransport } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';

import { connectTimeoutMs as defaultConnectTimeoutMs } from '../defaults';
import { MINUTE_MS } from '../durations';
import { transactionWatcher, type DeliveryProbe } from './deliveryProbe';
import type { GmailSmtpCredentials } from './gmailSmtpCredentials';

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

const SOCKET_TIMEOUT_MS = MINUTE_MS;
const DNS_TIMEOUT_MS = 10_000;

/** Connection settings shared by the pooled sender and the credential test. */
export function connectionOptions(
	credentials: GmailSmtpCredentials,
	connectTimeoutMs = defaultConnectTimeoutMs(undefined),
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

export interface SocketSettings {
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
export function openSocket(settings: SocketSettings): SMTPPool.Options['getSocket'] {
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
