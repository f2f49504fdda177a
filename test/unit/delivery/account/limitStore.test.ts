import { setTimeout as sleep } from 'node:timers/promises';

import Redis from 'ioredis';

import { DAY_MS } from '../../../../nodes/GmailSmtp/durations';
import { EmbeddedLimitStore } from '../../../../nodes/GmailSmtp/delivery/account/embeddedLimitStore';
import {
	countedDaily,
	type LimitStore,
} from '../../../../nodes/GmailSmtp/delivery/account/limitStore';
import { PUSHBACK_POLICY } from '../../../../nodes/GmailSmtp/delivery/account/pushback';
import { RedisLimitStore } from '../../../../nodes/GmailSmtp/delivery/account/redisLimitStore';
import { redisFromUrl } from '../../../../nodes/GmailSmtp/delivery/account/redisSettings';
import { startRedisServer } from '../../../../testkit/redisServer';
import { useStoreFixtures } from '../../../helpers/storeFixtures';

const ACCOUNT = 'sender@example.com@smtp.gmail.com';
const entry = (id: string | number, recipients = 1) => ({ id: `<${id}@example.com>`, recipients });
const noLimits = { messages: 0, recipients: 0 };

interface StoreKind {
	name: string;
	open(): Promise<LimitStore>;
	/** A second store on the same data, as another n8n process would open it. */
	openAnother(): Promise<LimitStore>;
	cleanup(): Promise<void>;
}

const fixtures = useStoreFixtures<LimitStore>('gmail-smtp-ledger-');

const kinds: StoreKind[] = [
	{
		name: 'embedded (ledger file)',
		open: async () => fixtures.track(new EmbeddedLimitStore(fixtures.folder)),
		openAnother: async () => fixtures.track(new EmbeddedLimitStore(fixtures.folder)),
		cleanup: async () => undefined,
	},
	{
		name: 'Redis (real redis-server)',
		open: async () => fixtures.track(new RedisLimitStore(redisFromUrl(fixtures.redis.url), 600)),
		openAnother: async () =>
			fixtures.track(new RedisLimitStore(redisFromUrl(fixtures.redis.url), 600)),
		cleanup: () => fixtures.flushRedis(),
	},
];

