import Redis, { Cluster, type RedisOptions } from 'ioredis';

import {
	ACQUIRE_CONNECTION,
	ADOPT_LEGACY,
	FINISH_ATTEMPT,
	RELEASE_DAILY,
	RENEW_LEASES,
	RESERVE_DAILY,
	START_ATTEMPT,
} from './redisScripts';
import type { RedisSettings } from './redisSettings';

/** What a script answers: a status word and its numbers. */
export type ScriptReply = Array<string | number>;

export interface ScriptClient {
	reserveDaily(...args: Array<string | number>): Promise<ScriptReply>;
	releaseDaily(...args: Array<string | number>): Promise<unknown>;
	startAttempt(...args: Array<string | number>): Promise<ScriptReply>;
	finishAttempt(...args: Array<string | number>): Promise<unknown>;
	acquireConnection(...args: Array<string | number>): Promise<ScriptReply>;
	renewLeases(...args: Array<string | number>): Promise<unknown>;
	adoptLegacy(...args: Array<string | number>): Promise<unknown>;
	readonly status: string;
	quit(): Promise<unknown>;
	disconnect(): void;
}

/**
 * A Redis (or cluster) client as every store of ours uses one: commands fail fast rather than
 * queue while Redis is away, so a send stops rather than wait on a Redis that is gone.
 */
export function redisClient(settings: RedisSettings, extra: RedisOptions = {}): Redis | Cluster {
	const options: RedisOptions = {
		...settings.options,
		connectTimeout: 5_000,
		commandTimeout: 5_000,
		maxRetriesPerRequest: 1,
		retryStrategy: (times: number) => Math.min(times * 200, 2_000),
		...extra,
	};
	const client = settings.clusterNodes
		? new Cluster(settings.clusterNodes, { redisOptions: options })
		: new Redis(options);
	// Failures reach the caller of each command; the client's own events would only be noise.
	client.on('error', () => undefined);
	return client;
}

/** Closes a client, whether Redis is there or went away. */
export async function closeRedisClient(client: {
	readonly status: string;
	quit(): Promise<unknown>;
	disconnect(): void;
}): Promise<void> {
	// A client that is reconnecting to a Redis that went away would wait for it on `quit`.
	if (client.status === 'ready') await client.quit().catch(() => undefined);
	// After a clean quit the connection is gone; disconnecting it again would leave a timer.
	if (client.status !== 'end') client.disconnect();
}

/**
 * A client with the store's scripts defined as commands. `onReady` runs whenever the connection
 * is (re)made.
 */
export function scriptClient(settings: RedisSettings, onReady: () => void): ScriptClient {
	const client = redisClient(settings);
	client.on('ready', onReady);
	const scripts: Array<[string, string, number]> = [
		['reserveDaily', RESERVE_DAILY, 3],
		['releaseDaily', RELEASE_DAILY, 2],
		['startAttempt', START_ATTEMPT, 5],
		['finishAttempt', FINISH_ATTEMPT, 2],
		['acquireConnection', ACQUIRE_CONNECTION, 1],
		['renewLeases', RENEW_LEASES, 2],
		['adoptLegacy', ADOPT_LEGACY, 6],
	];
	for (const [name, lua, numberOfKeys] of scripts) {
		client.defineCommand(name, { lua, numberOfKeys });
	}
	return client as unknown as ScriptClient;
}
