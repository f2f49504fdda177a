'use strict';
// A loopback TCP proxy in front of a real IMAP server (Dovecot, the Gmail-like test server), for
// the tests of what Check Replies does when the server refuses or the connection fails. It ends
// the client's TLS with a test certificate, speaks TLS to the server, passes every byte through,
// and, for the commands a rule matches, makes the server's answer a NO or BAD, drops the
// connection right after the command went out, or swallows every answer from then on. Commands
// and answers are framed as IMAP frames them (lines, with {n} literals), so a rule sees a whole
// command, literals included.
const tls = require('node:tls');

const LITERAL_AT_END = /\{(\d+)\+?\}$/;

/**
 * Splits an IMAP byte stream into whole commands (client) or responses (server): a line, and when
 * it ends in a literal marker {n}, the n bytes after it and the line that continues it.
 * @param {(unit: { text: string, raw: Buffer }) => void} onUnit
 */
function imapFramer(onUnit) {
	let buffer = Buffer.alloc(0);
	let parts = [];
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
function logged(text) {
	const login = text.match(/^(\S+ (LOGIN|AUTHENTICATE)) /i);
	return login ? `${login[1]} ***` : text;
}

/**
 * Starts the proxy on 127.0.0.1 and a free port (or `port`).
 * @param {{ target: { port: number, host?: string, ca: string | Buffer },
 *   tls: { key: string | Buffer, cert: string | Buffer }, port?: number }} options
 */
async function startImapFaultProxy(options) {
	const rules = [];
	const sockets = new Set();
	const state = {
		port: 0,
		/** Every command the clients sent, whole (literals included, passwords masked). */
		commands: [],
		/** Client connections accepted. */
		connections: 0,
		/** Rules applied so far: `{ action, command }`. */
		applied: [],
	};

	const server = tls.createServer({ key: options.tls.key, cert: options.tls.cert }, (client) => {
		state.connections += 1;
		const upstream = tls.connect({
			host: options.target.host || '127.0.0.1',
			port: options.target.port,
			// Checked against 127.0.0.1, without SNI, as the node connects to an IP address.
			ca: options.target.ca,
		});
		sockets.add(client);
		sockets.add(upstream);
		// Answers are passed on a line at a time: without this, each small write after the first
		// waits for the client's delayed ACK (Nagle), some 40 ms per command.
		client.setNoDelay(true);
		upstream.setNoDelay(true);
		const refusing = new Map();
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
			state.commands.push(logged(text));
			const tag = text.split(' ', 1)[0];
			const rule = rules.find((candidate) => candidate.times > 0 && candidate.match.test(text));
			if (!rule) return;
			rule.times -= 1;
			state.applied.push({ action: rule.action, command: logged(text) });
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
		client.on('data', (chunk) => {
			// Passed on at once: the server must see a literal's marker before the client sends it.
			upstream.write(chunk);
			fromClient(chunk);
		});
		upstream.on('data', fromServer);
	});
	server.on('tlsClientError', () => undefined);
	await new Promise((resolve) => server.listen(options.port || 0, '127.0.0.1', resolve));
	state.port = server.address().port;

	const addRule = (action, match, { text = '', times = Number.POSITIVE_INFINITY } = {}) => {
		rules.push({ action, match, text, times });
	};
	return Object.assign(state, {
		/** The server's answer to matching commands becomes `<tag> NO <text>`. */
		refuseWithNo: (match, settings = {}) =>
			addRule('NO', match, { text: 'Server unavailable. (injected)', ...settings }),
		/** The server's answer to matching commands becomes `<tag> BAD <text>`. */
		refuseWithBad: (match, settings = {}) =>
			addRule('BAD', match, { text: 'Unknown argument (injected)', ...settings }),
		/** The connection closes as soon as a matching command has gone to the server. */
		dropOn: (match, settings = {}) => addRule('drop', match, settings),
		/** After a matching command, nothing more reaches the client: it has to time out. */
		stallOn: (match, settings = {}) => addRule('stall', match, settings),
		/** Forgets every rule and what was logged. */
		reset() {
			rules.length = 0;
			state.commands.length = 0;
			state.applied.length = 0;
			state.connections = 0;
		},
		close() {
			for (const socket of sockets) socket.destroy();
			return new Promise((resolve) => server.close(() => resolve()));
		},
	});
}

module.exports = { startImapFaultProxy, imapFramer };
