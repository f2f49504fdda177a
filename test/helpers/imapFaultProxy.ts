import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- shared with the scripts, which are plain CommonJS
const { startImapFaultProxy: start } = require('../../scripts/lib/imapFaultProxy') as {
	startImapFaultProxy(options: {
		target: { port: number; host?: string; ca: string | Buffer };
		tls: { key: string | Buffer; cert: string | Buffer };
	}): Promise<ImapFaultProxy>;
};

interface RuleSettings {
	/** The server's words after NO / BAD. */
	text?: string;
	/** How many matching commands the rule applies to (default: all). */
	times?: number;
}

export interface ImapFaultProxy {
	port: number;
	/** Every command the clients sent, whole (literals included; LOGIN passwords masked). */
	commands: string[];
	/** Client connections accepted (each one a login). */
	connections: number;
	/** The rules applied so far, with the command each one hit. */
	applied: Array<{ action: string; command: string }>;
	refuseWithNo(match: RegExp, settings?: RuleSettings): void;
	refuseWithBad(match: RegExp, settings?: RuleSettings): void;
	dropOn(match: RegExp, settings?: RuleSettings): void;
	stallOn(match: RegExp, settings?: RuleSettings): void;
	reset(): void;
	close(): Promise<void>;
}

const TLS_DIR = join(__dirname, '..', 'fixtures', 'tls');

/**
 * A proxy on a loopback port in front of a test IMAP server (TLS with the test CA on both sides)
 * that turns the server's answer to chosen commands into NO or BAD, or breaks the connection.
 */
export function startImapFaultProxy(targetPort: number): Promise<ImapFaultProxy> {
	return start({
		target: { port: targetPort, ca: readFileSync(join(TLS_DIR, 'ca.pem')) },
		tls: {
			key: readFileSync(join(TLS_DIR, 'server.key')),
			cert: readFileSync(join(TLS_DIR, 'server.pem')),
		},
	});
}
