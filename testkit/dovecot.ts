// A real IMAP server (Debian's Dovecot) on a free loopback port, with implicit TLS from the test
// CA, password logins and maildirs in a temporary folder, for Check Replies and Bounces on
// standard IMAP (jest and real n8n). Installed with apt-get when missing, like redis-server;
// started as a child process with a configuration of its own: no system service, nothing mocked.
import { spawn } from 'node:child_process';
import {
	chmodSync,
	chownSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { connect as connectTls } from 'node:tls';

import { ensureDebianPackage, type Log } from './debianPackage';
import { reservePorts } from './freePort';
import { TEST_TLS, TLS_DIR } from './testTls';

const CANDIDATES = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'];
// Debian's pre-generated Diffie-Hellman parameters; Dovecot 2.3 wants some for its DHE ciphers.
const DEBIAN_DH = '/usr/share/dovecot/dh.pem';

export interface DovecotUser {
	user: string;
	password: string;
}

export interface DovecotTestServer {
	host: string;
	port: number;
	/**
	 * Dovecot's log: every login appears as an `imap-login: Login:` line (with its `session=<…>`),
	 * every logout as `imap(<user>)<pid><session>: … Logged out … deleted=0 expunged=0 …`.
	 */
	log(): string;
	/** Stops the server (SIGTERM: Dovecot's master stops its processes and exits). */
	stop(): Promise<void>;
}

function findDovecot(): string | undefined {
	return CANDIDATES.find((candidate) => existsSync(candidate));
}

/** The path of dovecot, installing Debian's dovecot-imapd first if needed. */
export function ensureDovecot(log: Log = (message) => console.error(`[imap] ${message}`)) {
	// Debian starts a system-wide Dovecot on 143/993 on install.
	return ensureDebianPackage({
		packageName: 'dovecot-imapd',
		find: findDovecot,
		service: 'dovecot',
		log,
	});
}

/** Whether a TLS handshake with the server succeeds and it sends its greeting. */
function greets(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connectTls({
			host: '127.0.0.1',
			port,
			ca: TEST_TLS.caCert,
			servername: 'localhost',
		});
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

function portAnswers(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connectTcp(port, '127.0.0.1');
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

interface MailOwner {
	user: string;
	uid: number;
	gid: number;
	group: string;
}

/** The unprivileged user that owns the mail (Dovecot refuses mail access as root). */
function mailOwner(): MailOwner {
	if (process.getuid && process.getuid() !== 0) {
		const { username, uid, gid } = userInfo();
		return { user: username, uid, gid, group: String(gid) };
	}
	const line = readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((entry) => entry.startsWith('nobody:'));
	if (!line) throw new Error('no user "nobody" in /etc/passwd to own the mail');
	const [, , uid, gid] = line.split(':');
	return { user: 'nobody', uid: Number(uid), gid: Number(gid), group: gid };
}

// Dovecot's mail_log plugin: every change to a message or mailbox, as one log line per event,
// with the session that made it.
const MAIL_LOG_EVENTS =
	'delete undelete expunge copy save flag_change mailbox_create mailbox_delete mailbox_rename';

function dovecotConfig(settings: {
	dir: string;
	port: number;
	owner: MailOwner;
	asRoot: boolean;
	mailLog: boolean;
}): string {
	const { dir, port, owner, asRoot, mailLog } = settings;
	const lines = [
		`base_dir = ${dir}/run`,
		`state_dir = ${dir}/state`,
		`log_path = ${dir}/dovecot.log`,
		`info_log_path = ${dir}/dovecot.log`,
		'protocols = imap',
		'listen = 127.0.0.1',
		'ssl = required',
		// Read by Dovecot's master as it starts, before it drops privileges.
		`ssl_cert = <${join(TLS_DIR, 'server.pem')}`,
		`ssl_key = <${join(TLS_DIR, 'server.key')}`,
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
	if (existsSync(DEBIAN_DH)) lines.push(`ssl_dh = <${DEBIAN_DH}`);
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
 * Starts Dovecot on 127.0.0.1 and a free port: IMAP with implicit TLS (the test certificate for
 * localhost / 127.0.0.1), password logins for `users` and their maildirs in a temporary folder.
 * Resolves once it greets over TLS. `mailLog`: the log also gets a line for every message saved,
 * copied, flagged, expunged or deleted, and every mailbox created, deleted or renamed
 * (`imap(<user>)<pid><session>: Info: flag_change: box=INBOX, uid=1, ...`).
 */
export async function startDovecot(
	users: DovecotUser[],
	options: { mailLog?: boolean } = {},
): Promise<DovecotTestServer> {
	const binary = ensureDovecot();
	// Below the ephemeral range: Dovecot binds it a moment later, in another process.
	const [port] = await reservePorts(1);
	const dir = mkdtempSync(join(tmpdir(), 'gmail-smtp-dovecot-'));
	const owner = mailOwner();
	const asRoot = Boolean(process.getuid && process.getuid() === 0);
	for (const sub of ['run', 'state', 'mail', 'home']) mkdirSync(join(dir, sub));
	const passwd = users.map(({ user, password }) => `${user}:{PLAIN}${password}::::::`);
	// Test passwords only: readable by Dovecot's auth process, which runs as its own user.
	writeFileSync(join(dir, 'passwd'), passwd.join('\n') + '\n', { mode: 0o644 });
	const mailLog = Boolean(options.mailLog);
	writeFileSync(join(dir, 'dovecot.conf'), dovecotConfig({ dir, port, owner, asRoot, mailLog }));
	// The temporary folder is private to its creator; the mail processes run as `owner`.
	chmodSync(dir, 0o755);
	for (const sub of ['mail', 'home']) chownSync(join(dir, sub), owner.uid, owner.gid);

	const child = spawn(binary, ['-F', '-c', join(dir, 'dovecot.conf')], {
		stdio: ['ignore', 'ignore', 'pipe'],
	});
	let stderr = '';
	child.stderr.on('data', (chunk) => (stderr += chunk));
	const exited = new Promise((resolve) => child.once('close', resolve));
	const logText = () => {
		try {
			return readFileSync(join(dir, 'dovecot.log'), 'utf8');
		} catch {
			return '';
		}
	};
	for (let tries = 0; ; tries++) {
		if (child.exitCode !== null) throw new Error(`dovecot exited: ${stderr}${logText()}`);
		if ((await portAnswers(port)) && (await greets(port))) break;
		if (tries > 200) {
			child.kill('SIGKILL');
			throw new Error(`dovecot did not greet on ${port}: ${stderr}${logText()}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	return {
		host: '127.0.0.1',
		port,
		log: logText,
		async stop() {
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
			await exited;
			rmSync(dir, { recursive: true, force: true });
		},
	};
}
