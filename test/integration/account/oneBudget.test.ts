import type { INodeExecutionData } from 'n8n-workflow';
import Redis from 'ioredis';

import { closeAllLimitStores } from '../../../nodes/GmailSmtp/delivery/account/guardRegistry';
import { closeAllTransports } from '../../../nodes/GmailSmtp/transport/sharedTransports';
import { customers, sendOrders } from '../../helpers/numberedOrders';
import { startRedisServer, type RedisTestServer } from '../../../testkit/redisServer';
import { runGmailSmtpNode } from '../../helpers/runNode';
import { credentialsFor, useSmtpTestServer } from '../../helpers/smtpTestServer';

/** Another n8n instance from here on, as far as this package can tell. */
async function anotherN8n(): Promise<void> {
	closeAllTransports();
	await closeAllLimitStores();
}

const sentOf = (output: INodeExecutionData[]) =>
	output.filter((item) => item.json.messageId).length;

let redis: RedisTestServer;
beforeAll(async () => {
	redis = await startRedisServer();
});
afterAll(async () => {
	await redis.stop();
});

describe('one Gmail account, one budget, however it is reached', () => {
	const server = useSmtpTestServer({ security: 'tls' });
	const savedEnv = { ...process.env };
	afterEach(async () => {
		process.env = { ...savedEnv, N8N_USER_FOLDER: process.env.N8N_USER_FOLDER };
		const admin = new Redis(redis.url);
		await admin.flushdb();
		admin.disconnect();
	});

	/** n8n in queue mode with `prefix` as its QUEUE_BULL_PREFIX, on the test Redis. */
	function queueMode(prefix?: string) {
		Object.assign(process.env, {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
		});
		if (prefix) process.env.QUEUE_BULL_PREFIX = prefix;
		else delete process.env.QUEUE_BULL_PREFIX;
	}

	const run = (tag: string, overrides: Record<string, unknown>) =>
		runGmailSmtpNode({
			parameters: sendOrders(),
			items: customers(4, tag),
			// Room for the connection slots an earlier instance holds until their lease runs out.
			credentials: credentialsFor(server, { dailyLimit: 10, maxConnections: 10, ...overrides }),
			continueOnFail: true,
		});

	it('n8n instances with different queue prefixes, a Redis URL and host spellings share one Daily Limit', async () => {
		const sent: number[] = [];
		for (const [prefix, host] of [
			['alpha', '127.0.0.1'],
			['beta', 'localhost'],
			[undefined, 'LocalHost'],
		] as const) {
			queueMode(prefix);
			sent.push(sentOf(await run(`${prefix}-`, { limitStore: 'auto', host })));
			await anotherN8n();
		}
		sent.push(sentOf(await run('url-', { limitStore: 'redis', redisUrl: redis.url })));

		expect(sent).toEqual([4, 4, 2, 0]);
		expect(server.messages).toHaveLength(10);
	});

	it(`budgets kept apart on purpose (N8N_GMAIL_SMTP_BUDGET_PREFIX) are counted apart`, async () => {
		queueMode('alpha');
		const first = sentOf(await run('first-', { limitStore: 'auto', dailyLimit: 4 }));
		await anotherN8n();
		process.env.N8N_GMAIL_SMTP_BUDGET_PREFIX = 'staging';
		const second = sentOf(await run('second-', { limitStore: 'auto', dailyLimit: 4 }));

		expect([first, second]).toEqual([4, 4]);
	});

	it("an upgrade keeps the day's count that an earlier version kept under the queue prefix", async () => {
		const admin = new Redis(redis.url);
		const legacy = 'bull:gmail-smtp:{sender@example.com@127.0.0.1}';
		const now = Date.now();
		await admin.zadd(`${legacy}:ledger`, now, '<a@x>|1', now, '<b@x>|1', now, '<c@x>|1');
		await admin.set(`${legacy}:recipients`, 3);
		admin.disconnect();
		queueMode();

		const output = await run('after-upgrade-', { limitStore: 'auto', dailyLimit: 5 });

		expect(sentOf(output)).toBe(2);
		expect(output[2].json.error).toMatchObject({
			message: 'Daily limit of this account reached',
			description: expect.stringContaining('sent 5 messages'),
		});
	});

	it('the embedded store: 127.0.0.1 and localhost are one ledger', async () => {
		const sent = [
			sentOf(await run('ip-', { host: '127.0.0.1', dailyLimit: 6 })),
			sentOf(await run('name-', { host: 'localhost', dailyLimit: 6 })),
		];

		expect(sent).toEqual([4, 2]);
	});
});
