// A loopback TCP proxy in front of a real IMAP server (Dovecot, the Gmail-like test server), for
// the tests of what Check Replies does when the server refuses or the connection fails. It ends
// the client's TLS with the test certificate, speaks TLS to the server, passes every byte through,
// and, for the commands a rule matches, makes the server's answer a NO or BAD, drops the
// connection right after the command went out, or swallows every answer from then on. Commands
// and answers are framed as IMAP frames them (lines, with {n} literals), so a rule sees a whole
// command, literals included.
import type { AddressInfo } from 'node:net';
import { connect, createServer, type TLSSocket } from 'node:tls';

import { TEST_TLS } from './testTls';

const LITERAL_AT_END = /\{(\d+)\+?\}$/;

interface ImapUnit {
	text: string;
	raw: Buffer;
}

/**
 * Splits an IMAP byte stream into whole commands (client) or responses (server): a line, and when
 * it ends in a literal marker {n}, the n bytes after it and the line that continues it.
 */
export function imapFramer(onUnit: (unit: ImapUnit) => void): (chunk: Buffer) => void {
	let buffer = Buffer.alloc(0);
	let parts: Buffer[] = [];
	let literal = 0;
	return (chunk) => {
		buffer = Buffer.concat([buffer, chunk]);
		for (;;) {
			if (literal > 0) {
				if (buffer.length < literal) return;
				parts.push(buffer.subarray(0, literal));
				buffer = buffer.subarray(literal);
				literal = 0;
				continue;
			}
			const end = buffer.indexOf('\r\n');
			if (end < 0) return;
			const line = buffer.subarray(0, end + 2);
			buffer = buffer.subarray(end + 2);
			parts.push(line);
			const marker = line.toString('latin1', 0, end).match(LITERAL_AT_END);
			if (marker) {
				literal = Number(marker[1]);
				continue;
			}
			const raw = Buffer.concat(parts);
			parts = [];
			onUnit({ text: raw.toString('latin1').replace(/\r\n$/, ''), raw });
		}
	};
}

/** What the log shows of a command: no password of a LOGIN or AUTHENTICATE. */
function logged(text: string): string {
	const login = text.match(/^(\S+ (LOGIN|AUTHENTICATE)) /i);
	return login ? `${login[1]} ***` : text;
}

interface RuleSettings {
	/** The server's words after NO / BAD. */
	text?: string;
	/** How many matching commands the rule applies to (default: all). */
	times?: number;
}

type RuleAction = 'NO' | 'BAD' | 'drop' | 'stall';

interface Rule {
	action: RuleAction;
	match: RegExp;
	text: string;
	times: number;
}

export interface ImapFaultProxy {
	port: number;
	/** Every command the clients sent, whole (literals included; LOGIN passwords masked). */
	commands: string[];
	/** Client connections accepted (each one a login). */
	connections: number;
	/** The rules applied so far, with the command each one hit. */
	applied: Array<{ action: string; command: string }>;
	/** The server's answer to matching commands becomes `<tag> NO <text>`. */
	refuseWithNo(match: RegExp, settings?: RuleSettings): void;
	/** The server's answer to matching commands becomes `<tag> BAD <text>`. */
	refuseWithBad(match: RegExp, settings?: RuleSettings): void;
	/** The connection closes as soon as a matching command has gone to the server. */
	dropOn(match: RegExp, settings?: RuleSettings): void;
	/** After a matching command, nothing more reaches the client: it has to time out. */
	stallOn(match: RegExp, settings?: RuleSettings): void;
	/** Forgets every rule and what was logged. */
	reset(): void;
	close(): Promise<void>;
}

/**
 * Starts the proxy on 127.0.0.1 and a free port (or `port`), in front of the IMAP server on
 * `targetPort` (TLS with the test CA on both sides).
 */
export async function startImapFaultProxy(
	targetPort: number,
	{ port = 0 }: { port?: number } = {},
): Promise<ImapFaultProxy> {
	const rules: Rule[] = [];
	const sockets = new Set<TLSSocket>();
	const commands: string[] = [];
	const applied: Array<{ action: string; command: string }> = [];
	let connections = 0;

	const server = createServer({ key: TEST_TLS.serverKey, cert: TEST_TLS.serverCert }, (client) => {
		connections += 1;
		const upstream = connect({
			host: '127.0.0.1',
			port: targetPort,
			// Checked against 127.0.0.1, without SNI, as the node connects to an IP address.
			ca: TEST_TLS.caCert,
		});
		sockets.add(client);
		sockets.add(upstream);
		// Answers are passed on a line at a time: without this, each small write after the first
		// waits for the client's delayed ACK (Nagle), some 40 ms per command.
		client.setNoDelay(true);
		upstream.setNoDelay(true);
		const refusing = new Map<string, Rule>();
		let stalled = false;
		const end = () => {
			client.destroy();
			upstream.destroy();
		};
		for (const socket of [client, upstream]) {
			socket.on('error', end);
			socket.on('close', () => {
				sockets.delete(socket);
				end();
			});
		}
		const fromClient = imapFramer(({ text }) => {
			commands.push(logged(text));
			const tag = text.split(' ', 1)[0];
			const rule = rules.find((candidate) => candidate.times > 0 && candidate.match.test(text));
			if (!rule) return;
			rule.times -= 1;
			applied.push({ action: rule.action, command: logged(text) });
			if (rule.action === 'drop') end();
			else if (rule.action === 'stall') stalled = true;
			else refusing.set(tag, rule);
		});
		const fromServer = imapFramer(({ text, raw }) => {
			if (stalled || client.destroyed) return;
			const tag = text.split(' ', 1)[0];
			const rule = refusing.get(tag);
			if (rule && /^\S+ (OK|NO|BAD)\b/i.test(text)) {
				refusing.delete(tag);
				client.write(`${tag} ${rule.action} ${rule.text}\r\n`);
				return;
			}
			// A refused search has no results.
			if (refusing.size > 0 && /^\* E?SEARCH\b/i.test(text)) return;
			client.write(raw);
		});
		client.on('data', (chunk: Buffer) => {
			// Passed on at once: the server must see a literal's marker before the client sends it.
			upstream.write(chunk);
			fromClient(chunk);
		});
		upstream.on('data', fromServer);
	});
	server.on('tlsClientError', () => undefined);
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));

	const addRule = (action: RuleAction, match: RegExp, settings: RuleSettings & { text: string }) =>
		rules.push({ action, match, text: settings.text, times: settings.times ?? Infinity });
	return {
		port: (server.address() as AddressInfo).port,
		commands,
		get connections() {
			return connections;
		},
		applied,
		refuseWithNo: (match, settings = {}) =>
			addRule('NO', match, { text: 'Server unavailable. (injected)', ...settings }),
		refuseWithBad: (match, settings = {}) =>
			addRule('BAD', match, { text: 'Unknown argument (injected)', ...settings }),
		dropOn: (match, settings = {}) => addRule('drop', match, { text: '', ...settings }),
		stallOn: (match, settings = {}) => addRule('stall', match, { text: '', ...settings }),
		reset() {
			rules.length = 0;
			commands.length = 0;
			applied.length = 0;
			connections = 0;
		},
		close() {
			for (const socket of sockets) socket.destroy();
			return new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