describe.each(kinds)('$name store', (kind) => {
	afterEach(() => kind.cleanup());

	describe('daily ledger', () => {
		it('grants up to the message limit and says when the next one can go', async () => {
			const store = await kind.open();
			const limits = { messages: 3, recipients: 0 };
			const before = Date.now();
			for (const id of [1, 2, 3]) {
				await expect(store.reserveDaily(ACCOUNT, entry(id), limits)).resolves.toEqual({
					granted: true,
				});
			}
			const refused = await store.reserveDaily(ACCOUNT, entry(4), limits);
			expect(refused).toMatchObject({ granted: false, reason: 'messages', sent: 3 });
			const freeAt = (refused as { freeAt: number }).freeAt;
			expect(freeAt).toBeGreaterThanOrEqual(before + DAY_MS - 1000);
			expect(freeAt).toBeLessThanOrEqual(Date.now() + DAY_MS + 1000);
		});

		it('counts every recipient against the recipient limit', async () => {
			const store = await kind.open();
			const limits = { messages: 0, recipients: 10 };
			await store.reserveDaily(ACCOUNT, entry(1, 4), limits);
			await store.reserveDaily(ACCOUNT, entry(2, 4), limits);
			await expect(store.reserveDaily(ACCOUNT, entry(3, 3), limits)).resolves.toMatchObject({
				granted: false,
				reason: 'recipients',
				recipients: 8,
			});
			await expect(store.reserveDaily(ACCOUNT, entry(4, 2), limits)).resolves.toEqual({
				granted: true,
			});
		});

		it('a released message frees its place once, however often it is released', async () => {
			const store = await kind.open();
			const limits = { messages: 2, recipients: 5 };
			await store.reserveDaily(ACCOUNT, entry(1, 2), limits);
			await store.reserveDaily(ACCOUNT, entry(2, 2), limits);
			await store.releaseDaily(ACCOUNT, entry(1, 2));
			await store.releaseDaily(ACCOUNT, entry(1, 2));
			await expect(store.reserveDaily(ACCOUNT, entry(3, 3), limits)).resolves.toEqual({
				granted: true,
			});
			await expect(store.reserveDaily(ACCOUNT, entry(4, 1), limits)).resolves.toMatchObject({
				granted: false,
				reason: 'messages',
				sent: 2,
				recipients: 5,
			});
		});

		it('with both limits off, nothing is counted', async () => {
			const store = await kind.open();
			for (const id of [1, 2, 3]) await store.reserveDaily(ACCOUNT, entry(id, 50), noLimits);
			await expect(
				store.reserveDaily(ACCOUNT, entry(4), { messages: 1, recipients: 1 }),
			).resolves.toEqual({ granted: true });
		});

		it('accounts are counted apart', async () => {
			const store = await kind.open();
			const limits = { messages: 1, recipients: 0 };
			await store.reserveDaily(ACCOUNT, entry(1), limits);
			await expect(store.reserveDaily(`other.${ACCOUNT}`, entry(2), limits)).resolves.toEqual({
				granted: true,
			});
		});

		it('counts a message with its first attempt, in the same step, and refuses one with no room', async () => {
			const [one, two] = [await kind.open(), await kind.openAnother()];
			const daily = (id: number) => ({
				entry: entry(id, 2),
				limits: { messages: 2, recipients: 0 },
			});
			await expect(one.startAttempt(ACCOUNT, 'a', undefined, daily(1))).resolves.toEqual({
				go: true,
			});
			// Waiting for the rate window, the message is counted all the same.
			const rate = { slots: 1, windowMs: 60_000 };
			await one.startAttempt(ACCOUNT, 'held', rate);
			const waiting = await one.startAttempt(ACCOUNT, 'b', rate, daily(2));
			expect(waiting).toMatchObject({ go: false, reason: 'rate' });
			expect(countedDaily(waiting)).toBe(true);
			const refused = await two.startAttempt(ACCOUNT, 'c', undefined, daily(3));
			expect(refused).toMatchObject({
				go: false,
				reason: 'daily',
				refusal: { granted: false, reason: 'messages', sent: 2, recipients: 4 },
			});
			expect(countedDaily(refused)).toBe(false);
			await one.releaseDaily(ACCOUNT, entry(1, 2));
			await expect(two.startAttempt(ACCOUNT, 'd', undefined, daily(4))).resolves.toEqual({
				go: true,
			});
		});

		it('counts nothing for an attempt refused by a day-long pause', async () => {
			const store = await kind.open();
			await store.startAttempt(ACCOUNT, 'a', undefined);
			await store.finishAttempt(ACCOUNT, 'a', 'exhausted');
			const paused = await store.startAttempt(ACCOUNT, 'b', undefined, {
				entry: entry(1),
				limits: { messages: 5, recipients: 0 },
			});
			expect(paused).toMatchObject({ go: false, reason: 'exhausted' });
			expect(countedDaily(paused)).toBe(false);
		});

		it('two processes racing for the last places never overshoot', async () => {
			const [one, two] = [await kind.open(), await kind.openAnother()];
			const limits = { messages: 20, recipients: 0 };
			const decisions = await Promise.all(
				Array.from({ length: 60 }, (_, n) =>
					(n % 2 ? one : two).reserveDaily(ACCOUNT, entry(n), limits),
				),
			);
			expect(decisions.filter((decision) => decision.granted)).toHaveLength(20);
		});
	});

	describe('attempts', () => {
		const rate = { slots: 2, windowMs: 400 };

		it('an attempt counts from its start until the window after it finished', async () => {
			const store = await kind.open();
			await expect(store.startAttempt(ACCOUNT, 'a', rate)).resolves.toEqual({ go: true });
			await expect(store.startAttempt(ACCOUNT, 'b', rate)).resolves.toEqual({ go: true });
			await expect(store.startAttempt(ACCOUNT, 'c', rate)).resolves.toMatchObject({
				go: false,
				reason: 'rate',
			});
			// In flight for longer than the window: still counted.
			await sleep(500);
			await expect(store.startAttempt(ACCOUNT, 'c', rate)).resolves.toMatchObject({ go: false });
			await store.finishAttempt(ACCOUNT, 'a', 'accepted');
			await store.finishAttempt(ACCOUNT, 'b', 'accepted');
			const blocked = await store.startAttempt(ACCOUNT, 'c', rate);
			expect(blocked).toMatchObject({ go: false, reason: 'rate' });
			expect((blocked as { retryInMs: number }).retryInMs).toBeLessThanOrEqual(rate.windowMs);
			await sleep(rate.windowMs + 50);
			await expect(store.startAttempt(ACCOUNT, 'c', rate)).resolves.toEqual({ go: true });
		});

		it('without a rate window, attempts only wait for push-back', async () => {
			const store = await kind.open();
			for (const id of ['a', 'b', 'c', 'd']) {
				await expect(store.startAttempt(ACCOUNT, id, undefined)).resolves.toEqual({ go: true });
			}
		});

		it('Gmail pushing back cools the account down for every process, longer each time', async () => {
			const [one, two] = [await kind.open(), await kind.openAnother()];
			const start = Date.now();
			await one.startAttempt(ACCOUNT, 'a', undefined);
			await one.finishAttempt(ACCOUNT, 'a', 'throttled');
			const first = await two.startAttempt(ACCOUNT, 'b', undefined);
			expect(first).toMatchObject({ go: false, reason: 'coolDown' });
			const firstUntil = (first as { until: number }).until;
			expect(firstUntil - start).toBeGreaterThanOrEqual(PUSHBACK_POLICY.coolDownBaseMs - 1000);
			expect(firstUntil - Date.now()).toBeLessThanOrEqual(PUSHBACK_POLICY.coolDownBaseMs + 1000);

			await two.finishAttempt(ACCOUNT, 'b', 'throttled');
			const second = await one.startAttempt(ACCOUNT, 'c', undefined);
			expect((second as { until: number }).until - start).toBeGreaterThanOrEqual(
				2 * PUSHBACK_POLICY.coolDownBaseMs - 1000,
			);
		});

		it('550 5.4.5 pauses the account for a day: no attempt, no reservation', async () => {
			const store = await kind.open();
			await store.startAttempt(ACCOUNT, 'a', undefined);
			await store.finishAttempt(ACCOUNT, 'a', 'exhausted');
			const attempt = await store.startAttempt(ACCOUNT, 'b', undefined);
			expect(attempt).toMatchObject({ go: false, reason: 'exhausted' });
			expect((attempt as { until: number }).until).toBeGreaterThan(Date.now() + DAY_MS - 5000);
			await expect(
				(await kind.openAnother()).reserveDaily(ACCOUNT, entry(1), noLimits),
			).resolves.toMatchObject({ granted: false, reason: 'exhausted' });
		});

		it('a plain failure or an accepted message does not cool the account down', async () => {
			const store = await kind.open();
			await store.startAttempt(ACCOUNT, 'a', undefined);
			await store.finishAttempt(ACCOUNT, 'a', 'failed');
			await store.startAttempt(ACCOUNT, 'b', undefined);
			await store.finishAttempt(ACCOUNT, 'b', 'accepted');
			await expect(store.startAttempt(ACCOUNT, 'c', undefined)).resolves.toEqual({ go: true });
		});
	});

	describe('connection slots', () => {
		it("an attempt confirms its pool's slots first: renewed, taken again while free, lost once another holds it", async () => {
			const store = await kind.open();
			const mine = { holders: ['mine'], max: 1 };
			await store.acquireConnection(ACCOUNT, 'mine', 1);
			await expect(store.startAttempt(ACCOUNT, 'a', undefined, undefined, mine)).resolves.toEqual({
				go: true,
			});
			// Its lease gone while nobody else took the slot: taken again.
			await store.releaseConnection(ACCOUNT, 'mine');
			await expect(store.startAttempt(ACCOUNT, 'b', undefined, undefined, mine)).resolves.toEqual({
				go: true,
			});
			await store.releaseConnection(ACCOUNT, 'mine');
			await store.acquireConnection(ACCOUNT, 'theirs', 1);
			const daily = { entry: entry(1), limits: { messages: 1, recipients: 0 } };
			const lost = await store.startAttempt(ACCOUNT, 'c', undefined, daily, mine);
			expect(lost).toEqual({ go: false, reason: 'connectionLost', lost: ['mine'] });
			// Nothing was counted or started for it.
			expect(countedDaily(lost)).toBe(false);
			await expect(store.reserveDaily(ACCOUNT, entry(2), daily.limits)).resolves.toEqual({
				granted: true,
			});
		});

		it('at most the maximum, whoever holds them; a released slot goes to the next', async () => {
			const [one, two] = [await kind.open(), await kind.openAnother()];
			const shared = kind.name.startsWith('Redis');
			await expect(one.acquireConnection(ACCOUNT, 'h1', 2)).resolves.toEqual({ granted: true });
			await expect(one.acquireConnection(ACCOUNT, 'h1', 2)).resolves.toEqual({ granted: true });
			await expect(one.acquireConnection(ACCOUNT, 'h2', 2)).resolves.toEqual({ granted: true });
			await expect(one.acquireConnection(ACCOUNT, 'h3', 2)).resolves.toMatchObject({
				granted: false,
			});
			if (shared) {
				await expect(two.acquireConnection(ACCOUNT, 'h4', 2)).resolves.toMatchObject({
					granted: false,
				});
			}
			await one.releaseConnection(ACCOUNT, 'h1');
			await expect((shared ? two : one).acquireConnection(ACCOUNT, 'h4', 2)).resolves.toEqual({
				granted: true,
			});
		});
	});
});

