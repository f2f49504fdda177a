// eslint-disable-next-line @typescript-eslint/no-require-imports -- shared with the scripts, which are plain CommonJS
const { startRedisServer: start } = require('../../scripts/lib/redisServer') as {
	startRedisServer(options?: { password?: string; port?: number }): Promise<RedisTestServer>;
};

export interface RedisTestServer {
	host: string;
	port: number;
	/** `redis://[:password@]127.0.0.1:port` */
	url: string;
	stop(signal?: NodeJS.Signals): Promise<void>;
}

/** A real redis-server on a free loopback port (Debian's package, installed by the test setup). */
export function startRedisServer(options?: {
	password?: string;
	port?: number;
}): Promise<RedisTestServer> {
	return start(options);
}
