'use strict';
// An SMTP server on 127.0.0.1 that behaves like Gmail's submission ports for what the node
// relies on: TLS from the first byte (465) or STARTTLS before AUTH (587), AUTH required,
// and the same "Username and Password not accepted" answer to a bad login.
const { simpleParser } = require('mailparser');
const { SMTPServer } = require('smtp-server');

const LOCAL_USER = 'demo.sender@example.com';
const LOCAL_APP_PASSWORD = 'demoappxpassword';

/**
 * @param {{ security: 'tls' | 'starttls', tls: { serverKey: string, serverCert: string },
 *   port?: number }} options
 */
async function startLocalSmtpServer(options) {
	const messages = [];
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
			if (auth.username === LOCAL_USER && auth.password === LOCAL_APP_PASSWORD) {
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
				const raw = Buffer.concat(chunks);
				simpleParser(raw)
					.then((parsed) => {
						messages.push({
							envelope: {
								from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
								to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
							},
							messageId: parsed.messageId,
							raw,
							parsed,
						});
						if (handle.onMessage) handle.onMessage(messages[messages.length - 1]);
						callback(null, `2.0.0 OK ${messages.length} - local`);
					})
					.catch(callback);
			});
		},
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
		/** Called with each received message, if set. */
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
