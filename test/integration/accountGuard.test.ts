import { writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

import { accountKey } from '../../nodes/GmailSmtp/delivery/account/accountKey';
import { closeAllLimitStores } from '../../nodes/GmailSmtp/delivery/account/guardRegistry';
import { embeddedFolder } from '../../nodes/GmailSmtp/delivery/account/storePlace';
import { EmbeddedLimitStore } from '../../nodes/GmailSmtp/delivery/account/embeddedLimitStore';
import { closeAllTransports } from '../../nodes/GmailSmtp/transport/sharedTransports';
import { customers, sendOrders } from '../helpers/numberedOrders';
import { startRedisServer, type RedisTestServer } from '../../testkit/redisServer';
import { runGmailSmtpNode } from '../helpers/runNode';
import {
	credentialsFor,
	startSmtpTestServer,
	TEST_USER,
	useSmtpTestServer,
	type SmtpTestServer,
} from '../helpers/smtpTestServer';

/** The most messages the server took in any window of `windowMs`. */
function busiestWindow(acceptedAt: number[], windowMs: number): number {
	const times = [...acceptedAt].sort((a, b) => a - b);
	let busiest = 0;
	for (let first = 0, last = 0; last < times.length; last++) {
		while (times[last] - times[first] >= windowMs) first++;
		busiest = Math.max(busiest, last - first + 1);
	}
	return busiest;
}

/** A process restart, as far as this package can tell: every pool, store and cache gone. */
async function restartN8n(): Promise<void> {
	closeAllTransports();
	await closeAllLimitStores();
}

let redis: RedisTestServer;
beforeAll(async () => {
	redis = await startRedisServer();
});
afterAll(async () => {
	await redis.stop();
});

const stores = [
	['the embedded store', {}],
	['the Redis store', { limitStore: 'redis' }],
] as const;

describe.each(stores)('one account, one budget, in %s', (_name, storeSettings) => {
	const server = useSmtpTestServer({ security: 'tls' });
	const credentials = (overrides: Record<string, unknown> = {}) =>
		credentialsFor(server, {
			...storeSettings,
			...('limitStore' in storeSettings ? { redisUrl: redis.url } : {}),
			...overrides,
		});

	afterEach(async () => {
		if ('limitStore' in storeSettings) {
			// Each test starts from an empty Redis, as it starts from an empty user folder.
			const { default: Redis } = await import('ioredis');
			const client = new Redis(redis.url);
			await client.flushdb();
			await client.quit();
		}
	});

	it('two nodes with different options share the account connections', async () => {
		const account = credentials({ maxConnections: 3 });
		const outputs = await Promise.all([
			runGmailSmtpNode({
				parameters: sendOrders({ maxConnections: 10, connectTimeoutSeconds: 20 }),
				items: customers(20, 'wide'),
				credentials: account,
			}),
			runGmailSmtpNode({
				parameters: sendOrders({ maxConnections: 1, connectTimeoutSeconds: 5 }),
				items: customers(20, 'narrow'),
				credentials: account,
			}),
			runGmailSmtpNode({
				parameters: sendOrders(),
				items: customers(20, 'plain'),
				credentials: account,
			}),
		]);

		expect(outputs.flat().filter((item) => item.json.messageId)).toHaveLength(60);
		expect(server.messages).toHaveLength(60);
		expect(server.maxOpenConnections).toBeLessThanOrEqual(3);
		expect(server.logins).toHaveLength(server.connections);
	});

	it('no second at the server holds more messages than the cap, whatever the node options say', async () => {
		const account = credentials({ maxPerSecond: 2, maxConnections: 3 });
		await Promise.all([
			// Saved by an older version: a higher cap of its own, which must not widen the account's.
			runGmailSmtpNode({
				parameters: sendOrders({ maxPerSecond: 50 }),
				items: customers(4, 'a'),
				credentials: account,
			}),
			runGmailSmtpNode({
				parameters: sendOrders(),
				items: customers(4, 'b'),
				credentials: account,
			}),
		]);

		expect(server.messages).toHaveLength(8);
		expect(busiestWindow(server.acceptedAt, 1000)).toBeLessThanOrEqual(2);
	});

	it('a node option lowers the rate for its own messages', async () => {
		await runGmailSmtpNode({
			parameters: sendOrders({ maxPerSecond: 1 }),
			items: customers(3),
			credentials: credentials({ maxPerSecond: 10 }),
		});

		expect(busiestWindow(server.acceptedAt, 1000)).toBeLessThanOrEqual(1);
	});

	it('the daily count survives a restart', async () => {
		const account = credentials({ dailyLimit: 3 });
		const first = await runGmailSmtpNode({
			parameters: sendOrders(),
			items: customers(3),
			credentials: account,
		});
		await restartN8n();
		const second = await runGmailSmtpNode({
			parameters: sendOrders(),
			items: customers(3, 'later'),
			credentials: account,
			continueOnFail: true,
		});

		expect(first.every((item) => item.json.messageId)).toBe(true);
		expect(second.map((item) => item.json.error)).toEqual(
			Array(3).fill(
				expect.objectContaining({ kind: 'quota', message: 'Daily limit of this account reached' }),
			),
		);
		expect(server.messages).toHaveLength(3);
	});

	it('counts every To, Cc and Bcc address against the daily recipient limit', async () => {
		const output = await runGmailSmtpNode({
			parameters: sendOrders({ ccEmail: 'cc@example.com', bccEmail: 'bcc@example.com' }),
			items: customers(3),
			credentials: credentials({ dailyRecipientLimit: 7 }),
			continueOnFail: true,
		});

		expect(output.slice(0, 2).every((item) => item.json.messageId)).toBe(true);
		expect(output[2].json.error).toMatchObject({
			kind: 'quota',
			message: 'Daily recipient limit of this account reached',
			description: expect.stringContaining('Daily Recipient Limit (7)'),
		});
		expect(server.messages).toHaveLength(2);
	});
});

describe('Gmail pushing back', () => {
	let server: SmtpTestServer;
	afterEach(async () => {
		await server.close();
	});

	it('"421 try again later" to every attempt costs one login, not one per item', async () => {
		server = await startSmtpTestServer({
			security: 'tls',
			faults: [
				{
					stage: 'mail',
					reply: { code: 421, message: '4.7.0 Try again later, closing connection.' },
				},
			],
		});
		const account = credentialsFor(server);
		const first = await runGmailSmtpNode({
			parameters: sendOrders({ maxRetryWaitSeconds: 2 }),
			items: customers(50),
			credentials: account,
			continueOnFail: true,
		});
		// Another execution, a moment later: the account is still cooling down.
		const second = await runGmailSmtpNode({
			parameters: sendOrders({ maxRetryWaitSeconds: 2 }),
			items: customers(5, 'next'),
			credentials: account,
			continueOnFail: true,
		});

		expect(first).toHaveLength(50);
		// The first item's retry would fall inside the cool-down its 421 started.
		for (const item of [...first, ...second]) {
			expect(item.json.error).toMatchObject({
				kind: 'throttled',
				message: 'Gmail is throttling this account',
			});
		}
		expect(server.reached.mail).toBe(1);
		expect(server.logins).toHaveLength(1);
		expect(server.messages).toHaveLength(0);
	});

	it('"550 5.4.5" pauses the account for every later execution, also after a restart', async () => {
		server = await startSmtpTestServer({
			security: 'tls',
			faults: [
				{
					stage: 'mail',
					reply: { code: 550, message: '5.4.5 Daily user sending limit exceeded.' },
				},
			],
		});
		const account = credentialsFor(server);
		const first = await runGmailSmtpNode({
			parameters: sendOrders(),
			items: customers(3),
			credentials: account,
			continueOnFail: true,
		});
		await restartN8n();
		const second = await runGmailSmtpNode({
			parameters: sendOrders(),
			items: customers(2, 'later'),
			credentials: account,
			continueOnFail: true,
		});

		for (const item of first) {
			expect(item.json.error).toMatchObject({
				kind: 'quota',
				responseCode: 550,
				description: expect.stringContaining('pauses for 24 hours in every workflow'),
			});
		}
		for (const item of second) {
			expect(item.json.error).toMatchObject({
				kind: 'quota',
				description: expect.stringMatching(/pauses this account until \d{4}-/),
			});
		}
		expect(server.reached.mail).toBe(1);
	});
});

describe('the embedded ledger', () => {
	const server = useSmtpTestServer({ security: 'tls' });

	it("lives in n8n's user folder, and a corrupt one stops sending with an error naming it", async () => {
		const path = new EmbeddedLimitStore(embeddedFolder()).ledgerPath(
			accountKey({ user: TEST_USER, host: '127.0.0.1' }),
		);
		expect(path.startsWith(`${process.env.N8N_USER_FOLDER}/.n8n/`)).toBe(true);
		mkdirSync(dirname(path), { recursive: true });
		writeFileSync(path, '{"version":1,"rows":[[17');

		const output = await runGmailSmtpNode({
			parameters: sendOrders(),
			items: customers(2),
			credentials: credentialsFor(server),
			continueOnFail: true,
		});

		for (const item of output) {
			expect(item.json.error).toMatchObject({
				kind: 'config',
				message: 'Account ledger unreadable',
				description: expect.stringContaining(path),
			});
		}
		expect(server.connections).toBe(0);
		expect(readFileSync(path, 'utf8')).toBe('{"version":1,"rows":[[17');
	});
});

describe('the Redis store', () => {
	it('fails closed when Redis is gone: nothing is sent', async () => {
		const server = await startSmtpTestServer({ security: 'tls' });
		const gone = await startRedisServer();
		await gone.stop();
		try {
			const output = await runGmailSmtpNode({
				parameters: sendOrders(),
				items: customers(3),
				credentials: credentialsFor(server, { limitStore: 'redis', redisUrl: gone.url }),
				continueOnFail: true,
			});
			for (const item of output) {
				expect(item.json.error).toMatchObject({
					kind: 'config',
					message: 'Account limits unavailable',
				});
			}
			expect(server.connections).toBe(0);
		} finally {
			await server.close();
		}
	});
});
