import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

import Redis from 'ioredis';

import { DAY_MS } from '../../../nodes/GmailSmtp/durations';
import { EmbeddedLimitStore } from '../../../nodes/GmailSmtp/delivery/account/embeddedLimitStore';
import type { LimitStore } from '../../../nodes/GmailSmtp/delivery/account/limitStore';
import { NO_PUSHBACK } from '../../../nodes/GmailSmtp/delivery/account/pushback';
import { RedisLimitStore } from '../../../nodes/GmailSmtp/delivery/account/redisLimitStore';
import { redisFromUrl } from '../../../nodes/GmailSmtp/delivery/account/redisSettings';
import { useStoreFixtures } from '../../helpers/storeFixtures';

const ACCOUNT = 'sender@example.com@smtp.gmail.com';
const TEN_DAYS = 10 * DAY_MS;
const oneMessage = { messages: 1, recipients: 0 };
const entry = { id: '<next@example.com>', recipients: 1 };

const fixtures = useStoreFixtures<LimitStore>('gmail-smtp-clock-');
afterEach(() => fixtures.flushRedis());

/** The embedded store over a ledger file with this content. */
function embeddedWith(ledger: unknown): EmbeddedLimitStore {
	const embedded = fixtures.track(new EmbeddedLimitStore(fixtures.folder));
	const path = embedded.ledgerPath(ACCOUNT);
	mkdirSync(dirname(path), { recursive: true });
	writeFileSync(path, JSON.stringify(ledger));
	return embedded;
}

/** The Redis store, with `prepare` run on the account's keys first. */
async function redisWith(prepare: (admin: Redis, base: string) => Promise<unknown>) {
	const admin = new Redis(fixtures.redis.url);
	await prepare(admin, `gmail-smtp:{${ACCOUNT}}`);
	admin.disconnect();
	return fixtures.track(new RedisLimitStore(redisFromUrl(fixtures.redis.url)));
}

describe('the clock stepped back: rows and pauses dated in the future count as now', () => {
	const cases: Array<[string, () => Promise<LimitStore>]> = [
		[
			'embedded',
			async () =>
				embeddedWith({
					version: 1,
					account: ACCOUNT,
					rows: [[Date.now() + TEN_DAYS, 1, '<early@example.com>']],
					pushback: NO_PUSHBACK,
				}),
		],
		[
			'Redis',
			() =>
				redisWith(async (admin, base) => {
					await admin.zadd(`${base}:ledger`, Date.now() + TEN_DAYS, '<early@example.com>|1');
					await admin.set(`${base}:recipients`, 1);
				}),
		],
	];

	it.each(cases)(
		'%s: a ledger row ten days ahead frees its place within 24 hours',
		async (_name, open) => {
			const store = await open();
			const refused = await store.reserveDaily(ACCOUNT, entry, oneMessage);

			expect(refused).toMatchObject({ granted: false, reason: 'messages', sent: 1 });
			expect((refused as { freeAt: number }).freeAt).toBeLessThanOrEqual(
				Date.now() + DAY_MS + 1000,
			);
		},
	);

	it.each([
		[
			'embedded',
			async () =>
				embeddedWith({
					version: 1,
					account: ACCOUNT,
					rows: [],
					pushback: { ...NO_PUSHBACK, exhaustedUntil: Date.now() + TEN_DAYS },
				}),
		],
		[
			'Redis',
			() =>
				redisWith((admin, base) =>
					admin.hset(`${base}:pushback`, 'exhaustedUntil', Date.now() + TEN_DAYS),
				),
		],
	] as Array<[string, () => Promise<LimitStore>]>)(
		"%s: a day's pause written ten days ahead ends within 24 hours",
		async (_name, open) => {
			const store = await open();
			const paused = await store.startAttempt(ACCOUNT, 'a', undefined);

			expect(paused).toMatchObject({ go: false, reason: 'exhausted' });
			expect((paused as { until: number }).until).toBeLessThanOrEqual(Date.now() + DAY_MS + 1000);
		},
	);
});

describe('a push-back field of the wrong type', () => {
	it('embedded: "ledger unreadable", naming the file and the field, nothing counted', async () => {
		const embedded = embeddedWith({
			version: 1,
			account: ACCOUNT,
			rows: [],
			pushback: { ...NO_PUSHBACK, coolDownUntil: 'tomorrow' },
		});

		await expect(embedded.reserveDaily(ACCOUNT, entry, oneMessage)).rejects.toMatchObject({
			failure: {
				kind: 'config',
				title: 'Account ledger unreadable',
				description: expect.stringContaining(
					`${embedded.ledgerPath(ACCOUNT)} cannot be read: its push-back field "coolDownUntil" is not a number`,
				),
			},
		});
	});

	it('Redis: a field that is not a number counts as no pause, not as "Invalid time value"', async () => {
		const store = await redisWith((admin, base) =>
			admin.hset(`${base}:pushback`, 'coolDownUntil', 'tomorrow', 'exhaustedUntil', 'never'),
		);

		await expect(store.startAttempt(ACCOUNT, 'a', undefined)).resolves.toEqual({ go: true });
	});
});
