import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { fakeExecuteContext, jsonItems } from '../../testkit/fakeExecuteContext';
import { startGmailImapServer, type GmailImapServer } from '../helpers/gmailImapServer';
import { ACCOUNT, crmScenario } from '../helpers/mailboxFixtures';
import { imapCredentials, runCheckReplies, type CheckRepliesRun } from '../helpers/runCheckReplies';
import { TEST_APP_PASSWORD } from '../helpers/smtpTestServer';
import { GmailSmtp } from '../../nodes/GmailSmtp/GmailSmtp.node';

// Gmail's route, against a Gmail-like IMAP server (imap-core with X-GM-EXT-1: X-GM-RAW,
// X-GM-THRID, X-GM-MSGID, All Mail by its \All flag under a German name). What every server must
// get right (replies, bounces, refusals, broken connections) is in checkReplies.test.ts; here is
// what is Gmail's own: All Mail, conversations, the options, Gmail's login refusals.
const ALL_MAIL = '[Gmail]/Alle Nachrichten';

const run = (server: GmailImapServer, items: INodeExecutionData[], options: CheckRepliesRun = {}) =>
	runCheckReplies(server.port, items, options);

describe('Check Replies and Bounces on Gmail (X-GM-EXT-1)', () => {
	const scenario = crmScenario({ gmail: true });
	const { ids } = scenario;
	let server: GmailImapServer;

	beforeEach(async () => {
		server = await startGmailImapServer({
			user: ACCOUNT,
			password: TEST_APP_PASSWORD,
			messages: scenario.messages,
			allMailName: ALL_MAIL,
		});
	});
	afterEach(async () => {
		expect(server.exceptions).toEqual([]);
		await server.close();
	});

	it("uses Gmail's extensions on All Mail found by its \\All flag, read-only, in one login", async () => {
		await run(server, jsonItems({ messageId: ids.answered }, { messageId: ids.bounced }));

		expect(server.logins).toEqual([{ username: ACCOUNT, ok: true }]);
		expect(server.opened).toEqual([{ path: ALL_MAIL, readOnly: true }]);
		const commands = server.commands.map((line) => line.replace(/^\S+ /, ''));
		const searches = commands.filter((command) => command.startsWith('UID SEARCH'));
		expect(searches).toHaveLength(2);
		expect(searches[0]).toMatch(
			/X-GM-RAW "?rfc822msgid:3f1c8a2e-5b7d-4c0e-9a61-7d2b4e8f0c11@example.com/,
		);
		expect(searches[1]).toMatch(/X-GM-THRID \d+/);
		expect(searches.join(' ')).not.toMatch(/HEADER/);
		// Nothing that changes the mailbox, and bodies are read with PEEK.
		expect(commands.join('\n')).not.toMatch(
			/^(SELECT|STORE|UID STORE|COPY|MOVE|UID MOVE|EXPUNGE|APPEND)/m,
		);
		expect(commands.filter((c) => c.includes('FETCH')).join('\n')).not.toMatch(/BODY\[/);
		for (const { raw } of scenario.messages) {
			const id = raw.match(/^Message-ID: (\S+)/m)![1];
			expect(server.flagsOf(id)).not.toContain('\\Seen');
		}
	});

	it('the time window only searches answers that arrived in the last days', async () => {
		const [answered] = await run(server, jsonItems({ messageId: ids.answered }), {
			checkOptions: { searchDays: 4 },
		});
		// Ada answered 5 days ago, Charles 3 days ago; the message itself went out 6 days ago.
		expect((answered.json.replies as IDataObject[]).map((reply) => reply.from)).toEqual([
			'charles@lead.example',
		]);
		const threadSearch = server.commands.find((line) => /UID SEARCH .*X-GM-THRID/.test(line));
		expect(threadSearch).toMatch(/SINCE \d{1,2}-[A-Z][a-z]{2}-\d{4}/);
	});

	it('Count Auto-Replies as Replies makes the out-of-office a reply', async () => {
		const [away] = await run(server, jsonItems({ messageId: ids.away }), {
			checkOptions: { countAutoReplies: true },
		});
		expect(away.json).toMatchObject({ replied: true, autoReplied: true });
		expect(away.json.replies).toEqual(away.json.autoReplies);
	});

	it('Own Addresses: an answer from a send-as alias of the account is not a reply', async () => {
		const [answered] = await run(server, jsonItems({ messageId: ids.answered }), {
			checkOptions: { ownAddresses: 'Charles@Lead.example, sales@example.com' },
		});
		expect((answered.json.replies as IDataObject[]).map((reply) => reply.from)).toEqual([
			'ada@lead.example',
		]);
	});

	it("each item gets its own copy: two items with one Message-ID don't share their output", async () => {
		const output = await run(
			server,
			jsonItems({ messageId: ids.answered }, { messageId: ids.answered.slice(1, -1) }),
		);
		expect(output[1].json).toEqual(output[0].json);
		(output[0].json.replies as IDataObject[]).length = 0;
		output[0].json.replied = false;
		expect(output[1].json.replied).toBe(true);
		expect(output[1].json.replies).toHaveLength(2);
	});
});

describe('Check Replies and Bounces on Gmail: bad input and refused logins', () => {
	const scenario = crmScenario({ gmail: true });
	let server: GmailImapServer;
	afterEach(() => server?.close());

	const start = async (options: Partial<Parameters<typeof startGmailImapServer>[0]> = {}) => {
		server = await startGmailImapServer({
			user: ACCOUNT,
			password: TEST_APP_PASSWORD,
			messages: scenario.messages,
			...options,
		});
	};

	it.each([
		['no Message-ID', {}, 'Message ID missing'],
		['an empty one', { messageId: '  ' }, 'Message ID missing'],
		['one that is not a Message-ID', { messageId: 'hello world' }, 'Invalid Message ID'],
		['a number', { messageId: 42 }, 'Invalid Message ID'],
		['two IDs', { messageId: '<a@b> <c@d>' }, 'Invalid Message ID'],
	])('an item with %s fails naming the item, before any login', async (_, json, title) => {
		await start();
		const { context } = fakeExecuteContext({
			parameters: {
				operation: 'checkReplies',
				messageId: (_: number, item: INodeExecutionData) => item.json.messageId,
			},
			items: jsonItems({ messageId: scenario.ids.answered }, json as IDataObject),
			credentials: imapCredentials(server.port),
		});
		const error = await new GmailSmtp().execute.call(context).catch((caught: unknown) => caught);
		expect(error).toMatchObject({ message: title, context: { itemIndex: 1 } });
		expect(server.logins).toEqual([]);
	});

	it('with Continue On Fail, the bad item becomes an error item and the others are checked', async () => {
		await start();
		const output = await run(
			server,
			jsonItems({ messageId: 'not-an-id' }, { messageId: scenario.ids.answered }, {}),
			{ continueOnFail: true },
		);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json).toEqual({
			error: expect.objectContaining({ message: 'Invalid Message ID', kind: 'input' }),
		});
		expect(output[1].json).toMatchObject({ replied: true });
		expect(output[2].json).toEqual({
			error: expect.objectContaining({ message: 'Message ID missing', kind: 'input' }),
		});
	});

	it('a wrong App Password: the IMAP login hint (IMAP access, App Password, Workspace policy), no secret', async () => {
		await start();
		const wrong = 'zyxwvutsrqponmlk';
		const error = await run(server, jsonItems({ messageId: scenario.ids.answered }), {
			credentials: { appPassword: wrong },
		}).catch((caught: unknown) => caught as Error & { description: string });
		expect(error).toMatchObject({ message: 'IMAP login not accepted', context: { itemIndex: 0 } });
		const text = `${(error as Error).message} ${(error as { description: string }).description}`;
		expect(text).toMatch(/Forwarding and POP\/IMAP/);
		expect(text).toMatch(/POP and IMAP access/);
		expect(text).toMatch(/App Password/);
		expect(text).toMatch(/Invalid credentials/);
		expect(text).not.toContain(wrong);
	});

	it("Gmail's [ALERT] for an account without IMAP: the same hint and Gmail's words, for every item with Continue On Fail", async () => {
		await start({
			refuseLogin: {
				code: 'ALERT',
				text: 'Your account is not enabled for IMAP use. Please visit your Gmail settings page and enable your account for IMAP access. (Failure)',
			},
		});
		const output = await run(
			server,
			jsonItems({ messageId: scenario.ids.answered }, { messageId: scenario.ids.away }),
			{ continueOnFail: true },
		);
		for (const item of output) {
			expect(item.json.error).toMatchObject({
				message: 'IMAP login not accepted',
				kind: 'auth',
				description: expect.stringMatching(
					/not enabled for IMAP use[\s\S]*|Forwarding and POP\/IMAP/,
				),
			});
		}
		expect(String((output[0].json.error as IDataObject).description)).toContain(
			'not enabled for IMAP use',
		);
		expect(server.logins).toHaveLength(1);
	});

	it('All Mail hidden from IMAP: says where to show it', async () => {
		await start({ hideAllMail: true });
		await expect(
			run(server, jsonItems({ messageId: scenario.ids.answered })),
		).rejects.toMatchObject({
			message: 'All Mail is hidden from IMAP',
			description: expect.stringMatching(/Show in IMAP/),
		});
	});
});
