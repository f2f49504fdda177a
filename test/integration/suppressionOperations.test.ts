import type { INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { accountKey } from '../../nodes/GmailSmtp/delivery/account/accountKey';
import { redisFromUrl } from '../../nodes/GmailSmtp/delivery/account/redisSettings';
import { RedisSuppressionStore } from '../../nodes/GmailSmtp/delivery/suppression/redisSuppressionStore';
import { suppressionsFor } from '../../nodes/GmailSmtp/delivery/suppression/suppressionRegistry';
import { readGmailSmtpCredentials } from '../../nodes/GmailSmtp/transport/gmailSmtpCredentials';
import { jsonItems } from '../../testkit/fakeExecuteContext';
import { startRedisServer } from '../../testkit/redisServer';
import { runGmailSmtpNode } from '../helpers/runNode';
import { credentialsFor, TEST_USER, useSmtpTestServer } from '../helpers/smtpTestServer';

const server = useSmtpTestServer({ security: 'tls' }, 'block');

const emailOf = (_index: number, item: INodeExecutionData) => item.json.email;

function run(
	operation: string,
	emails: unknown[],
	extra: Record<string, unknown> = {},
	credentialOverrides: Record<string, unknown> = {},
	continueOnFail = false,
) {
	return runGmailSmtpNode({
		parameters: { operation, email: emailOf, suppressionList: 'default', ...extra },
		items: jsonItems(...emails.map((email) => ({ email }) as never)),
		credentials: credentialsFor(server, credentialOverrides),
		continueOnFail,
	});
}

describe('Add, Remove and Check on the suppression list', () => {
	it('adds addresses from items (an import), once each, case-insensitively', async () => {
		const output = await run(
			'addSuppression',
			['Ada@Example.com', 'grace@example.com', 'ADA@example.com', 'Alan Turing <alan@example.com>'],
			{ suppressionReason: 'unsubscribe' },
		);
		expect(output).toEqual([
			{
				json: { email: 'ada@example.com', list: 'default', suppressed: true, added: true },
				pairedItem: { item: 0 },
			},
			{
				json: { email: 'grace@example.com', list: 'default', suppressed: true, added: true },
				pairedItem: { item: 1 },
			},
			{
				json: { email: 'ada@example.com', list: 'default', suppressed: true, added: false },
				pairedItem: { item: 2 },
			},
			{
				json: { email: 'alan@example.com', list: 'default', suppressed: true, added: true },
				pairedItem: { item: 3 },
			},
		]);
		const checked = await run('checkSuppression', ['ada@EXAMPLE.com', 'edsger@example.com']);
		expect(checked.map((item) => item.json)).toEqual([
			{
				email: 'ada@example.com',
				list: 'default',
				suppressed: true,
				reason: 'unsubscribe',
				at: expect.any(String),
			},
			{ email: 'edsger@example.com', list: 'default', suppressed: false },
		]);
	});

	it('removes an address (re-subscribe), after which Send mails it again', async () => {
		await run('addSuppression', ['ada@example.com']);
		const send = () =>
			runGmailSmtpNode({
				parameters: {
					operation: 'send',
					toEmail: 'ada@example.com',
					subject: 'Hi',
					text: 'Hello',
					html: '',
					options: { suppressionList: 'default' },
				},
				items: jsonItems({}),
				credentials: credentialsFor(server),
			});
		expect((await send())[0].json.status).toBe('suppressed');
		const removed = await run('removeSuppression', ['ADA@example.com', 'nobody@example.com']);
		expect(removed.map((item) => item.json)).toEqual([
			{ email: 'ada@example.com', list: 'default', suppressed: false, removed: true },
			{ email: 'nobody@example.com', list: 'default', suppressed: false, removed: false },
		]);
		expect((await send())[0].json.messageId).toBeDefined();
		expect(server.messages).toHaveLength(1);
	});

	it('each item may name its own list', async () => {
		await run('addSuppression', ['ada@example.com', 'grace@example.com'], {
			suppressionList: (index: number) => (index === 0 ? 'Newsletter' : 'default'),
		});
		const suppressions = suppressionsFor(readGmailSmtpCredentials(credentialsFor(server)));
		expect([
			...(await suppressions.find('newsletter', ['ada@example.com', 'grace@example.com'])).keys(),
		]).toEqual(['ada@example.com']);
		expect([
			...(await suppressions.find('default', ['ada@example.com', 'grace@example.com'])).keys(),
		]).toEqual(['grace@example.com']);
	});

	it('a bad address fails its item under Continue On Fail; the others are added', async () => {
		const output = await run(
			'addSuppression',
			['ada@example.com', 'not an address', '', 'a@example.com, b@example.com'],
			{},
			{},
			true,
		);
		expect(output.map((item) => item.json.error ?? item.json.added)).toEqual([
			true,
			expect.objectContaining({ message: 'Invalid Email', kind: 'input' }),
			expect.objectContaining({ message: 'No address', kind: 'input' }),
			expect.objectContaining({ message: 'One address per item', kind: 'input' }),
		]);
		expect(output.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
	});

	it('without Continue On Fail a bad address stops the node, naming the item, before anything is added', async () => {
		const failure = await run('addSuppression', ['ada@example.com', 'nope']).catch(
			(error) => error,
		);
		expect(failure).toBeInstanceOf(NodeOperationError);
		expect(failure).toMatchObject({ message: 'Invalid Email', context: { itemIndex: 1 } });
		const checked = await run('checkSuppression', ['ada@example.com']);
		expect(checked[0].json.suppressed).toBe(false);
	});

	it('a bad list name is an item error naming the field', async () => {
		const output = await run(
			'checkSuppression',
			['ada@example.com'],
			{ suppressionList: 'a/b' },
			{},
			true,
		);
		expect(output[0].json.error).toMatchObject({ message: 'Invalid Suppression List' });
	});

	it("keeps the list in the account's Redis when the Limit Store is Redis", async () => {
		const redis = await startRedisServer();
		try {
			const viaRedis = { limitStore: 'redis', redisUrl: redis.url };
			await run('addSuppression', ['ada@example.com'], {}, viaRedis);
			const store = new RedisSuppressionStore(redisFromUrl(redis.url));
			const account = accountKey({ user: TEST_USER, host: '127.0.0.1' });
			expect((await store.find(account, 'default', ['ada@example.com'])).size).toBe(1);
			await store.close();
			// Not in the user folder's file store.
			expect((await run('checkSuppression', ['ada@example.com']))[0].json.suppressed).toBe(false);
		} finally {
			await redis.stop();
		}
	});

	it("uses n8n's queue Redis in queue mode (Limit Store automatic), under the account's keys whatever the queue prefix", async () => {
		const redis = await startRedisServer();
		const saved = { ...process.env };
		Object.assign(process.env, {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: redis.host,
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			QUEUE_BULL_PREFIX: 'unsub-test',
		});
		// Read as every n8n sharing this Redis reads it, also one with another queue prefix.
		const store = new RedisSuppressionStore(redisFromUrl(redis.url));
		try {
			await run('addSuppression', ['ada@example.com']);
			const account = accountKey({ user: TEST_USER, host: '127.0.0.1' });
			expect(store.key(account, 'default')).toBe(`gmail-smtp:{${account}}:suppressed:default`);
			expect((await store.find(account, 'default', ['ada@example.com'])).size).toBe(1);
		} finally {
			await store.close();
			process.env = saved;
			await redis.stop();
		}
	});
});
