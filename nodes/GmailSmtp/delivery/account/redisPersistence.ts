import type Redis from 'ioredis';

export type Persistence = 'rdb' | 'aof' | 'none' | 'unknown';

/**
 * Whether Redis writes its data to disk (RDB snapshots or the AOF): from CONFIG GET, or, where the
 * server refuses CONFIG (managed services), from INFO persistence, which shows AOF but not whether
 * snapshots are configured; then only AOF can be told, and the answer may be `unknown`.
 */
export async function redisPersistence(client: Redis): Promise<Persistence> {
	try {
		const [, aof] = (await client.config('GET', 'appendonly')) as string[];
		if (aof === 'yes') return 'aof';
		const [, save] = (await client.config('GET', 'save')) as string[];
		return save?.trim() ? 'rdb' : 'none';
	} catch {
		try {
			const info = await client.info('persistence');
			return /^aof_enabled:1/m.test(info) ? 'aof' : 'unknown';
		} catch {
			return 'unknown';
		}
	}
}

/** What the user is told about a Redis that keeps nothing on disk. */
export function persistenceNotice(label: string, persistence: Persistence): string | undefined {
	if (persistence !== 'none') return undefined;
	return `${label} keeps nothing on disk (no RDB snapshots, no AOF): when it restarts, every account's count of the last 24 hours and any pause after Gmail pushed back start again from zero, and n8n may send more than the Daily Limit. Turn persistence on in Redis (appendonly yes, or save 3600 1 300 100 60 10000); see the README, "Queue mode".`;
}
