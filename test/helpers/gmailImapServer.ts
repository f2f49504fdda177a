import type { AddressInfo, Socket } from 'node:net';
import { simpleParser } from 'mailparser';

import { TEST_TLS } from '../../testkit/testTls';
import type { StoredMessageFixture } from './mailboxFixtures';

/*
 * A small Gmail-like IMAP server for the tests of Check Replies and Bounces. The protocol (TLS,
 * command parsing, LOGIN/AUTHENTICATE, LIST, EXAMINE/SELECT, SEARCH, FETCH and their responses)
 * is WildDuck's imap-core, the IMAP server library of the team that maintains imapflow. No
 * packaged server speaks Gmail's extensions, so this file adds the ones the node uses, as Gmail
 * documents them (developers.google.com/gmail/imap/imap-extensions):
 *
 * - the capability `X-GM-EXT-1`;
 * - `X-GM-RAW "rfc822msgid:..."` in SEARCH (other Gmail search operators are refused, so a change
 *   in what the node asks shows up as a failing test, not as a silently empty result);
 * - `X-GM-THRID` in SEARCH and FETCH, and `X-GM-MSGID` in FETCH (imapflow asks for it);
 * - All Mail under a localised name with the `\All` flag, Gmail-style labels as mailboxes;
 * - like Gmail, `HEADER` searches find nothing: Gmail is known to miss References in them.
 *
 * Threads are formed as Gmail forms conversations from In-Reply-To and References.
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports -- imap-core is plain CommonJS without types
const imapCore = require('@zone-eu/wildduck/imap-core') as {
	IMAPServer: new (options: Record<string, unknown>) => ImapCoreServer;
	imapHandler: { compileStream(response: unknown): NodeJS.ReadableStream };
};
// eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
const imapTools = require('@zone-eu/wildduck/imap-core/lib/imap-tools') as {
	searchSchema: Record<string, unknown>;
	fetchSchema: Record<string, unknown>;
	sendCapabilityResponse(connection: { send(line: string): void }): void;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
const { matchSearchQuery } = require('@zone-eu/wildduck/imap-core/lib/search') as {
	matchSearchQuery(
		message: CoreMessage,
		query: SearchTerm[],
		callback: (error: Error | null, match: boolean) => void,
	): void;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
const parseMimeTree = require('@zone-eu/wildduck/imap-core/lib/indexer/parse-mime-tree') as (
	raw: Buffer,
) => unknown;

// eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
const wildDuckErrors = require('@zone-eu/wildduck/lib/errors') as {
	setGelf(handler: { emit(channel: string, message: { _error?: string }): void }): void;
};

type Callback = (error: Error | null, result?: unknown, extra?: unknown) => void;

interface ImapCoreServer {
	server: {
		address(): AddressInfo | string | null;
		on(event: 'connection', listener: (socket: Socket) => void): void;
	};
	notifier: unknown;
	onAuth(login: { username: string; password: string }, session: unknown, callback: Callback): void;
	onList(query: string, session: unknown, callback: Callback): void;
	onLsub(query: string, session: unknown, callback: Callback): void;
	onOpen(path: string, session: unknown, callback: Callback): void;
	onStatus(path: string, session: unknown, callback: Callback): void;
	onSearch(path: string, options: { query: SearchTerm[] }, session: unknown, cb: Callback): void;
	onFetch(path: string, options: FetchOptions, session: CoreSession, callback: Callback): void;
	on(event: 'error', listener: (error: Error) => void): void;
	listen(port: number, host: string, callback: () => void): void;
	close(callback: () => void): void;
}

interface CoreSession {
	selected?: { readOnly?: boolean };
	getQueryResponse(query: FetchItem[], message: CoreMessage): unknown[];
	formatResponse(
		command: 'FETCH',
		uid: number,
		data: { query: FetchItem[]; values: unknown[] },
	): unknown;
	writeStream: { write(stream: NodeJS.ReadableStream, done: () => void): void };
}

interface FetchItem {
	item: string;
}

interface FetchOptions {
	query: FetchItem[];
	messages: number[];
	markAsSeen: boolean;
}

interface SearchTerm {
	key: string;
	value?: unknown;
}

/** A message as imap-core reads it, plus Gmail's ids. */
interface CoreMessage {
	uid: number;
	flags: string[];
	modseq: number;
	idate: Date;
	mimeTree: unknown;
	raw: Buffer;
	messageId: string;
	gmailMessageId: string;
	gmailThreadId: string;
}

