import { ImapFlow, type SearchObject } from 'imapflow';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';

import { DEFAULT_CONNECT_TIMEOUT_SECONDS } from '../defaults';
import { configError } from '../errors/GmailSmtpError';
import type { GmailSmtpCredentials } from './gmailSmtpCredentials';

/** How the mailbox is searched: Gmail's own extensions, or the searches every server has. */
export type SearchPath = 'gmail' | 'standard';

export interface MailboxSearch {
	/** Message-IDs with angle brackets, as in the headers. */
	messageIds: readonly string[];
	/** Only messages that arrived on or after this day (IMAP SINCE); none = the whole mailbox. */
	since?: Date;
}

/** A message that may answer, or report on, one of the searched Message-IDs. */
export interface CandidateMessage {
	uid: number;
	/** The message as stored, cut after `MAX_SOURCE_BYTES` (replies are read from the start). */
	source: Buffer;
}

export interface OpenMailbox {
	path: SearchPath;
	/** The mailbox searched: Gmail's All Mail (by its \All flag), or the one named. */
	mailbox: string;
	/**
	 * Every message that could be a reply to, or a delivery report on, one of the Message-IDs.
	 * Batched: a few SEARCH and FETCH commands for all of them, whatever their number.
	 */
	candidates(search: MailboxSearch): Promise<CandidateMessage[]>;
	close(): Promise<void>;
}

export interface MailboxSettings {
	/** A mailbox to search instead of Gmail's All Mail / the server's \All mailbox / INBOX. */
	mailbox?: string;
	connectTimeoutMs?: number;
}

export const MAILBOX_DEFAULTS = {
	connectTimeoutMs: DEFAULT_CONNECT_TIMEOUT_SECONDS * 1000,
} as const;

// Message-IDs per SEARCH command: keeps each command line a few kilobytes long (servers limit
// them; Gmail's is about 10 KB), while a thousand items still take only 20 searches.
const IDS_PER_SEARCH = 50;
// UIDs per FETCH command, for the same reason.
const UIDS_PER_FETCH = 200;
// Replies are read from the start (their first lines, their headers), and a delivery report puts
// the returned headers before any returned attachment: large attachments are not downloaded.
const MAX_SOURCE_BYTES = 256 * 1024;
const SOCKET_TIMEOUT_MS = 60_000;

/**
 * Logs in over implicit TLS and opens the mailbox read-only (EXAMINE): nothing it does can mark a
 * message read, move or delete it; messages are read with BODY.PEEK. One connection for the whole
 * execution.
 */
export async function openMailbox(
	credentials: GmailSmtpCredentials,
	settings: MailboxSettings = {},
): Promise<OpenMailbox> {
	const timeout = settings.connectTimeoutMs ?? MAILBOX_DEFAULTS.connectTimeoutMs;
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
			ca: credentials.caCertificate ? [...rootCertificates, credentials.caCertificate] : undefined,
		},
		logger: false,
		// Nothing here waits for new mail: no IDLE between commands.
		disableAutoIdle: true,
		connectionTimeout: timeout,
		greetingTimeout: timeout,
		socketTimeout: SOCKET_TIMEOUT_MS,
	});
	// A connection that breaks later surfaces as the failing command's error; without a listener
	// the 'error' event would end the n8n process.
	client.on('error', () => undefined);
	try {
		await client.connect();
		const gmail = client.capabilities.has('X-GM-EXT-1');
		const mailbox = settings.mailbox?.trim() || (await allMailbox(client, gmail));
		await client.mailboxOpen(mailbox, { readOnly: true });
		return {
			path: gmail ? 'gmail' : 'standard',
			mailbox,
			candidates: (search) =>
				gmail ? gmailCandidates(client, search) : standardCandidates(client, search),
			close: () => logout(client),
		};
	} catch (error) {
		await logout(client);
		throw error;
	}
}

/**
 * Where a reply is kept whatever happened to it: Gmail's All Mail (archived replies included),
 * found by its \All flag because its name depends on the account's language ("[Gmail]/All Mail",
 * "[Gmail]/Alle Nachrichten", ...). Other servers: their \All mailbox if they have one, else INBOX.
 */