describe('Redis store', () => {
	it('frees the slots of a process that died, and keeps those of one that lives', async () => {
		const live = new RedisLimitStore(redisFromUrl(fixtures.redis.url), 300);
		const dying = new RedisLimitStore(redisFromUrl(fixtures.redis.url), 300);
		const other = new RedisLimitStore(redisFromUrl(fixtures.redis.url), 300);
		try {
			await live.acquireConnection(ACCOUNT, 'live', 2);
			await dying.acquireConnection(ACCOUNT, 'dying', 2);
			// Stops renewing, as a killed worker would.
			await dying.close();
			await sleep(900);
			await expect(other.acquireConnection(ACCOUNT, 'next', 2)).resolves.toEqual({
				granted: true,
			});
			await expect(other.acquireConnection(ACCOUNT, 'more', 2)).resolves.toMatchObject({
				granted: false,
			});
		} finally {
			await live.close();
			await other.close();
			await fixtures.flushRedis();
		}
	});

	it('an attempt in flight stays counted while its process lives, however long it takes', async () => {
		const store = new RedisLimitStore(redisFromUrl(fixtures.redis.url), 300);
		try {
			const rate = { slots: 1, windowMs: 100 };
			await store.startAttempt(ACCOUNT, 'slow', rate);
			await sleep(800);
			await expect(store.startAttempt(ACCOUNT, 'next', rate)).resolves.toMatchObject({
				go: false,
			});
		} finally {
			await store.close();
			await fixtures.flushRedis();
		}
	});

	it('sends nothing for a finish that changes nothing, and records every push-back', async () => {
		const store = new RedisLimitStore(redisFromUrl(fixtures.redis.url));
		const admin = new Redis(fixtures.redis.url);
		// Script runs, loaded (EVALSHA) or not yet (EVAL): one per round trip of the store.
		const scriptCalls = async () =>
			[...(await admin.info('commandstats')).matchAll(/cmdstat_eval(?:sha)?:calls=(\d+)/g)].reduce(
				(sum, match) => sum + Number(match[1]),
				0,
			);
		try {
			await admin.config('RESETSTAT');
			await store.startAttempt(ACCOUNT, 'quiet-1', undefined);
			await store.startAttempt(ACCOUNT, 'quiet-2', undefined);
			await store.startAttempt(ACCOUNT, 'rated', { slots: 5, windowMs: 1000 });
			const afterStarts = await scriptCalls();
			await store.finishAttempt(ACCOUNT, 'quiet-1', 'accepted');
			await store.finishAttempt(ACCOUNT, 'quiet-2', 'failed');
			expect(await scriptCalls()).toBe(afterStarts);
			// A slot in the rate window is given its finish time; push-back is always recorded.
			await store.finishAttempt(ACCOUNT, 'rated', 'accepted');
			expect(await scriptCalls()).toBe(afterStarts + 1);
			await store.startAttempt(ACCOUNT, 'throttled', undefined);
			await store.finishAttempt(ACCOUNT, 'throttled', 'throttled');
			await expect(store.startAttempt(ACCOUNT, 'next', undefined)).resolves.toMatchObject({
				go: false,
				reason: 'coolDown',
			});
		} finally {
			admin.disconnect();
			await store.close();
			await fixtures.flushRedis();
		}
	});

	it('fails closed, naming the Redis, when it cannot be reached', async () => {
		const gone = await startRedisServer();
		const store = new RedisLimitStore(redisFromUrl(gone.url));
		try {
			await expect(store.reserveDaily(ACCOUNT, entry(1), noLimits)).resolves.toEqual({
				granted: true,
			});
			await gone.stop('SIGKILL');
			const started = Date.now();
			await expect(
				store.reserveDaily(ACCOUNT, entry(2), { messages: 5, recipients: 0 }),
			).rejects.toMatchObject({
				failure: {
					kind: 'config',
					stopsAccount: true,
					title: 'Account limits unavailable',
					description: expect.stringContaining(`Redis at redis://127.0.0.1:${gone.port}`),
				},
			});
			expect(Date.now() - started).toBeLessThan(15_000);
		} finally {
			await store.close();
			// ioredis gives a socket to a vanished server 2 s to end before destroying it.
			await sleep(2_100);
		}
	});

	it('uses a password-protected Redis', async () => {
		const locked = await startRedisServer({ password: 'redis secret/1' });
		const store = new RedisLimitStore(redisFromUrl(locked.url));
		try {
			await expect(store.reserveDaily(ACCOUNT, entry(1), noLimits)).resolves.toEqual({
				granted: true,
			});
		} finally {
			await store.close();
			await locked.stop();
		}
	});
});