interface Folder {
	path: string;
	specialUse?: string;
	messages: CoreMessage[];
}

export interface GmailImapServerOptions {
	user: string;
	password: string;
	messages: StoredMessageFixture[];
	/** All Mail's name, in the account's language. */
	allMailName?: string;
	/** Leave All Mail out of LIST, as Gmail does when "Show in IMAP" is off for it. */
	hideAllMail?: boolean;
	/** Refuse every login with this response code and text (e.g. Gmail's `[ALERT]` for IMAP off). */
	refuseLogin?: { code: string; text: string };
}

export interface GmailImapServer {
	port: number;
	/** Every command the clients sent, as imap-core logs it (passwords masked). */
	commands: string[];
	/** Logins attempted, and whether they succeeded. */
	logins: Array<{ username: string; ok: boolean }>;
	/** Whether a mailbox was opened read-write (SELECT) or read-only (EXAMINE), in order. */
	opened: Array<{ path: string; readOnly: boolean }>;
	/** The flags of the message with this Message-ID, in All Mail. */
	flagsOf(messageId: string): string[];
	/** The X-GM-THRID Gmail gave the message with this Message-ID. */
	threadOf(messageId: string): string;
	/** Exceptions imap-core reported while handling commands (none is expected). */
	exceptions: string[];
	close(): Promise<void>;
}

let extensionsInstalled = false;

/** Teaches imap-core's command tables the Gmail search and fetch items, and the capability. */
function installGmailExtensions(): void {
	if (extensionsInstalled) return;
	extensionsInstalled = true;
	imapTools.searchSchema['x-gm-raw'] = ['string'];
	imapTools.searchSchema['x-gm-thrid'] = ['number'];
	imapTools.fetchSchema['x-gm-thrid'] = true;
	imapTools.fetchSchema['x-gm-msgid'] = true;
	const sendCapabilities = imapTools.sendCapabilityResponse;
	imapTools.sendCapabilityResponse = (connection) => {
		// imap-core writes the list with one `send`; Gmail's capability is added to that line.
		const send = connection.send;
		connection.send = (line: string) => send.call(connection, `${line} X-GM-EXT-1`);
		try {
			sendCapabilities(connection);
		} finally {
			connection.send = send;
		}
	};
}

