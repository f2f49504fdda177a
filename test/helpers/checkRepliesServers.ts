import { ImapFlow } from 'imapflow';

import { startDovecot } from '../../testkit/dovecot';
import { startImapFaultProxy, type ImapFaultProxy } from '../../testkit/imapFaultProxy';
import { startGmailImapServer } from './gmailImapServer';
import { ACCOUNT, crmScenario } from './mailboxFixtures';
import { TEST_APP_PASSWORD, TEST_CA } from './smtpTestServer';

/** A test IMAP server holding the CRM scenario's mailbox, reached through a fault proxy. */
export interface ScenarioMailServer {
	/** The proxy's port: the node connects there. */
	port: number;
	proxy: ImapFaultProxy;
	scenario: ReturnType<typeof crmScenario>;
	close(): Promise<void>;
}

export interface MailServerKind {
	name: string;
	/** Whether the server advertises X-GM-EXT-1. */
	gmail: boolean;
	start(): Promise<ScenarioMailServer>;
}

async function behindProxy(
	targetPort: number,
	scenario: ReturnType<typeof crmScenario>,
	stopTarget: () => Promise<void>,
): Promise<ScenarioMailServer> {
	const proxy = await startImapFaultProxy(targetPort);
	return {
		port: proxy.port,
		proxy,
		scenario,
		async close() {
			await proxy.close();
			await stopTarget();
		},
	};
}

/**
 * Debian's Dovecot (no X-GM-EXT-1): the sent messages in Sent, everything that came back in
 * INBOX, filled through IMAP APPEND.
 */
async function startDovecotScenario(): Promise<ScenarioMailServer> {
	const scenario = crmScenario();
	const dovecot = await startDovecot([{ user: ACCOUNT, password: TEST_APP_PASSWORD }]);
	const filler = new ImapFlow({
		host: '127.0.0.1',
		port: dovecot.port,
		secure: true,
		auth: { user: ACCOUNT, pass: TEST_APP_PASSWORD },
		tls: { ca: [TEST_CA] },
		logger: false,
	});
	await filler.connect();
	for (const { role, raw, arrived } of scenario.messages) {
		const sent = role === 'sent';
		await filler.append(sent ? 'Sent' : 'INBOX', raw, sent ? ['\\Seen'] : [], arrived);
	}
	await filler.logout();
	return behindProxy(dovecot.port, scenario, () => dovecot.stop());
}

/** The Gmail-like server (X-GM-EXT-1, All Mail under a German name, Gmail's own bounce). */
async function startGmailScenario(): Promise<ScenarioMailServer> {
	const scenario = crmScenario({ gmail: true });
	const server = await startGmailImapServer({
		user: ACCOUNT,
		password: TEST_APP_PASSWORD,
		messages: scenario.messages,
		allMailName: '[Gmail]/Alle Nachrichten',
	});
	return behindProxy(server.port, scenario, async () => {
		expect(server.exceptions).toEqual([]);
		await server.close();
	});
}

export const MAIL_SERVER_KINDS: MailServerKind[] = [
	{ name: 'Dovecot (standard IMAP)', gmail: false, start: startDovecotScenario },
	{ name: 'the Gmail-like server (X-GM-EXT-1)', gmail: true, start: startGmailScenario },
];
