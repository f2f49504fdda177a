'use strict';
// A real IMAP server (Debian's Dovecot) on a free loopback port, with implicit TLS from the test
// CA, a password login and a maildir in a temporary folder, for the tests of Check Replies and
// Bounces on standard IMAP. Installed with apt-get when missing, like redis-server; started as a
// child process with a configuration of its own: no system service, nothing mocked.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const tls = require('node:tls');

const { ensureDebianPackage } = require('./debianPackage');
const { reservePorts } = require('./freePort');

const CANDIDATES = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'];
const TLS_DIR = path.join(__dirname, '..', '..', 'test', 'fixtures', 'tls');
// Debian's pre-generated Diffie-Hellman parameters; Dovecot 2.3 wants some for its DHE ciphers.
const DEBIAN_DH = '/usr/share/dovecot/dh.pem';

function findDovecot() {
	for (const candidate of CANDIDATES) if (fs.existsSync(candidate)) return candidate;
	return undefined;
}

/** The path of dovecot, installing Debian's dovecot-imapd first if needed. */
function ensureDovecot(log = (message) => console.error(`[imap] ${message}`)) {
	// Debian starts a system-wide Dovecot on 143/993 on install.
	return ensureDebianPackage({
		packageName: 'dovecot-imapd',
		find: findDovecot,
		service: 'dovecot',
		log,
	});
}

/** Resolves once a TLS handshake with the server succeeds and it sends its greeting. */
function greets(port, ca) {
	return new Promise((resolve) => {
		const socket = tls.connect({ host: '127.0.0.1', port, ca, servername: 'localhost' });
		socket.setTimeout(1000);
		socket.once('data', (data) => {
			socket.destroy();
			resolve(data.toString().startsWith('* OK'));
		});
		socket.once('error', () => resolve(false));
		socket.once('timeout', () => {
			socket.destroy();
			resolve(false);
		});
	});
}

