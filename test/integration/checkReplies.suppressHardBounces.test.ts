import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { accountKey } from '../../nodes/GmailSmtp/delivery/account/accountKey';
import { redisFromUrl } from '../../nodes/GmailSmtp/delivery/account/redisSettings';
import { RedisSuppressionStore } from '../../nodes/GmailSmtp/delivery/suppression/redisSuppressionStore';
import { suppressionsFor } from '../../nodes/GmailSmtp/delivery/suppression/suppressionRegistry';
import { readGmailSmtpCredentials } from '../../nodes/GmailSmtp/transport/gmailSmtpCredentials';
import { startRedisServer } from '../../testkit/redisServer';
import { MAIL_SERVER_KINDS, type ScenarioMailServer } from '../helpers/checkRepliesServers';
import { jsonItems } from '../../testkit/fakeExecuteContext';
import { runCheckReplies } from '../helpers/runCheckReplies';
import { runGmailSmtpNode } from '../helpers/runNode';
import { credentialsFor, TEST_CA, useSmtpTestServer } from '../helpers/smtpTestServer';

// Check Replies → Suppress Hard Bounces against both IMAP servers (Dovecot, and the Gmail-like
// one), with the account's real suppression store (the file store in n8n's user folder, and
// redis-server), and a Send on the same account afterwards.

const smtp = useSmtpTestServer({ security: 'tls' });

