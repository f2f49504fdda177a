import { appendFileSync, readdirSync, writeFileSync } from 'node:fs';

import { redisFromUrl } from '../../../../nodes/GmailSmtp/delivery/account/redisSettings';
import { EmbeddedSuppressionStore } from '../../../../nodes/GmailSmtp/delivery/suppression/embeddedSuppressionStore';
import { RedisSuppressionStore } from '../../../../nodes/GmailSmtp/delivery/suppression/redisSuppressionStore';
import type {
	Suppression,
	SuppressionStore,
} from '../../../../nodes/GmailSmtp/delivery/suppression/suppressionStore';
import { GmailSmtpError, type Failure } from '../../../../nodes/GmailSmtp/errors/GmailSmtpError';
import { startRedisServer } from '../../../../testkit/redisServer';
import { useStoreFixtures } from '../../../helpers/storeFixtures';

const ACCOUNT = 'sender@example.com@smtp.gmail.com';
const OTHER_ACCOUNT = 'other@example.com@smtp.gmail.com';

const unsubscribed = (email: string, at = '2026-12-01T10:00:00.000Z'): Suppression => ({
	email,
	reason: 'unsubscribe',
	at,
	method: 'one-click',
	messageId: '<0b1c2d3e-4f50-4617-8899-aabbccddeeff@example.com>',
});
const manual = (email: string): Suppression => ({
	email,
	reason: 'manual',
	at: '2026-12-02T09:00:00.000Z',
});

async function rejectionOf(promise: Promise<unknown>): Promise<Failure> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(GmailSmtpError);
		return (error as GmailSmtpError).failure;
	}
	throw new Error('expected a failure');
}

interface StoreKind {
	name: string;
	open(): SuppressionStore;
	cleanup(): Promise<void>;
}

const fixtures = useStoreFixtures<SuppressionStore>('gmail-smtp-suppressed-');

const kinds: StoreKind[] = [
	{
		name: 'embedded (list file)',
		open: () => fixtures.track(new EmbeddedSuppressionStore(fixtures.folder)),
		cleanup: async () => undefined,
	},
	{
		name: 'Redis (real redis-server)',
		open: () => fixtures.track(new RedisSuppressionStore(redisFromUrl(fixtures.redis.url))),
		cleanup: () => fixtures.flushRedis(),
	},
];