function portAnswers(port) {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

/** The unprivileged user that owns the mail (Dovecot refuses mail access as root). */
function mailOwner() {
	if (process.getuid && process.getuid() !== 0) {
		const { username, uid, gid } = os.userInfo();
		return { user: username, uid, gid, group: String(gid) };
	}
	const line = fs
		.readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((entry) => entry.startsWith('nobody:'));
	const [, , uid, gid] = line.split(':');
	return { user: 'nobody', uid: Number(uid), gid: Number(gid), group: gid };
}

// Dovecot's mail_log plugin: every change to a message or mailbox, as one log line per event,
// with the session that made it.
const MAIL_LOG_EVENTS =
	'delete undelete expunge copy save flag_change mailbox_create mailbox_delete mailbox_rename';

function dovecotConfig({ dir, port, owner, asRoot, mailLog, certFile, keyFile }) {
	const lines = [
		`base_dir = ${dir}/run`,
		`state_dir = ${dir}/state`,
		`log_path = ${dir}/dovecot.log`,
		`info_log_path = ${dir}/dovecot.log`,
		'protocols = imap',
		'listen = 127.0.0.1',
		'ssl = required',
		`ssl_cert = <${certFile}`,
		`ssl_key = <${keyFile}`,
		'ssl_min_protocol = TLSv1.2',
		'disable_plaintext_auth = yes',
		'auth_mechanisms = plain login',
		'auth_verbose = yes',
		`mail_location = maildir:${dir}/mail/%u`,
		`first_valid_uid = ${owner.uid}`,
		`first_valid_gid = ${owner.gid}`,
		'mail_privileged_group =',
		'passdb {',
		'  driver = passwd-file',
		`  args = scheme=PLAIN username_format=%u ${dir}/passwd`,
		'}',
		'userdb {',
		'  driver = static',
		`  args = uid=${owner.uid} gid=${owner.gid} home=${dir}/home/%u`,
		'}',
		'namespace inbox {',
		'  inbox = yes',
		'  separator = /',
		'  mailbox Sent {',
		'    special_use = \\Sent',
		'    auto = create',
		'  }',
		'}',
		'service imap-login {',
		'  inet_listener imap {',
		'    port = 0',
		'  }',
		'  inet_listener imaps {',
		`    port = ${port}`,
		'    ssl = yes',
		'  }',
		'}',
		'service anvil {',
		'  chroot =',
		'}',
		'service imap-login {',
		'  chroot =',
		'}',
		'service stats {',
		'  chroot =',
		'}',
	];
	if (fs.existsSync(DEBIAN_DH)) lines.push(`ssl_dh = <${DEBIAN_DH}`);
	if (mailLog) {
		lines.push(
			'mail_plugins = $mail_plugins notify mail_log',
			'plugin {',
			`  mail_log_events = ${MAIL_LOG_EVENTS}`,
			'  mail_log_fields = uid box msgid flags',
			'}',
		);
	}
	if (!asRoot) {
		// Run every process as the current user: there is no root to drop privileges from.
		lines.push(`default_internal_user = ${owner.user}`, `default_login_user = ${owner.user}`);
		lines.push(`default_internal_group = ${owner.group}`);
	}
	return lines.join('\n') + '\n';
}

/**
 * Starts Dovecot on 127.0.0.1 and a free port: IMAP with implicit TLS (the test CA's certificate
 * for localhost / 127.0.0.1), password logins for the given users and their maildirs in a
 * temporary folder. Resolves once it greets over TLS. `mailLog`: the log also gets a line for
 * every message saved, copied, flagged, expunged or deleted, and every mailbox created, deleted
 * or renamed (`imap(<user>)<pid><session>: Info: flag_change: box=INBOX, uid=1, ...`). `tls`:
 * a server certificate (for localhost / 127.0.0.1) and its CA instead of test/fixtures/tls, e.g.
 * generateTestCa()'s, so that one CA serves an SMTP and this IMAP server, as at Gmail.
 * @param {{ users: Array<{ user: string, password: string }>, port?: number, mailLog?: boolean,
 *   tls?: { serverKey: string, serverCert: string, caCert: string } }} options
 */
async function startImapServer(options) {
	const binary = ensureDovecot();
	// Below the ephemeral range: Dovecot binds it a moment later, in another process.
	const port = options.port || (await reservePorts(1))[0];
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gmail-smtp-dovecot-'));
	const owner = mailOwner();
	const asRoot = Boolean(process.getuid && process.getuid() === 0);
	for (const sub of ['run', 'state', 'mail', 'home']) fs.mkdirSync(path.join(dir, sub));
	const passwd = options.users.map(({ user, password }) => `${user}:{PLAIN}${password}::::::`);
	// Test passwords only: readable by Dovecot's auth process, which runs as its own user.
	fs.writeFileSync(path.join(dir, 'passwd'), passwd.join('\n') + '\n', { mode: 0o644 });
	let certFile = path.join(TLS_DIR, 'server.pem');
	let keyFile = path.join(TLS_DIR, 'server.key');
	if (options.tls) {
		// Read by Dovecot's master as it starts, before it drops privileges.
		certFile = path.join(dir, 'server.pem');
		keyFile = path.join(dir, 'server.key');
		fs.writeFileSync(certFile, options.tls.serverCert);
		fs.writeFileSync(keyFile, options.tls.serverKey, { mode: 0o600 });
	}
	const mailLog = Boolean(options.mailLog);
	fs.writeFileSync(
		path.join(dir, 'dovecot.conf'),
		dovecotConfig({ dir, port, owner, asRoot, mailLog, certFile, keyFile }),
	);
	// The temporary folder is private to its creator; the mail processes run as `owner`.
	fs.chmodSync(dir, 0o755);
	for (const sub of ['mail', 'home']) fs.chownSync(path.join(dir, sub), owner.uid, owner.gid);

	const child = spawn(binary, ['-F', '-c', path.join(dir, 'dovecot.conf')], {
		stdio: ['ignore', 'ignore', 'pipe'],
	});
	let stderr = '';
	child.stderr.on('data', (chunk) => (stderr += chunk));
	const exited = new Promise((resolve) => child.once('close', resolve));
	const logText = () => {
		try {
			return fs.readFileSync(path.join(dir, 'dovecot.log'), 'utf8');
		} catch {
			return '';
		}
	};
	const ca = options.tls ? options.tls.caCert : fs.readFileSync(path.join(TLS_DIR, 'ca.pem'));
	for (let tries = 0; ; tries++) {
		if (child.exitCode !== null) throw new Error(`dovecot exited: ${stderr}${logText()}`);
		if ((await portAnswers(port)) && (await greets(port, ca))) break;
		if (tries > 200) {
			child.kill('SIGKILL');
			throw new Error(`dovecot did not greet on ${port}: ${stderr}${logText()}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	return {
		host: '127.0.0.1',
		port,
		/**
		 * Dovecot's log: every login appears as an `imap-login: Login:` line (with its `session=<…>`),
		 * every logout as `imap(<user>)<pid><session>: … Logged out … deleted=0 expunged=0 …`.
		 */
		log: logText,
		/** Stops the server (SIGTERM: Dovecot's master stops its processes and exits). */
		async stop() {
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
			await exited;
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

module.exports = { ensureDovecot, startImapServer };
