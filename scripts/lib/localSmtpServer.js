'use strict';
// An SMTP server on 127.0.0.1 that behaves like Gmail's submission ports for what the node
// relies on: TLS from the first byte (465) or STARTTLS before AUTH (587), AUTH required,
// and the same "Username and Password not accepted" answer to a bad login. It also counts the
// TCP connections open at once, to check a connection budget from the server's side.
const { simpleParser } = require('mailparser');
const { SMTPServer } = require('smtp-server');

const LOCAL_USER = 'demo.sender@example.com';
const LOCAL_APP_PASSWORD = 'demoappxpassword';

/**
 * `users`: further accounts that may log in (with the same App Password), as separate Gmail
 * accounts would: the node keeps one budget per account.
 * @param {{ security: 'tls' | 'starttls', tls: { serverKey: string, serverCert: string },
 *   port?: number, users?: string[] }} options
 */
async function startLocalSmtpServer(options) {
	const messages = [];
	const users = new Set([LOCAL_USER, ...(options.users || [])]);
	const connections = { open: 0, max: 0 };
	const server = new SMTPServer({
		secure: options.security === 'tls',
		key: options.tls.serverKey,
		cert: options.tls.serverCert,
		name: 'smtp.local.test',
		banner: 'local Gmail-like submission server',
		authMethods: ['PLAIN', 'LOGIN'],
		authOptional: false,
		allowInsecureAuth: false,
		logger: false,
		onAuth(auth, _session, callback) {
			if (users.has(auth.username) && auth.password === LOCAL_APP_PASSWORD) {
				return callback(null, { user: auth.username });
			}
			const error = new Error('5.7.8 Username and Password not accepted');
			error.responseCode = 535;
			callback(error);
		},
		onData(stream, session, callback) {
			const chunks = [];
			stream.on('data', (chunk) => chunks.push(chunk));
			stream.on('end', () => {
				// The moment the message reached the server, before parsing takes its own time.
				const receivedAt = Date.now();
				const raw = Buffer.concat(chunks);
				simpleParser(raw)
					.then((parsed) => {
						const message = {
							envelope: {
								from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
								to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
							},
							messageId: parsed.messageId,
							receivedAt,
							raw,
							parsed,
						};
						messages.push(message);
						// A hook that returns a promise is awaited before the server answers, as a real
						// server files a message before it accepts it: whatever the hook does (e.g. put a
						// reply into a mailbox) has happened once the sender sees 250.
						return Promise.resolve(handle.onMessage && handle.onMessage(message));
					})
					.then(() => callback(null, `2.0.0 OK ${messages.length} - local`))
					.catch(callback);
			});
		},
	});
	// Raw TCP sockets, counted when accepted: before TLS, the greeting or a login.
	server.server.on('connection', (socket) => {
		connections.open++;
		connections.max = Math.max(connections.max, connections.open);
		socket.once('close', () => connections.open--);
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port || 0, '127.0.0.1', resolve);
	});
	const port = server.server.address().port;
	const handle = {
		host: '127.0.0.1',
		port,
		security: options.security,
		messages,
		/** TCP connections open now. */
		get openConnections() {
			return connections.open;
		},
		/** The most TCP connections that were open at the same moment since the server started. */
		get maxOpenConnections() {
			return connections.max;
		},
		/** Called with each received message, if set; a returned promise delays the 250 answer. */
		onMessage: undefined,
		close: () => new Promise((resolve) => server.close(resolve)),
	};
	return handle;
}

/** Data of a `gmailSmtpApi` credential that logs in to a local server and trusts its CA. */
function localCredentialData(server, caCert) {
	return {
		user: LOCAL_USER,
		appPassword: LOCAL_APP_PASSWORD,
		host: server.host,
		port: server.port,
		security: server.security,
		fromName: 'Acme Shop (demo)',
		dailyLimit: 500,
		caCertificate: caCert,
		allowUnauthorizedCerts: false,
		clientHostname: '',
	};
}

module.exports = { startLocalSmtpServer, localCredentialData, LOCAL_USER, LOCAL_APP_PASSWORD };
