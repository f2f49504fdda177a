import Redis from 'ioredis';

import { startRedisServer } from '../testkit/redisServer';

/**
 * What clients asked of Redis since the last `reset`. Redis counts the commands a script runs as
 * calls of their own, so requests (one round trip each) are told apart from them by name: the
 * store sends scripts and ZREM (a connection slot given back), nothing else.
 */
export interface CommandStats {
	requests: number;
	/** Time Redis spent serving the requests, the commands their scripts ran included. */
	serverMicros: number;
	/** Commands run inside the scripts. */
	inScripts: number;
	byCommand: Record<string, number>;
}

export interface BenchRedis {
	url: string;
	version: string;
	/** Empties the database and zeroes the command counters: every run starts with no ledger. */
	reset(): Promise<void>;
	commandStats(): Promise<CommandStats>;
	stop(): Promise<void>;
}

/** What the bench itself and a client's handshake send, as opposed to the store's own work. */
const NOT_THE_STORE = new Set(['info', 'config', 'flushdb', 'select', 'client', 'hello', 'ping']);
const REQUESTS = new Set(['evalsha', 'eval', 'zrem']);

/** A real redis-server on a free loopback port (testkit/redisServer.ts), without persistence. */
export async function startBenchRedis(): Promise<BenchRedis> {
	const server = await startRedisServer();
	const admin = new Redis(server.url, { lazyConnect: true });
	await admin.connect();
	const version = /redis_version:(\S+)/.exec(await admin.info('server'))?.[1] ?? 'unknown';
	return {
		url: server.url,
		version,
		async reset() {
			await admin.flushdb();
			await admin.config('RESETSTAT');
		},
		async commandStats() {
			const stats: CommandStats = { requests: 0, serverMicros: 0, inScripts: 0, byCommand: {} };
			for (const line of (await admin.info('commandstats')).split('\n')) {
				const match = /^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/.exec(line);
				if (!match || NOT_THE_STORE.has(match[1].split('|')[0])) continue;
				const [, name, calls, micros] = match;
				stats.byCommand[name] = Number(calls);
				if (REQUESTS.has(name)) {
					stats.requests += Number(calls);
					stats.serverMicros += Number(micros);
				} else {
					stats.inScripts += Number(calls);
				}
			}
			return stats;
		},
		async stop() {
			await admin.quit().catch(() => undefined);
			await server.stop();
		},
	};
}
