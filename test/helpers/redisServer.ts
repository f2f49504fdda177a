// eslint-disable-next-line @typescript-eslint/no-require-imports -- shared with the scripts, which are plain CommonJS
const { startRedisServer: start } = require('../../scripts/lib/redisServer') as {
	startRedisServer(options?: RedisTestOptions): Promise<RedisTestServer>;
};

export interface RedisTestOptions {
	password?: string;
	port?: number;
	/** What Redis keeps on disk: nothing (the default), the AOF, or RDB snapshots. */
	persistence?: 'none' | 'aof' | 'rdb';
}

export interface RedisTestServer {
	host: string;
	port: number;
	/** `redis://[:password@]127.0.0.1:port` */
	url: string;
	stop(signal?: NodeJS.Signals): Promise<void>;
	/** Stops it and starts it again on the same port and data folder. */
	restart(options?: {
		persistence?: RedisTestOptions['persistence'];
		signal?: NodeJS.Signals;
	}): Promise<void>;
}

/** A real redis-server on a free loopback port (Debian's package, installed by the test setup). */
export function startRedisServer(options?: RedisTestOptions): Promise<RedisTestServer> {
	return start(options);
}
