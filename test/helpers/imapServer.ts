// eslint-disable-next-line @typescript-eslint/no-require-imports -- shared with the scripts, which are plain CommonJS
const { startImapServer: start } = require('../../scripts/lib/imapServer') as {
	startImapServer(options: {
		users: Array<{ user: string; password: string }>;
		port?: number;
	}): Promise<DovecotTestServer>;
};

export interface DovecotTestServer {
	host: string;
	port: number;
	/** Dovecot's log: each login is an `imap-login: Login:` line. */
	log(): string;
	stop(): Promise<void>;
}

/**
 * A real Dovecot (Debian's dovecot-imapd, installed by the test setup) on a free loopback port:
 * implicit TLS with the test CA, password logins, a maildir in a temporary folder.
 */
export function startDovecot(users: Array<{ user: string; password: string }>) {
	return start({ users });
}