describe.each(MAIL_SERVER_KINDS)('Suppress Hard Bounces on $name', (kind) => {
	let server: ScenarioMailServer;
	let ids: ScenarioMailServer['scenario']['ids'];
	/** Every kind of answer of the scenario, one item each. */
	let all: string[];

	beforeAll(async () => {
		server = await kind.start();
		ids = server.scenario.ids;
		all = [
			ids.answered,
			ids.away,
			ids.bounced,
			ids.silent,
			ids.spoofed,
			ids.softBounced,
			ids.partlyBounced,
		];
	}, 120_000);
	afterAll(() => server?.close());

	const credentials = (overrides: IDataObject = {}) =>
		credentialsFor(smtp, {
			imapHost: '127.0.0.1',
			imapPort: server.port,
			caCertificate: TEST_CA,
			...overrides,
		});

	/** Check Replies with the account's SMTP credentials too (the suppression list is the account's). */
	const check = (
		messageIds: string[],
		checkOptions: IDataObject,
		options: { continueOnFail?: boolean; credentials?: IDataObject } = {},
	) =>
		runCheckReplies(server.port, jsonItems(...messageIds.map((messageId) => ({ messageId }))), {
			checkOptions,
			continueOnFail: options.continueOnFail,
			credentials: credentials(options.credentials),
		});

	function send(emails: string[]) {
		return runGmailSmtpNode({
			parameters: {
				operation: 'send',
				toEmail: (_: number, item: INodeExecutionData) => item.json.email,
				subject: 'Your quote Q-17, a reminder',
				text: 'Hi, did you have a look at the quote?',
				options: { suppressionList: 'default' },
			},
			items: jsonItems(...emails.map((email) => ({ email }))),
			credentials: credentials(),
		});
	}

	const onList = async (list: string, emails: string[]) =>
		suppressionsFor(readGmailSmtpCredentials(credentials())).find(list, emails);

	it('a 5.1.1 bounce puts its recipient on the list; a 4.x.x one, an out-of-office and a forged report do not; the next Send leaves it out', async () => {
		const output = await check(all, { suppressHardBounces: true });

		expect(output.map((item) => item.pairedItem)).toEqual(all.map((_, item) => ({ item })));
		const byId = new Map(all.map((messageId, index) => [messageId, output[index].json]));
		expect(byId.get(ids.bounced)).toMatchObject({
			bounced: true,
			bounce: { recipient: 'nobody@mx.example.org', status: '5.1.1', permanent: true },
			suppressed: ['nobody@mx.example.org'],
		});
		// Only the address whose status was 5.1.1, from the report's own recipient fields: not
		// the one that failed with 4.2.2, not the one of the three the report does not name.
		expect(byId.get(ids.partlyBounced)).toMatchObject({
			bounced: true,
			suppressed: ['gone@corp.example'],
		});
		expect(byId.get(ids.softBounced)).toMatchObject({
			bounced: true,
			bounce: { recipient: 'full@mx.example.org', status: '4.2.2', permanent: false },
			suppressed: [],
		});
		expect(byId.get(ids.away)).toMatchObject({ autoReplied: true, suppressed: [] });
		expect(byId.get(ids.spoofed)).toMatchObject({
			bounced: false,
			suspectedBounce: { recipient: 'lin@target.example', status: '5.1.1' },
			suppressed: [],
		});
		expect(byId.get(ids.answered)).toMatchObject({ replied: true, suppressed: [] });
		expect(byId.get(ids.silent)).toMatchObject({ replied: false, suppressed: [] });

		const everyone = [
			'nobody@mx.example.org',
			'gone@corp.example',
			'full@corp.example',
			'team@corp.example',
			'full@mx.example.org',
			'grace@away.example',
			'lin@target.example',
			'ada@lead.example',
		];
		const listed = await onList('default', everyone);
		expect([...listed.keys()].sort()).toEqual(['gone@corp.example', 'nobody@mx.example.org']);
		expect(listed.get('nobody@mx.example.org')).toEqual({
			email: 'nobody@mx.example.org',
			reason: 'bounce',
			at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			messageId: ids.bounced,
		});
		expect(listed.get('gone@corp.example')).toMatchObject({ messageId: ids.partlyBounced });

		const sent = await send(everyone);
		expect(sent.map((item) => item.json.status ?? 'sent')).toEqual([
			'suppressed',
			'suppressed',
			...Array(6).fill('sent'),
		]);
		expect(sent[0].json).toEqual({ status: 'suppressed', suppressed: ['nobody@mx.example.org'] });
		expect(smtp.messages.flatMap((message) => message.envelope.to).sort()).toEqual(
			everyone.slice(2).sort(),
		);
	});

	it('running again changes nothing and reports the same; another list is written when named', async () => {
		const first = await check([ids.bounced], { suppressHardBounces: true });
		const again = await check([ids.bounced], { suppressHardBounces: true });
		expect(again[0].json).toEqual(first[0].json);
		const listed = await onList('default', ['nobody@mx.example.org']);
		expect(listed.size).toBe(1);

		const [offers] = await check([ids.bounced], {
			suppressHardBounces: true,
			suppressionList: 'Offers',
		});
		expect(offers.json.suppressed).toEqual(['nobody@mx.example.org']);
		expect((await onList('offers', ['nobody@mx.example.org'])).size).toBe(1);
	});

	it('an address removed from the list (re-subscribed) stays off when the same bounce is checked again', async () => {
		await check([ids.bounced], { suppressHardBounces: true });
		const removed = await runGmailSmtpNode({
			parameters: {
				operation: 'removeSuppression',
				email: (_: number, item: INodeExecutionData) => item.json.email,
			},
			items: jsonItems({ email: 'Nobody@mx.example.org' }),
			credentials: credentials(),
		});
		expect(removed[0].json).toMatchObject({ suppressed: false, removed: true });

		const [again] = await check([ids.bounced], { suppressHardBounces: true });
		expect(again.json).toMatchObject({ bounced: true, suppressed: [] });
		expect((await onList('default', ['nobody@mx.example.org'])).size).toBe(0);
		const [sent] = await send(['nobody@mx.example.org']);
		expect(sent.json.status ?? 'sent').toBe('sent');
	});

	it('off (the default): the output has no suppressed field and the list stays empty', async () => {
		const [report] = await check([ids.bounced], {});
		expect(report.json).toMatchObject({ bounced: true });
		expect(report.json).not.toHaveProperty('suppressed');
		expect((await onList('default', ['nobody@mx.example.org'])).size).toBe(0);
	});

	it('an invalid Suppression List stops the run before any IMAP login', async () => {
		server.proxy.reset();
		await expect(
			check([ids.bounced], { suppressHardBounces: true, suppressionList: 'a/b' }),
		).rejects.toMatchObject({ message: 'Invalid Suppression List' });
		expect(server.proxy.connections).toBe(0);
	});

	it('a list that cannot be written: an error item for each message that bounced (Continue On Fail), the others answered; without it the node stops naming the item', async () => {
		// The user folder is a file: the suppression journal cannot be created.
		const folder = join(process.env.N8N_USER_FOLDER!, 'not-a-folder');
		writeFileSync(folder, '');
		process.env.N8N_USER_FOLDER = folder;

		const output = await check(
			[ids.answered, ids.bounced, ids.softBounced],
			{
				suppressHardBounces: true,
			},
			{ continueOnFail: true },
		);
		expect(output[0].json).toMatchObject({ replied: true, suppressed: [] });
		expect(output[1].json).toEqual({
			error: expect.objectContaining({
				message: 'Suppression list unavailable',
				description: expect.stringMatching(/ENOTDIR[\s\S]*could not record them/),
				messageId: ids.bounced,
			}),
		});
		expect(output[2].json).toMatchObject({ bounced: true, suppressed: [] });

		await expect(
			check([ids.answered, ids.bounced], { suppressHardBounces: true }),
		).rejects.toMatchObject({
			message: 'Suppression list unavailable',
			context: { itemIndex: 1 },
			description: expect.stringMatching(/On Error to Continue/),
		});
	});

	it("keeps the list in the account's Redis when the Limit Store is Redis", async () => {
		const redis = await startRedisServer();
		try {
			const viaRedis = { limitStore: 'redis', redisUrl: redis.url };
			const [report] = await check(
				[ids.bounced],
				{ suppressHardBounces: true },
				{
					credentials: viaRedis,
				},
			);
			expect(report.json.suppressed).toEqual(['nobody@mx.example.org']);
			const store = new RedisSuppressionStore(redisFromUrl(redis.url));
			try {
				const found = await store.find(
					accountKey(readGmailSmtpCredentials(credentials())),
					'default',
					['nobody@mx.example.org'],
				);
				expect(found.get('nobody@mx.example.org')).toMatchObject({
					reason: 'bounce',
					messageId: ids.bounced,
				});
			} finally {
				await store.close();
			}
			// Not in the user folder's file store.
			expect((await onList('default', ['nobody@mx.example.org'])).size).toBe(0);
		} finally {
			await redis.stop();
		}
	});
});
