import type { SearchObject } from 'imapflow';

import { connectTimeoutMs } from '../defaults';
import { MINUTE_MS } from '../durations';
import { configError } from '../errors/GmailSmtpError';
import type { GmailSmtpCredentials } from './gmailSmtpCredentials';
import { ImapSession, concernsCommand } from './imapSession';
import { batchesOf, chunks, runIsolating } from './isolatingBatches';

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
	/** The Message-IDs whose search found it: those it may answer or report on. */
	concerns: string[];
}

export interface Candidates {
	/** Every message found that may answer or report on one of the Message-IDs searched. */
	messages: CandidateMessage[];
	/**
	 * The Message-IDs whose search did not complete, each with its error: the server refused it
	 * (also when searched alone), the connection broke or timed out during it, or a message found
	 * for it could not be read. Nothing is known about them, so their reports must not be built.
	 */
	failed: Map<string, unknown>;
}

export interface OpenMailbox {
	path: SearchPath;
	/** The mailbox searched: Gmail's All Mail (by its \All flag), or the one named. */
	mailbox: string;
	/**
	 * Batched: a few SEARCH and FETCH commands for all of the Message-IDs, whatever their number.
	 * A batch that fails for a reason of its own is searched again one Message-ID at a time. Throws
	 * only for failures that concern the whole account (a refused login, throttling, a connection
	 * that keeps breaking).
	 */
	candidates(search: MailboxSearch): Promise<Candidates>;
	close(): Promise<void>;
}

export interface MailboxSettings {
	/** A mailbox to search instead of Gmail's All Mail / the server's \All mailbox / INBOX. */
	mailbox?: string;
	connectTimeoutMs?: number;
	/** How long a command may wait for the server's next byte before the connection is dropped. */
	socketTimeoutMs?: number;
	/** New logins allowed when the connection breaks during the searches. */
	maxReconnects?: number;
}

export const MAILBOX_DEFAULTS = {
	connectTimeoutMs: connectTimeoutMs(undefined),
	socketTimeoutMs: MINUTE_MS,
	maxReconnects: 3,
} as const;

// Message-IDs per SEARCH command, and their characters in all: keeps each command line a few
// kilobytes long (servers limit them; Gmail's is about 10 KB), while a thousand items still take
// only 20 searches.
const IDS_PER_SEARCH = 50;
const ID_CHARACTERS_PER_SEARCH = 4000;
// UIDs per FETCH command, for the same reason.
const UIDS_PER_FETCH = 200;
// Replies are read from the start (their first lines, their headers), and a delivery report puts
// the returned headers before any returned attachment: large attachments are not downloaded.
const MAX_SOURCE_BYTES = 256 * 1024;

/**
 * Logs in over implicit TLS and opens the mailbox read-only (EXAMINE): nothing it does can mark a
 * message read, move or delete it; messages are read with BODY.PEEK. One connection for the whole
 * execution (and a new login only when it breaks).
 */
export async function openMailbox(
	credentials: GmailSmtpCredentials,
	settings: MailboxSettings = {},
): Promise<OpenMailbox> {
	const session = await ImapSession.connect(credentials, {
		connectTimeoutMs: settings.connectTimeoutMs ?? MAILBOX_DEFAULTS.connectTimeoutMs,
		socketTimeoutMs: settings.socketTimeoutMs ?? MAILBOX_DEFAULTS.socketTimeoutMs,
		maxReconnects: settings.maxReconnects ?? MAILBOX_DEFAULTS.maxReconnects,
	});
	try {
		// Gmail's search keys only where the server says it has them.
		const gmail = session.capabilities.has('X-GM-EXT-1');
		const mailbox = settings.mailbox?.trim() || (await allMailbox(session, gmail));
		await session.examine(mailbox);
		return {
			path: gmail ? 'gmail' : 'standard',
			mailbox,
			candidates: (search) =>
				gmail ? gmailCandidates(session, search) : standardCandidates(session, search),
			close: () => session.close(),
		};
	} catch (error) {
		await session.close();
		throw error;
	}
}

/**
 * Where a reply is kept whatever happened to it: Gmail's All Mail (archived replies included),
 * found by its \All flag because its name depends on the account's language ("[Gmail]/All Mail",
 * "[Gmail]/Alle Nachrichten", ...). Other servers: their \All mailbox if they have one, else INBOX.
 */
