import { ImapFlow } from 'imapflow';
import type { INodeExecutionData } from 'n8n-workflow';

import { DAY_MS } from '../../nodes/GmailSmtp/durations';
import { readMessage } from '../../nodes/GmailSmtp/replies/readMessage';
import { readGmailSmtpCredentials } from '../../nodes/GmailSmtp/transport/gmailSmtpCredentials';
import { openMailbox, type Candidates } from '../../nodes/GmailSmtp/transport/imapMailbox';
import { jsonItems } from '../../testkit/fakeExecuteContext';
import { startDovecot, type DovecotTestServer } from '../../testkit/dovecot';
import { ACCOUNT, crmScenario } from '../helpers/mailboxFixtures';
import { replyMessage } from '../../testkit/mailboxMessages';
import { imapCredentials, runCheckReplies, type CheckRepliesRun } from '../helpers/runCheckReplies';
import { TEST_APP_PASSWORD, TEST_CA } from '../helpers/smtpTestServer';

// The standard route (no X-GM-EXT-1: HEADER and BODY searches) against a real IMAP server:
// Debian's Dovecot on a loopback port, TLS from the test CA, a password login, and a mailbox
// filled through IMAP APPEND with the messages a CRM sequence leaves behind. What every server must
// get right (replies, bounces, refusals, broken connections) is in checkReplies.test.ts; here is
// what only a standard server has: other mailboxes, the time window, its own login and TLS errors.
const scenario = crmScenario();
const { ids } = scenario;
const OLD_REPLY_ID = '<old-reply-1@lead.example>';
const ARCHIVED_REPLY_ID = '<archived-reply-1@lead.example>';

let dovecot: DovecotTestServer;

function client(pass = TEST_APP_PASSWORD) {
	return new ImapFlow({
		host: '127.0.0.1',
		port: dovecot.port,
		secure: true,
		auth: { user: ACCOUNT, pass },
		tls: { ca: [TEST_CA] },
		logger: false,
	});
}

const run = (items: INodeExecutionData[], options: CheckRepliesRun = {}) =>
	runCheckReplies(dovecot.port, items, options);

const logins = () => (dovecot.log().match(/imap-login: Info: Login: /g) ?? []).length;

beforeAll(async () => {
	dovecot = await startDovecot([{ user: ACCOUNT, password: TEST_APP_PASSWORD }]);
	const filler = client();
	await filler.connect();
	await filler.mailboxCreate('Archive');
	for (const { role, raw, arrived } of scenario.messages) {
		await filler.append(
			role === 'sent' ? 'Sent' : 'INBOX',
			raw,
			role === 'sent' ? ['\\Seen'] : [],
			arrived,
		);
	}
	// An answer that arrived 40 days ago: outside the default 30-day window.
	const fortyDaysAgo = new Date(Date.now() - 40 * DAY_MS);
	await filler.append(
		'INBOX',
		replyMessage({
			messageId: OLD_REPLY_ID,
			inReplyTo: ids.silent,
			references: [ids.silent],
			from: 'Alan Turing <alan@quiet.example>',
			date: fortyDaysAgo,
			text: 'Sorry, only saw this now.',
		}),
		[],
		fortyDaysAgo,
	);
	// An answer the user filed away in another mailbox.
	await filler.append(
		'Archive',
		replyMessage({
			messageId: ARCHIVED_REPLY_ID,
			inReplyTo: ids.away,
			references: [ids.away],
			from: 'Grace Hopper <grace@away.example>',
			date: new Date(),
			text: 'Back now: yes, please send the contract.',
		}),
		[],
		new Date(),
	);
	await filler.logout();
}, 120_000);

afterAll(() => dovecot?.stop());

