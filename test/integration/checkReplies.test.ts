import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { MAIL_SERVER_KINDS, type ScenarioMailServer } from '../helpers/checkRepliesServers';
import { readMessage } from '../../nodes/GmailSmtp/replies/readMessage';
import { readGmailSmtpCredentials } from '../../nodes/GmailSmtp/transport/gmailSmtpCredentials';
import { openMailbox, type Candidates } from '../../nodes/GmailSmtp/transport/imapMailbox';
import { jsonItems } from '../../testkit/fakeExecuteContext';
import { nothingAbout } from '../helpers/mailboxFixtures';
import { imapCredentials, runCheckReplies } from '../helpers/runCheckReplies';

// What every server must get right, run against both: Debian's Dovecot (standard IMAP searches)
// and the Gmail-like server (X-GM-RAW, X-GM-THRID), each behind a loopback proxy that can turn
// the server's answer to chosen commands into NO or BAD, or break the connection.

const unique = (messageId: string) => new RegExp(messageId.slice(1, 9));

describe.each(MAIL_SERVER_KINDS)('Check Replies and Bounces on $name', (kind) => {
	let server: ScenarioMailServer;
	let ids: ScenarioMailServer['scenario']['ids'];
	/** Every scenario Message-ID, in the order the fault tests send them. */
	let all: string[];
	/** What the node answers for each of them when nothing goes wrong. */
	let answers: Map<string, IDataObject>;

	const run = (items: INodeExecutionData[], options: { continueOnFail?: boolean } = {}) =>
		runCheckReplies(server.port, items, options);
	const items = (messageIds: string[]) =>
		jsonItems(...messageIds.map((messageId) => ({ messageId })));
	const searches = () => server.proxy.commands.filter((command) => / UID SEARCH /.test(command));

	beforeAll(async () => {
		server = await kind.start();
		ids = server.scenario.ids;
		all = [ids.answered, ids.away, ids.bounced, ids.silent, ids.spoofed];
		const output = await run(items(all));
		answers = new Map(all.map((messageId, index) => [messageId, output[index].json]));
	}, 120_000);
	afterAll(() => server?.close());
	beforeEach(() => server.proxy.reset());

	/** The output of a faulty run: an error for each of `failed`, the usual answer for the others. */
	function expectAnsweredExcept(output: INodeExecutionData[], failed: string[]) {
		expect(output.map((item) => item.pairedItem)).toEqual(all.map((_, item) => ({ item })));
		for (const [index, messageId] of all.entries()) {
			if (failed.includes(messageId)) {
				expect(output[index].json).toEqual({ error: expect.objectContaining({ messageId }) });
			} else {
				expect(output[index].json).toEqual(answers.get(messageId));
			}
		}
	}

	it('finds the reply, the reply deeper in the thread, the out-of-office and the bounce; a quoted ID is no reply; a forged report is only a suspected bounce', () => {
		const scenario = server.scenario;
		expect(answers.get(ids.answered)).toEqual({
			messageId: ids.answered,
			replied: true,
			replies: [
				{
					from: 'ada@lead.example',
					date: expect.any(String),
					subject: 'Re: Your quote Q-17',
					messageId: scenario.replyId,
					text: 'Thanks, this looks good.\nCan we talk on Friday?',
				},
				expect.objectContaining({
					from: 'charles@lead.example',
					messageId: '<CAHx7Lp0Zz1Y8v@mail.gmail.com>',
					text: 'One more question: does the price include delivery?',
				}),
			],
			autoReplied: false,
			autoReplies: [],
			bounced: false,
			bounce: null,
			suspectedBounce: null,
		});
		expect(answers.get(ids.away)).toMatchObject({
			replied: false,
			replies: [],
			autoReplied: true,
			autoReplies: [
				{
					from: 'grace@away.example',
					subject: 'Automatic reply: Your quote Q-17',
					messageId: '<AM0PR01MB1234.oof@outlook.example>',
				},
			],
			bounced: false,
		});
		expect(answers.get(ids.bounced)).toEqual({
			...nothingAbout(ids.bounced),
			bounced: true,
			bounce: {
				recipient: 'nobody@mx.example.org',
				status: '5.1.1',
				diagnostic: '550 5.1.1 <nobody@mx.example.org>: Recipient address rejected: User unknown',
				permanent: true,
			},
		});
		// A colleague's message quotes this ID in its body: not a reply.
		expect(answers.get(ids.silent)).toEqual(nothingAbout(ids.silent));
		// A multipart/report naming the message (In-Reply-To, returned headers) from mallory@.
		expect(answers.get(ids.spoofed)).toEqual({
			...nothingAbout(ids.spoofed),
			suspectedBounce: {
				from: 'mallory@evil.example',
				returnPath: '<mallory@evil.example>',
				messageId: '<forged-dsn-1@evil.example>',
				date: expect.any(String),
				recipient: 'lin@target.example',
				status: '5.1.1',
				diagnostic: expect.stringMatching(/^550 5\.1\.1 /),
				permanent: true,
			},
		});
	});

	it("searches with the server's own keys: X-GM-RAW and X-GM-THRID only where X-GM-EXT-1 is advertised", async () => {
		await run(items(all));
		expect(searches().length).toBeGreaterThan(0);
		if (kind.gmail) {
			for (const search of searches()) expect(search).toMatch(/X-GM-(RAW|THRID) /);
			expect(server.proxy.commands.join('\n')).not.toMatch(/HEADER/);
		} else {
			for (const search of searches()) expect(search).toMatch(/ HEADER /);
			expect(server.proxy.commands.join('\n')).not.toMatch(/X-GM-/i);
		}
	});

	it("a NO to the search for one Message-ID: an error item for exactly that one, with the server's answer; the rest answered as always, on one connection", async () => {
		server.proxy.refuseWithNo(unique(ids.away), { text: '[UNAVAILABLE] Search backend busy' });
		const output = await run(items(all), { continueOnFail: true });

		expectAnsweredExcept(output, [ids.away]);
		expect(output[1].json.error).toEqual({
			message: 'The IMAP server refused the search',
			description: expect.stringContaining(
				`for ${ids.away}, the server answered: NO [UNAVAILABLE] Search backend busy`,
			),
			kind: 'transient',
			messageId: ids.away,
		});
		expect(String((output[1].json.error as IDataObject).description)).toMatch(
			/not reported as "no"/,
		);
		// The batch was refused, then searched again one Message-ID at a time.
		expect(server.proxy.applied.length).toBeGreaterThanOrEqual(2);
		expect(server.proxy.connections).toBe(1);
	});

	it('a BAD for a message that had a reply and one that had a bounce: both are error items, never "no reply"', async () => {
		server.proxy.refuseWithBad(unique(ids.answered));
		server.proxy.refuseWithBad(unique(ids.bounced), { text: 'Too long argument' });
		const output = await run(items(all), { continueOnFail: true });

		expectAnsweredExcept(output, [ids.answered, ids.bounced]);
		expect(output[0].json.error).toMatchObject({
			message: 'The IMAP server refused the search',
			description: expect.stringContaining('the server answered: BAD Unknown argument (injected)'),
			kind: 'unknown',
		});
		expect(output[2].json.error).toMatchObject({
			description: expect.stringContaining(
				`for ${ids.bounced}, the server answered: BAD Too long argument`,
			),
		});
	});

	it('without Continue On Fail, a refused search stops the node naming the item, the Message-ID, the answer and the fix', async () => {
		server.proxy.refuseWithBad(unique(ids.bounced));
		const error = await run(items(all)).catch((caught: unknown) => caught);
		expect(error).toMatchObject({
			message: 'The IMAP server refused the search',
			context: { itemIndex: 2 },
			description: expect.stringMatching(
				new RegExp(
					`${ids.bounced.replace(/[.]/g, '\\.')}[\\s\\S]*BAD Unknown argument[\\s\\S]*check that Message ID[\\s\\S]*On Error to Continue`,
				),
			),
		});
	});

	it('the connection drops whenever one Message-ID is searched: an error item for it, the rest answered after new logins', async () => {
		server.proxy.dropOn(unique(ids.silent));
		const output = await run(items(all), { continueOnFail: true });

		expectAnsweredExcept(output, [ids.silent]);
		expect(output[3].json.error).toMatchObject({
			message: 'IMAP connection lost during the search',
			kind: 'network',
			description: expect.stringContaining(
				`while searching for ${ids.silent}, also when it was searched alone`,
			),
		});
		// The first connection, one after the batch broke, one after the ID alone broke it again.
		expect(server.proxy.connections).toBe(3);
	});

	it('a connection that drops once during a search: searched again, every item answered', async () => {
		server.proxy.dropOn(/ UID SEARCH /, { times: 1 });
		const output = await run(items(all), { continueOnFail: true });

		expectAnsweredExcept(output, []);
		expect(server.proxy.applied).toHaveLength(1);
		expect(server.proxy.connections).toBe(2);
	});

	it('a connection that breaks at every search: after 3 new logins every item fails as such, none reads as "no"', async () => {
		server.proxy.dropOn(/ UID SEARCH /);
		const output = await run(items(all), { continueOnFail: true });

		for (const item of output) {
			expect(item.json).toEqual({
				error: expect.objectContaining({
					message: 'IMAP connection kept breaking',
					kind: 'network',
				}),
			});
		}
		expect(server.proxy.connections).toBe(4);
		await expect(run(items(all))).rejects.toMatchObject({
			message: 'IMAP connection kept breaking',
			context: { itemIndex: 0 },
		});
	});

	it('reading the messages found is refused once: read again one at a time, every item answered', async () => {
		server.proxy.refuseWithNo(/ UID FETCH .*BODY\.PEEK\[/, { times: 1 });
		const output = await run(items(all), { continueOnFail: true });

		expectAnsweredExcept(output, []);
		expect(server.proxy.applied).toHaveLength(1);
	});

	it('messages found that cannot be read fail the items they may answer, never "no reply"', async () => {
		server.proxy.refuseWithNo(/ UID FETCH .*BODY\.PEEK\[/, {
			text: 'Some messages could not be FETCHed (Failure)',
		});
		const output = await run(items(all), { continueOnFail: true });

		for (const index of [0, 1, 2, 4]) {
			expect(output[index].json).toEqual({
				error: expect.objectContaining({
					message: 'The IMAP server refused to read a message found',
					description: expect.stringContaining('NO Some messages could not be FETCHed (Failure)'),
					messageId: all[index],
				}),
			});
		}
		// Nothing that could answer the silent lead's message was found but (on Gmail) the message
		// itself: either its usual answer or an error, never anything else.
		expect([answers.get(ids.silent), 'error']).toContainEqual(
			output[3].json.error ? 'error' : output[3].json,
		);
	});

	it("the server goes quiet during one Message-ID's search: only that one fails (timed out), what answers the others is found", async () => {
		server.proxy.stallOn(unique(ids.silent));
		const mailbox = await openMailbox(readGmailSmtpCredentials(imapCredentials(server.port)), {
			socketTimeoutMs: 2000,
		});
		let candidates: Candidates;
		try {
			candidates = await mailbox.candidates({ messageIds: all });
		} finally {
			await mailbox.close();
		}
		expect([...candidates.failed.keys()]).toEqual([ids.silent]);
		expect(candidates.failed.get(ids.silent)).toMatchObject({
			code: 'ETIMEOUT',
			connectionLost: true,
		});
		const found = await Promise.all(candidates.messages.map(({ source }) => readMessage(source)));
		expect(found.map((message) => message.messageId)).toEqual(
			expect.arrayContaining([
				server.scenario.replyId,
				'<AM0PR01MB1234.oof@outlook.example>',
				'<20261104070000.B7E2F1C0A4@mx.example.org>',
				'<forged-dsn-1@evil.example>',
			]),
		);
		// The first connection, one after the batch timed out, one after the ID alone did again.
		expect(server.proxy.connections).toBe(3);
	});

	it('a Message-ID over 998 characters (70,000) is refused before connecting; with Continue On Fail the others are answered and it is never sent', async () => {
		const tooLong = `<${'x'.repeat(70_000)}@example.com>`;
		await expect(run(items([ids.answered, tooLong]))).rejects.toMatchObject({
			message: 'Invalid Message ID',
			context: { itemIndex: 1 },
			description: expect.stringContaining('998 characters'),
		});
		expect(server.proxy.connections).toBe(0);

		const output = await run(items([ids.answered, tooLong, ids.bounced]), {
			continueOnFail: true,
		});
		expect(output[0].json).toEqual(answers.get(ids.answered));
		expect(output[1].json).toEqual({
			error: expect.objectContaining({ message: 'Invalid Message ID', kind: 'input' }),
		});
		expect(output[2].json).toEqual(answers.get(ids.bounced));
		expect(server.proxy.commands.join('\n')).not.toMatch(/x{100}/);
	});

	it('Message-IDs of the longest allowed length (998 characters) are searched, a few per command; one more character is refused', async () => {
		const longIds = Array.from(
			{ length: 12 },
			(_, index) => `<${String(index).padStart(3, '0')}${'y'.repeat(981)}@example.com>`,
		);
		expect(longIds[0]).toHaveLength(998);
		// 997 characters as given; 999 with the angle brackets it is searched with.
		const oneTooMany = longIds[0].replace('@', 'y@').slice(1, -1);
		const output = await run(items([...longIds, ids.answered, oneTooMany]), {
			continueOnFail: true,
		});
		for (const item of output.slice(0, 12)) {
			expect(item.json).toMatchObject({ replied: false, bounced: false });
		}
		expect(output[12].json).toEqual(answers.get(ids.answered));
		expect(output[13].json).toEqual({
			error: expect.objectContaining({
				message: 'Invalid Message ID',
				description: expect.stringContaining('999 characters long'),
			}),
		});
		for (const search of searches()) expect(search.length).toBeLessThan(12_000);
	});

	it('120 items: one connection and a few batched searches', async () => {
		const output = await run(
			jsonItems(
				...Array.from({ length: 120 }, (_, index) => ({
					messageId: index % 40 === 0 ? ids.answered : `<lead-${index}-0f6a2c4b@example.com>`,
				})),
			),
		);
		expect(output).toHaveLength(120);
		expect(output.filter((item) => item.json.replied)).toHaveLength(3);
		expect(server.proxy.connections).toBe(1);
		// 118 different IDs in 3 batches: Gmail looks up the sent messages, then their one
		// conversation; other servers search the answers, then the delivery reports.
		expect(searches()).toHaveLength(kind.gmail ? 4 : 6);
	});
});