/** A Gmail-like IMAP server on 127.0.0.1:0 with TLS from the test CA and one account. */
export async function startGmailImapServer(
	options: GmailImapServerOptions,
): Promise<GmailImapServer> {
	installGmailExtensions();
	const allMail: Folder = {
		path: options.allMailName ?? '[Gmail]/All Mail',
		specialUse: '\\All',
		messages: await storeMessages(options.messages),
	};
	const byRole = (roles: string[]) =>
		allMail.messages.filter((_, index) => roles.includes(options.messages[index].role));
	// Gmail shows a message in every label it has; INBOX and Sent Mail are labels too.
	const folders = new Map<string, Folder>(
		[
			{
				path: 'INBOX',
				specialUse: '\\Inbox',
				messages: byRole([
					'reply',
					'deepReply',
					'outOfOffice',
					'bounce',
					'forgedBounce',
					'quoting',
					'other',
				]),
			},
			{ path: '[Gmail]/Sent Mail', specialUse: '\\Sent', messages: byRole(['sent']) },
			...(options.hideAllMail ? [] : [allMail]),
		].map((folder) => [folder.path, folder]),
	);

	const state: GmailImapServer = {
		port: 0,
		commands: [],
		logins: [],
		opened: [],
		flagsOf: (messageId) => find(allMail, messageId).flags,
		threadOf: (messageId) => find(allMail, messageId).gmailThreadId,
		exceptions: [],
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
	const logger = {
		info: () => undefined,
		error: () => undefined,
		debug: (_meta: unknown, format: string, _id: string, payload: unknown) => {
			if (format === '[%s] C:' && payload) state.commands.push(String(payload));
		},
	};
	const server = new imapCore.IMAPServer({
		secure: true,
		key: TEST_TLS.serverKey,
		cert: TEST_TLS.serverCert,
		logger,
		id: { name: 'GImap', vendor: 'Google, Inc.' },
	});
	// A notifier for other sessions' changes: there are none, nothing here writes.
	server.notifier = {
		addListener: () => undefined,
		removeListener: () => undefined,
		releaseConnection: () => undefined,
		getUpdates: (...args: unknown[]) => (args[args.length - 1] as Callback)(null, []),
	};
	server.on('error', () => undefined);
	// imap-core reports a failed command's exception to WildDuck's log handler (the console by
	// default); the tests look at them instead.
	wildDuckErrors.setGelf({
		emit: (_channel, message) => state.exceptions.push(String(message._error ?? '')),
	});

	server.onAuth = (login, _session, callback) => {
		const ok = login.username === options.user && login.password === options.password;
		state.logins.push({ username: login.username, ok: ok && !options.refuseLogin });
		// Gmail's answer when IMAP is off for the account, or not allowed by the Workspace admin.
		if (options.refuseLogin) {
			const { code, text } = options.refuseLogin;
			return callback(Object.assign(new Error(`[${code}] ${text}`), { response: 'NO' }));
		}
		// No user: imap-core answers `NO [AUTHENTICATIONFAILED] Invalid credentials`, as Gmail does.
		if (!ok) return callback(null);
		callback(null, { user: { id: login.username, username: login.username } });
	};
	server.onList = (_query, _session, callback) => callback(null, folders);
	server.onLsub = (_query, _session, callback) => callback(null, folders);
	server.onOpen = (path, session, callback) => {
		const folder = folders.get(path);
		if (!folder) return callback(null, 'NONEXISTENT');
		// EXAMINE or SELECT: imap-core sets `readOnly` just after this answer.
		setImmediate(() => {
			const selected = (session as CoreSession).selected;
			state.opened.push({ path, readOnly: Boolean(selected && selected.readOnly) });
		});
		callback(null, {
			_id: folder.path,
			specialUse: folder.specialUse,
			uidValidity: 1,
			uidNext: folder.messages.length + 1,
			modifyIndex: 1,
			uidList: folder.messages.map((message) => message.uid),
		});
	};
	server.onStatus = (path, _session, callback) => {
		const folder = folders.get(path);
		if (!folder) return callback(null, 'NONEXISTENT');
		callback(null, {
			messages: folder.messages.length,
			uidNext: folder.messages.length + 1,
			uidValidity: 1,
			highestModseq: 1,
			unseen: folder.messages.filter((message) => !message.flags.includes('\\Seen')).length,
		});
	};
	server.onSearch = (path, { query }, _session, callback) => {
		const folder = folders.get(path)!;
		Promise.all(folder.messages.map((message) => matchesAll(message, query)))
			.then((matches) =>
				callback(null, {
					uidList: folder.messages.filter((_, index) => matches[index]).map((m) => m.uid),
					highestModseq: 1,
				}),
			)
			.catch((error: Error) => callback(error));
	};
	server.onFetch = (path, fetch, session, callback) => {
		const folder = folders.get(path)!;
		const messages = folder.messages.filter((message) => fetch.messages.includes(message.uid));
		// A FETCH of BODY[] without PEEK on a mailbox opened with SELECT marks messages read, as
		// on Gmail: the tests look at the flags afterwards.
		if (fetch.markAsSeen) {
			for (const message of messages) {
				if (!message.flags.includes('\\Seen')) message.flags.push('\\Seen');
			}
		}
		const writeNext = (index: number) => {
			if (index >= messages.length) return callback(null, true);
			const message = messages[index];
			const values = session.getQueryResponse(fetch.query, message);
			fetch.query.forEach((item, position) => {
				if (item.item === 'x-gm-thrid') values[position] = message.gmailThreadId;
				if (item.item === 'x-gm-msgid') values[position] = message.gmailMessageId;
			});
			const response = session.formatResponse('FETCH', message.uid, { query: fetch.query, values });
			session.writeStream.write(imapCore.imapHandler.compileStream(response), () =>
				writeNext(index + 1),
			);
		};
		writeNext(0);
	};

	// imap-core writes a response in several small pieces; without this each round trip waits
	// for the client's delayed ACK (about 40 ms).
	server.server.on('connection', (socket: Socket) => socket.setNoDelay(true));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	state.port = (server.server.address() as AddressInfo).port;
	return state;
}

function find(folder: Folder, messageId: string): CoreMessage {
	const message = folder.messages.find((entry) => entry.messageId === messageId);
	if (!message) throw new Error(`no message ${messageId} on the Gmail test server`);
	return message;
}

/** Stores the messages in arrival order with Gmail's ids; conversations from the thread headers. */
async function storeMessages(fixtures: StoredMessageFixture[]): Promise<CoreMessage[]> {
	const threadOfId = new Map<string, string>();
	const messages: CoreMessage[] = [];
	for (const [index, fixture] of fixtures.entries()) {
		const raw = Buffer.from(fixture.raw);
		const parsed = await simpleParser(raw);
		const related = [parsed.inReplyTo ?? [], parsed.references ?? []]
			.flat()
			.flatMap((value) => value.match(/<[^<>\s]+>/g) ?? []);
		const known = related.map((id) => threadOfId.get(id)).find(Boolean);
		const gmailMessageId = String(1_790_000_000_000_000_000n + BigInt(index + 1));
		const gmailThreadId = known ?? gmailMessageId;
		if (parsed.messageId) threadOfId.set(parsed.messageId, gmailThreadId);
		for (const id of related) if (!threadOfId.has(id)) threadOfId.set(id, gmailThreadId);
		messages.push({
			uid: index + 1,
			flags: [],
			modseq: 1,
			idate: fixture.arrived,
			mimeTree: parseMimeTree(raw),
			raw,
			messageId: parsed.messageId ?? '',
			gmailMessageId,
			gmailThreadId,
		});
	}
	return messages;
}

async function matchesAll(message: CoreMessage, terms: unknown[]): Promise<boolean> {
	for (const term of terms) if (!(await matches(message, term))) return false;
	return true;
}

async function matches(message: CoreMessage, term: unknown): Promise<boolean> {
	if (Array.isArray(term)) return matchesAll(message, term);
	const { key, value } = term as SearchTerm;
	switch (key) {
		case 'x-gm-raw':
			return gmailRaw(message, String(value));
		case 'x-gm-thrid':
			return message.gmailThreadId === String(value);
		case 'or':
			for (const option of value as unknown[]) if (await matches(message, option)) return true;
			return false;
		case 'not':
			return !(await matches(message, value));
		case 'header':
			// Gmail's HEADER searches are known to miss (References above all); the node must not
			// depend on them there.
			return false;
		default:
			return new Promise((resolve, reject) =>
				matchSearchQuery(message, [term as SearchTerm], (error, match) =>
					error ? reject(error) : resolve(match),
				),
			);
	}
}

/** Gmail's search syntax, as far as the node uses it: `rfc822msgid:` (with or without <>). */
function gmailRaw(message: CoreMessage, query: string): boolean {
	return query
		.trim()
		.split(/\s+/)
		.every((word) => {
			const id = word.match(/^rfc822msgid:<?([^<>\s]+?)>?$/i)?.[1];
			if (!id) throw new Error(`the Gmail test server only knows rfc822msgid:, not "${word}"`);
			return message.messageId === `<${id}>`;
		});
}