describe.each(kinds)('$name suppression store', (kind) => {
	afterEach(() => kind.cleanup());

	it('finds what was added, whatever the case of the address, with its record', async () => {
		const store = kind.open();
		await expect(
			store.add(ACCOUNT, 'default', [
				unsubscribed('Jane.Doe@Example.com'),
				manual('bob@example.com'),
			]),
		).resolves.toEqual([true, true]);
		const found = await store.find(ACCOUNT, 'default', [
			'jane.doe@example.com',
			'BOB@EXAMPLE.COM',
			'carol@example.com',
		]);
		expect([...found.keys()].sort()).toEqual(['bob@example.com', 'jane.doe@example.com']);
		expect(found.get('jane.doe@example.com')).toEqual(unsubscribed('jane.doe@example.com'));
		expect(found.get('bob@example.com')).toEqual(manual('bob@example.com'));
	});

	it('adding an address twice keeps its first record and says it was not new', async () => {
		const store = kind.open();
		await store.add(ACCOUNT, 'default', [unsubscribed('jane@example.com')]);
		await expect(
			store.add(ACCOUNT, 'default', [
				unsubscribed('JANE@example.com', '2026-12-09T00:00:00.000Z'),
				manual('new@example.com'),
			]),
		).resolves.toEqual([false, true]);
		const found = await store.find(ACCOUNT, 'default', ['jane@example.com']);
		expect(found.get('jane@example.com')?.at).toBe('2026-12-01T10:00:00.000Z');
	});

	it('removes an address (re-subscribe) and says which were there', async () => {
		const store = kind.open();
		await store.add(ACCOUNT, 'default', [manual('a@example.com'), manual('b@example.com')]);
		await expect(
			store.remove(ACCOUNT, 'default', ['A@example.com', 'nobody@example.com']),
		).resolves.toEqual([true, false]);
		const found = await store.find(ACCOUNT, 'default', ['a@example.com', 'b@example.com']);
		expect([...found.keys()]).toEqual(['b@example.com']);
		// And it can be added again afterwards.
		await expect(store.add(ACCOUNT, 'default', [manual('a@example.com')])).resolves.toEqual([true]);
	});

	it('a bounce seen before the address was removed does not put it back; a newer one, an unsubscribe or a manual add do', async () => {
		const store = kind.open();
		const bounce = (email: string, seenAt: string) => ({
			email,
			reason: 'bounce' as const,
			at: '2026-12-05T08:00:00.000Z',
			seenAt,
		});
		await store.add(ACCOUNT, 'default', [bounce('gone@example.com', '2026-12-02T09:00:00.000Z')]);
		await store.remove(ACCOUNT, 'default', ['Gone@example.com'], new Date('2026-12-04T12:00:00Z'));
		await expect(
			store.add(ACCOUNT, 'default', [
				bounce('gone@example.com', '2026-12-02T09:00:00.000Z'),
				bounce('gone@example.com', '2026-12-04T11:59:59.999Z'),
			]),
		).resolves.toEqual([false, false]);
		expect((await store.find(ACCOUNT, 'default', ['gone@example.com'])).size).toBe(0);
		// Another list, and an address never removed, are not concerned.
		await expect(
			store.add(ACCOUNT, 'other', [bounce('gone@example.com', '2026-12-02T09:00:00.000Z')]),
		).resolves.toEqual([true]);
		await expect(
			store.add(ACCOUNT, 'default', [bounce('kept@example.com', '2020-01-01T00:00:00.000Z')]),
		).resolves.toEqual([true]);

		// A second store (another process) judges the same way.
		const second = kind.open();
		await expect(
			second.add(ACCOUNT, 'default', [bounce('gone@example.com', '2026-12-03T00:00:00.000Z')]),
		).resolves.toEqual([false]);
		await expect(
			second.add(ACCOUNT, 'default', [bounce('gone@example.com', '2026-12-04T12:00:00.001Z')]),
		).resolves.toEqual([true]);
		const found = await store.find(ACCOUNT, 'default', ['gone@example.com']);
		expect(found.get('gone@example.com')).toEqual({
			email: 'gone@example.com',
			reason: 'bounce',
			at: '2026-12-05T08:00:00.000Z',
		});

		await store.remove(ACCOUNT, 'default', ['gone@example.com'], new Date('2026-12-06T00:00:00Z'));
		await expect(
			store.add(ACCOUNT, 'default', [unsubscribed('gone@example.com'), manual('gone@example.com')]),
		).resolves.toEqual([true, false]);
	});

	it('keeps lists and accounts apart', async () => {
		const store = kind.open();
		await store.add(ACCOUNT, 'newsletter', [manual('jane@example.com')]);
		await expect(store.find(ACCOUNT, 'default', ['jane@example.com'])).resolves.toEqual(new Map());
		await expect(store.find(OTHER_ACCOUNT, 'newsletter', ['jane@example.com'])).resolves.toEqual(
			new Map(),
		);
		expect((await store.find(ACCOUNT, 'newsletter', ['jane@example.com'])).size).toBe(1);
	});

	it('another process (a second store on the same data) sees every change at once', async () => {
		const first = kind.open();
		const second = kind.open();
		// Read first, so that a stale copy would show.
		await expect(second.find(ACCOUNT, 'default', ['jane@example.com'])).resolves.toEqual(new Map());
		await first.add(ACCOUNT, 'default', [unsubscribed('jane@example.com')]);
		expect((await second.find(ACCOUNT, 'default', ['jane@example.com'])).size).toBe(1);
		await second.remove(ACCOUNT, 'default', ['jane@example.com']);
		expect((await first.find(ACCOUNT, 'default', ['jane@example.com'])).size).toBe(0);
	});

	it('loses no address when two processes add at the same time', async () => {
		const stores = [kind.open(), kind.open()];
		const emails = Array.from({ length: 24 }, (_, index) => `person${index}@example.com`);
		await Promise.all(
			emails.map((email, index) => stores[index % 2].add(ACCOUNT, 'default', [manual(email)])),
		);
		const found = await kind.open().find(ACCOUNT, 'default', emails);
		expect(found.size).toBe(emails.length);
	});

	it('takes an imported list of thousands in one call', async () => {
		const store = kind.open();
		const emails = Array.from({ length: 2500 }, (_, index) => `import${index}@example.com`);
		const added = await store.add(ACCOUNT, 'default', emails.map(manual));
		expect(added.filter(Boolean)).toHaveLength(2500);
		const found = await store.find(ACCOUNT, 'default', [...emails, 'not-on-it@example.com']);
		expect(found.size).toBe(2500);
		const removed = await store.remove(ACCOUNT, 'default', emails.slice(0, 1200));
		expect(removed.filter(Boolean)).toHaveLength(1200);
		expect((await store.find(ACCOUNT, 'default', emails)).size).toBe(1300);
	});

	it('answers nothing for nothing asked', async () => {
		const store = kind.open();
		await expect(store.find(ACCOUNT, 'default', [])).resolves.toEqual(new Map());
		await expect(store.add(ACCOUNT, 'default', [])).resolves.toEqual([]);
		await expect(store.remove(ACCOUNT, 'default', [])).resolves.toEqual([]);
	});
});

