import Redis from 'ioredis';
import { WAIT_INDEFINITELY } from 'n8n-workflow';

import { GmailSmtp } from '../../../nodes/GmailSmtp/GmailSmtp.node';
import { redisPersistence } from '../../../nodes/GmailSmtp/delivery/account/redisPersistence';
import { RedisLimitStore } from '../../../nodes/GmailSmtp/delivery/account/redisLimitStore';
import { redisFromUrl } from '../../../nodes/GmailSmtp/delivery/account/redisSettings';
import { fakeExecuteContext, jsonItems } from '../../../testkit/fakeExecuteContext';
import { customers, sendOrders } from '../../helpers/numberedOrders';
import { startRedisServer, type RedisTestServer } from '../../../testkit/redisServer';
import { credentialsFor, useSmtpTestServer } from '../../helpers/smtpTestServer';

describe('a Redis that forgets on restart', () => {
	const server = useSmtpTestServer({ security: 'tls' });
	let redis: RedisTestServer | undefined;
	afterEach(async () => {
		await redis?.stop();
		redis = undefined;
	});

	async function run(tag: string) {
		const { context, hints, logs } = fakeExecuteContext({
			parameters: sendOrders(),
			items: customers(3, tag),
			credentials: credentialsFor(server, {
				dailyLimit: 3,
				limitStore: 'redis',
				redisUrl: redis!.url,
			}),
			continueOnFail: true,
		});
		const [output] = await new GmailSmtp().execute.call(context);
		return { sent: output.filter((item) => item.json.messageId).length, hints, logs };
	}

	it("is named in the output pane of every run and once in n8n's log; restarted mid-day, it has forgotten the count", async () => {
		redis = await startRedisServer({ persistence: 'none' });

		const before = await run('before-');
		await redis.restart({ persistence: 'none' });
		const after = await run('after-');

		expect([before.sent, after.sent]).toEqual([3, 3]);
		for (const { hints } of [before, after]) {
			expect(hints).toEqual([
				expect.objectContaining({
					type: 'warning',
					location: 'outputPane',
					message: expect.stringMatching(/keeps nothing on disk.*appendonly yes/),
				}),
			]);
		}
		const warnings = [...before.logs, ...after.logs].filter((log) => log.level === 'warn');
		expect(warnings).toHaveLength(1);
		expect(warnings[0].message).toMatch(/^Gmail SMTP: Redis at redis:\/\/127\.0\.0\.1:\d+ keeps/);
	});

	it('Send and Wait names it too, in the output pane and the log, and still waits for the answer', async () => {
		redis = await startRedisServer({ persistence: 'none' });
		const ask = async (persistenceTag: string) => {
			const { context, hints, logs, wait } = fakeExecuteContext({
				parameters: {
					operation: 'sendAndWait',
					toEmail: 'boss@example.com',
					subject: `Approve order ${persistenceTag}?`,
					html: '<p>Approve?</p>',
					text: '',
					responseType: 'approval',
					approvalOptions: { values: { approvalType: 'single' } },
					options: {},
				},
				items: jsonItems({ n: 1 }),
				credentials: credentialsFor(server, { limitStore: 'redis', redisUrl: redis!.url }),
			});
			const [output] = await new GmailSmtp().execute.call(context);
			return { output, hints, logs, wait };
		};

		const asked = await ask('A-1');
		const again = await ask('A-2');

		for (const { output, hints, wait } of [asked, again]) {
			expect(output[0].json.messageId).toEqual(expect.any(String));
			expect(wait.waitTill).toEqual(WAIT_INDEFINITELY);
			expect(hints).toEqual([
				expect.objectContaining({
					type: 'warning',
					location: 'outputPane',
					message: expect.stringMatching(/keeps nothing on disk.*appendonly yes/),
				}),
			]);
		}
		// n8n's log hears it once per process (the message names this redis-server's port).
		const warnings = [...asked.logs, ...again.logs].filter((log) => log.level === 'warn');
		expect(warnings).toHaveLength(1);
		expect(warnings[0].message).toMatch(/^Gmail SMTP: Redis at redis:\/\/127\.0\.0\.1:\d+ keeps/);
	});

	it("with the AOF on, nothing is said and a restart keeps the day's count", async () => {
		redis = await startRedisServer({ persistence: 'aof' });

		const before = await run('before-');
		await redis.restart({ persistence: 'aof' });
		const after = await run('after-');

		expect([before.sent, after.sent]).toEqual([3, 0]);
		expect([...before.hints, ...after.hints]).toEqual([]);
	});

	it('with RDB snapshots, nothing is said', async () => {
		redis = await startRedisServer({ persistence: 'rdb' });

		expect((await run('rdb-')).hints).toEqual([]);
	});

	it('a server that refuses CONFIG (managed Redis) is read from INFO: AOF is recognised, no false alarm', async () => {
		for (const persistence of ['aof', 'none'] as const) {
			redis = await startRedisServer({ persistence });
			const admin = new Redis(redis.url);
			await admin.acl('SETUSER', 'app', 'on', '>app-secret', '~*', '&*', '+@all', '-config');
			const limited = new Redis(redis.url.replace('redis://', 'redis://app:app-secret@'));
			const store = new RedisLimitStore(
				redisFromUrl(redis.url.replace('redis://', 'redis://app:app-secret@')),
			);
			try {
				await expect(limited.config('GET', 'save')).rejects.toThrow(/NOPERM/);
				expect(await redisPersistence(limited)).toBe(persistence === 'aof' ? 'aof' : 'unknown');
				await expect(store.notice()).resolves.toBeUndefined();
			} finally {
				admin.disconnect();
				limited.disconnect();
				await store.close();
				await redis.stop();
				redis = undefined;
			}
		}
	});
});