describe('Check Replies and Bounces on a standard IMAP server (Dovecot): mailboxes and errors', () => {
	it('reads without changing anything: no message marked read, nothing moved, in one login', async () => {
		const before = logins();
		await run(jsonItems({ messageId: ids.answered }, { messageId: ids.bounced }));
		expect(logins() - before).toBe(1);

		const reader = client();
		await reader.connect();
		try {
			await reader.mailboxOpen('INBOX', { readOnly: true });
			const inbox = await reader.fetchAll('1:*', { flags: true, envelope: true });
			expect(inbox).toHaveLength(scenario.messages.filter((m) => m.role !== 'sent').length + 1);
			for (const message of inbox) expect([...message.flags!]).not.toContain('\\Seen');
		} finally {
			await reader.logout();
		}
	});

	it('the time window leaves out answers older than Search Last Days; 0 searches the whole mailbox', async () => {
		const [windowed] = await run(jsonItems({ messageId: ids.silent }));
		expect(windowed.json).toMatchObject({ replied: false });
		const [everything] = await run(jsonItems({ messageId: ids.silent }), {
			checkOptions: { searchDays: 0 },
		});
		expect(everything.json).toMatchObject({
			replied: true,
			replies: [{ messageId: OLD_REPLY_ID, text: 'Sorry, only saw this now.' }],
		});
	});

	it('Mailbox: searches the mailbox named instead of INBOX', async () => {
		const [away] = await run(jsonItems({ messageId: ids.away }), {
			checkOptions: { mailbox: 'Archive' },
		});
		expect(away.json).toMatchObject({
			replied: true,
			replies: [{ messageId: ARCHIVED_REPLY_ID, from: 'grace@away.example' }],
			autoReplied: false,
		});
	});

	it('a mailbox that does not exist: says so, naming it', async () => {
		await expect(
			run(jsonItems({ messageId: ids.away }), { checkOptions: { mailbox: 'Archiv' } }),
		).rejects.toMatchObject({
			message: 'Mailbox not found',
			description: expect.stringContaining('"Archiv"'),
		});
	});

	it('a wrong password: the IMAP login hint, with Continue On Fail on every item', async () => {
		const output = await run(jsonItems({ messageId: ids.answered }, { messageId: ids.away }), {
			credentials: { appPassword: 'wrongwrongwrongw' },
			continueOnFail: true,
		});
		for (const item of output) {
			expect(item.json.error).toMatchObject({
				message: 'IMAP login not accepted',
				kind: 'auth',
				description: expect.stringContaining('POP and IMAP access'),
			});
			expect(JSON.stringify(item.json)).not.toContain('wrongwrongwrongw');
		}
	});

	it('a server certificate from an unknown CA: refused, with the CA Certificate hint', async () => {
		await expect(
			run(jsonItems({ messageId: ids.answered }), { credentials: { caCertificate: '' } }),
		).rejects.toMatchObject({
			message: 'IMAP server certificate not trusted',
			description: expect.stringContaining('CA Certificate'),
		});
	});

	it("Dovecot's own refusal (BAD Too long argument) of a 70,000-character ID, searched past the node's length check: only that ID fails, with Dovecot's words", async () => {
		const huge = `<${'x'.repeat(70_000)}@example.com>`;
		const mailbox = await openMailbox(readGmailSmtpCredentials(imapCredentials(dovecot.port)));
		let candidates: Candidates;
		try {
			candidates = await mailbox.candidates({ messageIds: [ids.answered, huge, ids.bounced] });
		} finally {
			await mailbox.close();
		}
		expect([...candidates.failed.keys()]).toEqual([huge]);
		expect(candidates.failed.get(huge)).toMatchObject({
			command: 'SEARCH',
			responseStatus: 'BAD',
			responseText: expect.stringMatching(/Too long argument/),
		});
		const found = await Promise.all(candidates.messages.map(({ source }) => readMessage(source)));
		expect(found.map((message) => message.messageId)).toEqual(
			expect.arrayContaining([scenario.replyId, '<20261104070000.B7E2F1C0A4@mx.example.org>']),
		);
	});

	it('IMAP port 143 (plain text first) is refused before connecting', async () => {
		await expect(
			run(jsonItems({ messageId: ids.answered }), { credentials: { imapPort: 143 } }),
		).rejects.toMatchObject({ message: 'IMAP port 143 is not supported' });
	});

	it('a reply that cannot be read as an email (more MIME parts than mailparser takes) fails the item it answers, never "no reply"; the others of its search are answered', async () => {
		const parts = Array.from({ length: 1200 }, () => '--p\r\nContent-Type: text/plain\r\n\r\nx');
		const damaged = [
			'From: Alan Turing <alan@quiet.example>',
			`To: ${ACCOUNT}`,
			'Subject: Re: Your quote',
			`Date: ${new Date().toUTCString()}`,
			'Message-ID: <damaged-reply@quiet.example>',
			`In-Reply-To: ${ids.silent}`,
			`References: ${ids.silent}`,
			'MIME-Version: 1.0',
			'Content-Type: multipart/mixed; boundary=p',
			'',
			...parts,
			'--p--',
			'',
		].join('\r\n');
		const mailbox = client();
		await mailbox.connect();
		const appended = await mailbox.append('INBOX', damaged);
		try {
			const checked = [ids.answered, ids.silent, ids.bounced];
			const output = await run(jsonItems(...checked.map((messageId) => ({ messageId }))), {
				continueOnFail: true,
			});

			expect(output.map((item) => item.pairedItem)).toEqual([
				{ item: 0 },
				{ item: 1 },
				{ item: 2 },
			]);
			expect(output[0].json).toMatchObject({ messageId: ids.answered, replied: true });
			expect(output[1].json).toEqual({
				error: expect.objectContaining({
					message: 'A message found could not be read',
					description: expect.stringContaining('Max allowed child nodes exceeded'),
				}),
			});
			expect(output[2].json).toMatchObject({ messageId: ids.bounced, bounced: true });
		} finally {
			await mailbox.mailboxOpen('INBOX');
			if (appended) await mailbox.messageDelete(String(appended.uid), { uid: true });
			await mailbox.logout();
		}
	});
});
