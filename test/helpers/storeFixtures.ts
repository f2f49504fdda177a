// What the store contract suites (limit stores, suppression stores) stand on: one real
// redis-server for the file, a fresh folder for each test, and every store a test opened closed
// after it, before the folder goes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Redis from 'ioredis';

import { startRedisServer, type RedisTestServer } from '../../testkit/redisServer';

interface Closable {
	close(): Promise<void>;
}

export interface StoreFixtures<Store extends Closable> {
	/** The file's redis-server (started in beforeAll, stopped in afterAll). */
	readonly redis: RedisTestServer;
	/** This test's own empty folder (made in beforeEach, removed in afterEach). */
	readonly folder: string;
	/** Closes the store after this test. */
	track<Opened extends Store>(store: Opened): Opened;
	/** Empties the Redis database, for the next test. */
	flushRedis(): Promise<void>;
}

/** Registers the hooks in the calling file; `folderPrefix` names the temp folders. */
export function useStoreFixtures<Store extends Closable>(
	folderPrefix: string,
): StoreFixtures<Store> {
	let redis: RedisTestServer | undefined;
	let folder: string | undefined;
	const opened: Store[] = [];

	beforeAll(async () => {
		redis = await startRedisServer();
	});
	afterAll(async () => {
		await redis?.stop();
	});
	beforeEach(() => {
		folder = mkdtempSync(join(tmpdir(), folderPrefix));
	});
	afterEach(async () => {
		await Promise.all(opened.splice(0).map((store) => store.close()));
		if (folder) rmSync(folder, { recursive: true, force: true });
	});

	return {
		get redis() {
			if (!redis) throw new Error('redis-server is started in beforeAll');
			return redis;
		},
		get folder() {
			if (!folder) throw new Error('the folder is made in beforeEach');
			return folder;
		},
		track(store) {
			opened.push(store);
			return store;
		},
		async flushRedis() {
			const admin = new Redis(this.redis.url);
			try {
				await admin.flushdb();
			} finally {
				admin.disconnect();
			}
		},
	};
}
