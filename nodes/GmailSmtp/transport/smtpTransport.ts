import { PassThrough } from 'node:stream';
import { createTransport } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';

import { connectTimeoutMs, DEFAULT_MAX_CONNECTIONS } from '../defaults';
import { PROBE_KEY, SendAttemptError, type DeliveryProbe } from './deliveryProbe';
import type { GmailSmtpCredentials } from './gmailSmtpCredentials';
import { connectionOptions, openSocket, type ConnectionGate } from './smtpConnection';

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

interface RecipientRefusal {
	recipient?: string;
	responseCode?: number;
}

function addressText(address: string | Mail.Address): string {
	return typeof address === 'string' ? address : (address.address ?? '');
}