async function allMailbox(session: ImapSession, gmail: boolean): Promise<string> {
	const mailboxes = await session.list();
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

/** Which searched Message-IDs each message found may concern, and which ones failed. */
class SearchLedger {
	readonly failed = new Map<string, unknown>();
	readonly found = new Map<number, Set<string>>();

	fail(ids: Iterable<string>, error: unknown): void {
		for (const id of ids) if (!this.failed.has(id)) this.failed.set(id, error);
	}

	add(uid: number, ids: Iterable<string>): void {
		const concerned = this.found.get(uid) ?? new Set<string>();
		for (const id of ids) concerned.add(id);
		this.found.set(uid, concerned);
	}

	live(ids: readonly string[]): string[] {
		return ids.filter((id) => !this.failed.has(id));
	}
}

/**
 * Searches for each batch of `keys` and records every UID found with the Message-IDs it may
 * concern (`idsOf` the batch that found it); a key whose search fails alone fails its IDs.
 */
async function searchEach(
	session: ImapSession,
	ledger: SearchLedger,
	keys: readonly string[],
	query: (batch: string[]) => SearchObject,
	idsOf: (key: string) => Iterable<string>,
	record: (uid: number, ids: string[]) => void = (uid, ids) => ledger.add(uid, ids),
): Promise<void> {
	const found = await runIsolating(
		batchesOf(keys, IDS_PER_SEARCH, ID_CHARACTERS_PER_SEARCH),
		async (batch) => (await session.search(query(batch))).map((uid) => ({ uid, batch })),
		concernsCommand,
		(key, error) => ledger.fail(idsOf(key), error),
	);
	for (const { uid, batch } of found)
		record(
			uid,
			batch.flatMap((key) => [...idsOf(key)]),
		);
}

/**
 * Gmail: `X-GM-RAW "rfc822msgid:..."` finds the sent messages, `X-GM-THRID` their conversations,
 * and every message of those conversations is a candidate (Gmail's own delivery reports are in
 * the conversation of the message that failed). Gmail's own documented route: its
 * `HEADER References` searches are known to miss.
 */
async function gmailCandidates(
	session: ImapSession,
	{ messageIds, since }: MailboxSearch,
): Promise<Candidates> {
	const ledger = new SearchLedger();
	// The sent message is looked up by its ID in Gmail's index, however old it is; the window
	// applies to the answers.
	const sent = new Map<number, string[]>();
	await searchEach(
		session,
		ledger,
		messageIds,
		(ids) => ({ or: ids.map((id) => ({ gmraw: `rfc822msgid:${id.slice(1, -1)}` })) }),
		(id) => [id],
		(uid, ids) => sent.set(uid, ids),
	);
	const idsOfThread = new Map<string, Set<string>>();
	const fetched = await runIsolating(
		chunks([...sent.keys()], UIDS_PER_FETCH),
		(uids) => session.fetch(uids, { uid: true, threadId: true, envelope: true }),
		concernsCommand,
		(uid, error) => ledger.fail(sent.get(uid) ?? [], error),
	);
	for (const { uid, threadId, envelope } of fetched) {
		if (!threadId) continue;
		const searched = sent.get(uid) ?? [];
		// The message's own ID, when it is one of its batch; else any ID of the batch may be its.
		const own = envelope?.messageId;
		const ids = own && searched.includes(own) ? [own] : searched;
		const concerned = idsOfThread.get(threadId) ?? new Set<string>();
		for (const id of ids) concerned.add(id);
		idsOfThread.set(threadId, concerned);
	}
	await searchEach(
		session,
		ledger,
		[...idsOfThread.keys()],
		(threads) => withSince({ or: threads.map((threadId) => ({ threadId })) }, since),
		(threadId) => idsOfThread.get(threadId) ?? [],
	);
	return fetchSources(session, ledger);
}

/**
 * Other servers: messages whose In-Reply-To or References holds one of the IDs, and delivery
 * reports (multipart/report) that mention one in their body, where the returned headers are.
 */
async function standardCandidates(
	session: ImapSession,
	{ messageIds, since }: MailboxSearch,
): Promise<Candidates> {
	const ledger = new SearchLedger();
	const self = (id: string) => [id];
	await searchEach(
		session,
		ledger,
		messageIds,
		(ids) =>
			withSince(
				{
					or: ids.flatMap((id): SearchObject[] => [
						{ header: { 'in-reply-to': id } },
						{ header: { references: id } },
					]),
				},
				since,
			),
		self,
	);
	await searchEach(
		session,
		ledger,
		ledger.live(messageIds),
		(ids) =>
			withSince(
				{ header: { 'content-type': 'report' }, or: ids.map((id) => ({ body: id })) },
				since,
			),
		self,
	);
	return fetchSources(session, ledger);
}

function withSince(query: SearchObject, since: Date | undefined): SearchObject {
	return since ? { ...query, since } : query;
}

/**
 * Reads the messages found, except those whose every Message-ID already failed. A message that
 * cannot be read fails the IDs it may concern: it could be the reply to one of them.
 */
async function fetchSources(session: ImapSession, ledger: SearchLedger): Promise<Candidates> {
	const uids = [...ledger.found.entries()]
		.filter(([, ids]) => [...ids].some((id) => !ledger.failed.has(id)))
		.map(([uid]) => uid)
		.sort((a, b) => a - b);
	const fetched = await runIsolating(
		chunks(uids, UIDS_PER_FETCH),
		// `source` is fetched as BODY.PEEK[]: reading does not set \Seen.
		(batch) =>
			session.fetch(batch, { uid: true, source: { start: 0, maxLength: MAX_SOURCE_BYTES } }),
		concernsCommand,
		(uid, error) => ledger.fail(ledger.found.get(uid) ?? [], error),
	);
	const messages: CandidateMessage[] = [];
	for (const { uid, source } of fetched) {
		const concerns = [...(ledger.found.get(uid) ?? [])];
		if (source) messages.push({ uid, source, concerns });
		else ledger.fail(concerns, new Error(`the server sent message ${uid} without its content`));
	}
	return { messages, failed: ledger.failed };
}
