import {
	ImapFlow,
	type FetchMessageObject,
	type FetchQueryObject,
	type SearchObject,
} from 'imapflow';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';

import type { GmailSmtpCredentials } from './gmailSmtpCredentials';

/**
 * The server answered a SEARCH (or a FETCH of messages found) with NO or BAD: it did not carry it
 * out, so nothing is known from it.
 */
export class CommandRefusedError extends Error {
	readonly command: 'SEARCH' | 'FETCH';
	readonly responseStatus: 'NO' | 'BAD';
	/** The server's words, e.g. `Too long argument`. */
	readonly responseText: string;
	/** The response code in brackets, e.g. `UNAVAILABLE` for `NO [UNAVAILABLE] ...`. */
	readonly serverResponseCode?: string;

	constructor(
		command: 'SEARCH' | 'FETCH',
		answer: { responseStatus?: unknown; responseText?: unknown; serverResponseCode?: unknown },
	) {
		super(`${command} refused`);
		this.name = 'CommandRefusedError';
		this.command = command;
		this.responseStatus = answer.responseStatus === 'NO' ? 'NO' : 'BAD';
		this.responseText = typeof answer.responseText === 'string' ? answer.responseText : '';
		this.serverResponseCode =
			typeof answer.serverResponseCode === 'string' ? answer.serverResponseCode : undefined;
	}
}

/**
 * The connection broke (or the server stopped answering: `code` ETIMEOUT) while a command ran, so
 * that command's answer is unknown. The session logs in again for the next command.
 */
export class ConnectionLostError extends Error {
	readonly code: string;
	readonly connectionLost = true;

	constructor(code: string) {
		super(code === 'ETIMEOUT' ? 'The server stopped answering' : 'Connection lost');
		this.name = 'ConnectionLostError';
		this.code = code;
	}
}

/** Failures that concern the command they broke, not the account: worth isolating and retrying. */
export function concernsCommand(error: unknown): boolean {
	return error instanceof CommandRefusedError || error instanceof ConnectionLostError;
}

export interface ImapSessionSettings {
	connectTimeoutMs: number;
	/** How long a command may go without a byte from the server. */
	socketTimeoutMs: number;
	/** Logins after the first, when the connection breaks during the searches. */
	maxReconnects: number;
}

interface ImapRefusal {
	responseStatus?: unknown;
	responseText?: unknown;
	serverResponseCode?: unknown;
}

/**
 * One read-only IMAP session over implicit TLS. When the connection breaks, the next command logs
 * in again and reopens the mailbox (read-only searches can be repeated safely), up to
 * `maxReconnects` times; after that every command fails with code `TooManyReconnects`.
 */
export class ImapSession {
	private client: ImapFlow;
	private lastRefusal: ImapRefusal | undefined;
	private lastConnectionError: { code?: string } | undefined;
	private reconnects = 0;
	private mailboxPath: string | undefined;

	private constructor(
		private readonly credentials: GmailSmtpCredentials,
		private readonly settings: ImapSessionSettings,
	) {
		this.client = this.newClient();
	}

	/** Connects and logs in; the mailbox is opened with {@link examine}. */
	static async connect(
		credentials: GmailSmtpCredentials,
		settings: ImapSessionSettings,
	): Promise<ImapSession> {
		const session = new ImapSession(credentials, settings);
		try {
			await session.client.connect();
		} catch (error) {
			await session.close();
			throw error;
		}
		return session;
	}

	get capabilities(): ReadonlyMap<string, unknown> {
		return this.client.capabilities;
	}

	/** The mailboxes as the server lists them (for finding All Mail). */
	list() {
		return this.run((client) => client.list());
	}

	/** Opens the mailbox read-only (EXAMINE); reopened after each new login. */
	async examine(path: string): Promise<void> {
		await this.run((client) => client.mailboxOpen(path, { readOnly: true }));
		this.mailboxPath = path;
	}