async function allMailbox(client: ImapFlow, gmail: boolean): Promise<string> {
	const mailboxes = await client.list();
	// imapflow also guesses special use from well-known names; only the server's own flag counts.
	const all = mailboxes.find(
		(entry) => entry.specialUse === '\\All' && entry.specialUseSource === 'extension',
	);
	if (all) return all.path;
	if (gmail) {
		throw configError(
			'All Mail is hidden from IMAP',
			'Gmail does not list its All Mail folder to IMAP for this account, so archived replies cannot be found. In Gmail: Settings → See all settings → Labels → All Mail → check "Show in IMAP"; or name a mailbox in the Mailbox option.',
		);
	}
	return 'INBOX';
}

/**
 * Gmail: `X-GM-RAW "rfc822msgid:..."` finds the sent messages, `X-GM-THRID` their conversations,
 * and every message of those conversations is a candidate (Gmail's own delivery reports are in
 * the conversation of the message that failed). Gmail's own documented route: its
 * `HEADER References` searches are known to miss.
 */
async function gmailCandidates(
	client: ImapFlow,
	{ messageIds, since }: MailboxSearch,
): Promise<CandidateMessage[]> {
	// The sent message is looked up by its ID in Gmail's index, however old it is; the window
	// applies to the answers.
	const sent = await searchInBatches(client, messageIds, undefined, (ids) => ({
		or: ids.map((id) => ({ gmraw: `rfc822msgid:${id.slice(1, -1)}` })),
	}));
	const threadIds = new Set<string>();
	for (const uids of chunks(sent, UIDS_PER_FETCH)) {
		for (const message of await client.fetchAll(uids, { threadId: true }, { uid: true })) {
			if (message.threadId) threadIds.add(message.threadId);
		}
	}
	const inThreads = await searchInBatches(client, [...threadIds], since, (threads) => ({
		or: threads.map((threadId) => ({ threadId })),
	}));
	return fetchSources(client, inThreads);
}

/**
 * Other servers: messages whose In-Reply-To or References holds one of the IDs, and delivery
 * reports (multipart/report) that mention one in their body, where the returned headers are.
 */
async function standardCandidates(
	client: ImapFlow,
	{ messageIds, since }: MailboxSearch,
): Promise<CandidateMessage[]> {
	const answers = await searchInBatches(client, messageIds, since, (ids) => ({
		or: ids.flatMap((id): SearchObject[] => [
			{ header: { 'in-reply-to': id } },
			{ header: { references: id } },
		]),
	}));
	const reports = await searchInBatches(client, messageIds, since, (ids) => ({
		header: { 'content-type': 'report' },
		or: ids.map((id) => ({ body: id })),
	}));
	return fetchSources(client, [...new Set([...answers, ...reports])]);
}

async function searchInBatches(
	client: ImapFlow,
	values: readonly string[],
	since: Date | undefined,
	criteria: (batch: string[]) => SearchObject,
): Promise<number[]> {
	const uids = new Set<number>();
	for (const batch of chunks(values, IDS_PER_SEARCH)) {
		const query: SearchObject = { ...criteria(batch) };
		if (since) query.since = since;
		for (const uid of (await client.search(query, { uid: true })) || []) uids.add(uid);
	}
	return [...uids].sort((a, b) => a - b);
}

async function fetchSources(client: ImapFlow, uids: number[]): Promise<CandidateMessage[]> {
	const messages: CandidateMessage[] = [];
	for (const batch of chunks(uids, UIDS_PER_FETCH)) {
		// `source` is fetched as BODY.PEEK[]: reading does not set \Seen.
		const fetched = await client.fetchAll(
			batch,
			{ uid: true, source: { start: 0, maxLength: MAX_SOURCE_BYTES } },
			{ uid: true },
		);
		for (const { uid, source } of fetched) if (source) messages.push({ uid, source });
	}
	return messages;
}

function chunks<T>(values: readonly T[], size: number): T[][] {
	const result: T[][] = [];
	for (let start = 0; start < values.length; start += size) {
		result.push(values.slice(start, start + size));
	}
	return result;
}

async function logout(client: ImapFlow): Promise<void> {
	try {
		if (client.usable) await client.logout();
	} catch {
		// Already gone: nothing was left open.
	} finally {
		client.close();
	}
}