describe('embedded suppression store', () => {
	it('names its files by a hash: no address or list name becomes a file name', async () => {
		const store = new EmbeddedSuppressionStore(fixtures.folder);
		await store.add('jane@private.example@smtp.gmail.com', 'vip', [manual('x@example.com')]);
		const files = readdirSync(fixtures.folder);
		expect(files).toEqual([expect.stringMatching(/^suppressed-[0-9a-f]{20}\.journal$/)]);
	});

	it('refuses to read a damaged file as an empty list, naming the file', async () => {
		const store = new EmbeddedSuppressionStore(fixtures.folder);
		writeFileSync(
			store.listPath(ACCOUNT, 'default'),
			'\n{"t":"a:1","op":"a","r":{"email":"jane@example.com","reason":"unsubscribe"}}\n',
		);
		const failure = await rejectionOf(store.find(ACCOUNT, 'default', ['jane@example.com']));
		expect(failure).toMatchObject({ kind: 'config', title: 'Suppression list unreadable' });
		expect(failure.description).toContain(store.listPath(ACCOUNT, 'default'));
	});
});

describe('embedded suppression store: the journal', () => {
	it('skips a line torn by a crash and keeps every change around it', async () => {
		const store = new EmbeddedSuppressionStore(fixtures.folder);
		await store.add(ACCOUNT, 'default', [manual('before@example.com')]);
		appendFileSync(store.listPath(ACCOUNT, 'default'), '{"t":"torn","op":"a","r":{"ema');
		const other = fixtures.track(new EmbeddedSuppressionStore(fixtures.folder));
		await other.add(ACCOUNT, 'default', [manual('after@example.com')]);
		const found = await fixtures
			.track(new EmbeddedSuppressionStore(fixtures.folder))
			.find(ACCOUNT, 'default', ['before@example.com', 'after@example.com']);
		expect([...found.keys()].sort()).toEqual(['after@example.com', 'before@example.com']);
	});

	it('two processes recording the same unsubscribe at once agree that exactly one recorded it', async () => {
		const stores = [
			fixtures.track(new EmbeddedSuppressionStore(fixtures.folder)),
			fixtures.track(new EmbeddedSuppressionStore(fixtures.folder)),
		];
		for (let round = 0; round < 20; round++) {
			const email = `race${round}@example.com`;
			const answers = await Promise.all(
				stores.map((store) => store.add(ACCOUNT, 'default', [unsubscribed(email)])),
			);
			expect(answers.flat().filter(Boolean)).toHaveLength(1);
		}
	});

	it('a process that slept through changes replays them rather than overwrite them', async () => {
		const sleeper = fixtures.track(new EmbeddedSuppressionStore(fixtures.folder));
		await sleeper.add(ACCOUNT, 'default', [manual('a@example.com')]);
		const awake = fixtures.track(new EmbeddedSuppressionStore(fixtures.folder));
		await awake.remove(ACCOUNT, 'default', ['a@example.com']);
		await awake.add(ACCOUNT, 'default', [manual('b@example.com')]);
		// The sleeper's next change lands after the others' and is judged there.
		await expect(sleeper.add(ACCOUNT, 'default', [manual('b@example.com')])).resolves.toEqual([
			false,
		]);
		const found = await sleeper.find(ACCOUNT, 'default', ['a@example.com', 'b@example.com']);
		expect([...found.keys()]).toEqual(['b@example.com']);
	});

	it('reading a list nobody wrote to creates no file', async () => {
		const store = new EmbeddedSuppressionStore(fixtures.folder);
		await expect(store.find(ACCOUNT, 'default', ['x@example.com'])).resolves.toEqual(new Map());
		expect(readdirSync(fixtures.folder)).toEqual([]);
	});
});

describe('Redis suppression store', () => {
	it('keeps each list in a hash beside the account budget (same prefix and hash tag)', () => {
		const store = new RedisSuppressionStore(redisFromUrl(fixtures.redis.url));
		fixtures.track(store);
		expect(store.key(ACCOUNT, 'default')).toBe(`gmail-smtp:{${ACCOUNT}}:suppressed:default`);
	});

	it('fails with a clear error when Redis cannot be reached, rather than answer "not suppressed"', async () => {
		const gone = await startRedisServer();
		const store = fixtures.track(new RedisSuppressionStore(redisFromUrl(gone.url)));
		await store.add(ACCOUNT, 'default', [manual('jane@example.com')]);
		await gone.stop();
		const failure = await rejectionOf(store.find(ACCOUNT, 'default', ['jane@example.com']));
		expect(failure).toMatchObject({ kind: 'config', title: 'Suppression list unavailable' });
		expect(failure.description).toContain(`127.0.0.1:${gone.port}`);
	});
});