	/** UID SEARCH; a NO or BAD becomes a {@link CommandRefusedError} with the server's answer. */
	search(query: SearchObject): Promise<number[]> {
		return this.run(async (client) => {
			this.lastRefusal = undefined;
			// imapflow resolves `false` when the server refuses the search (and logs why).
			const uids = await client.search(query, { uid: true });
			if (Array.isArray(uids)) return uids;
			if (isRefusal(this.lastRefusal)) throw new CommandRefusedError('SEARCH', this.lastRefusal!);
			throw new ConnectionLostError('NoConnection');
		});
	}

	/** UID FETCH of these UIDs (bodies are read with BODY.PEEK); NO or BAD as for SEARCH. */
	fetch(uids: number[], query: FetchQueryObject): Promise<FetchMessageObject[]> {
		return this.run(async (client) => {
			try {
				return await client.fetchAll(uids, query, { uid: true });
			} catch (error) {
				if (client.usable && isRefusal(error)) throw new CommandRefusedError('FETCH', error);
				throw error;
			}
		});
	}

	async close(): Promise<void> {
		const client = this.client;
		try {
			if (client.usable) await client.logout();
		} catch {
			// Already gone: nothing was left open.
		} finally {
			client.close();
		}
	}

	private async run<T>(command: (client: ImapFlow) => Promise<T>): Promise<T> {
		if (!this.client.usable) await this.reconnect();
		const client = this.client;
		try {
			return await command(client);
		} catch (error) {
			if (client.usable || error instanceof CommandRefusedError) throw error;
			// The connection is gone: what the command would have answered is unknown.
			const code = this.lastConnectionError?.code;
			throw new ConnectionLostError(code === 'ETIMEOUT' ? 'ETIMEOUT' : connectionCode(error));
		}
	}

	private async reconnect(): Promise<void> {
		if (this.reconnects >= this.settings.maxReconnects) {
			throw Object.assign(new Error('The connection broke too often'), {
				code: 'TooManyReconnects',
				reconnects: this.reconnects,
			});
		}
		this.reconnects += 1;
		this.client.close();
		this.client = this.newClient();
		await this.client.connect();
		if (this.mailboxPath) await this.client.mailboxOpen(this.mailboxPath, { readOnly: true });
	}

	private newClient(): ImapFlow {
		const { credentials, settings } = this;
		this.lastConnectionError = undefined;
		const client = new ImapFlow({
			host: credentials.imapHost,
			port: credentials.imapPort,
			secure: true,
			servername: isIP(credentials.imapHost) ? undefined : credentials.imapHost,
			auth: { user: credentials.user, pass: credentials.appPassword },
			tls: {
				minVersion: 'TLSv1.2',
				rejectUnauthorized: !credentials.allowUnauthorizedCerts,
				// `ca` replaces Node's trust store, so an extra CA is added to it rather than given alone.
				ca: credentials.caCertificate
					? [...rootCertificates, credentials.caCertificate]
					: undefined,
			},
			// imapflow only logs why a search was refused (it resolves `false`): the answer is kept
			// from its warning. Nothing else is logged.
			logger: {
				debug: () => undefined,
				info: () => undefined,
				warn: (entry: { err?: ImapRefusal }) => {
					if (entry?.err?.responseStatus) this.lastRefusal = entry.err;
				},
				error: () => undefined,
				fatal: () => undefined,
			},
			// Nothing here waits for new mail: no IDLE between commands.
			disableAutoIdle: true,
			connectionTimeout: settings.connectTimeoutMs,
			greetingTimeout: settings.connectTimeoutMs,
			socketTimeout: settings.socketTimeoutMs,
		});
		// A connection that breaks surfaces as the failing command's error (this keeps its cause);
		// without a listener the 'error' event would end the n8n process.
		client.on('error', (error: { code?: string }) => {
			this.lastConnectionError = error;
		});
		return client;
	}
}

/** A tagged NO or BAD (imapflow's ETHROTTLE, a throttling BAD, is not one: it concerns the account). */
function isRefusal(error: unknown): error is ImapRefusal {
	const fields = error as (ImapRefusal & { code?: unknown }) | undefined;
	return (
		(fields?.responseStatus === 'NO' || fields?.responseStatus === 'BAD') &&
		fields.code !== 'ETHROTTLE'
	);
}

function connectionCode(error: unknown): string {
	const code = (error as { code?: unknown } | null)?.code;
	return typeof code === 'string' ? code : 'NoConnection';
}
