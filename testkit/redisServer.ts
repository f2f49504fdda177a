// A real Redis (Debian's redis-server) on a free loopback port, for the tests, the benchmark and
// the queue-mode checks in real n8n. Installed with apt-get when missing; nothing is mocked.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ensureDebianPackage, type Log } from './debianPackage';
import { reservePorts } from './freePort';

const CANDIDATES = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'];

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
	/** Stops the server (SIGKILL: the way a crashed Redis goes away). */
	stop(signal?: NodeJS.Signals): Promise<void>;
	/**
	 * Stops it and starts it again on the same port and data folder, with the persistence given
	 * then (what a Redis kept on disk is read back; without, it is empty).
	 */
	restart(options?: {
		persistence?: RedisTestOptions['persistence'];
		signal?: NodeJS.Signals;
	}): Promise<void>;
}

function findRedisServer(): string | undefined {
	for (const candidate of CANDIDATES) if (existsSync(candidate)) return candidate;
	try {
		return execFileSync('which', ['redis-server'], { encoding: 'utf8' }).trim() || undefined;
	} catch {
		return undefined;
	}
}

/** The path of redis-server, installing Debian's package first if needed. */
export function ensureRedisServer(log: Log = (message) => console.error(`[redis] ${message}`)) {
	// Debian starts a system-wide Redis on 6379 on install.
	return ensureDebianPackage({
		packageName: 'redis-server',
		find: findRedisServer,
		service: 'redis-server',
		log,
	});
}

function ping(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect(port, '127.0.0.1');
		socket.setTimeout(500);
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.once('data', (data) => {
			socket.destroy();
			// A password-protected server answers NOAUTH: it is up all the same.
			resolve(/^(\+PONG|-NOAUTH)/.test(data.toString()));
		});
		socket.once('error', () => resolve(false));
		socket.once('timeout', () => {
			socket.destroy();
			resolve(false);
		});
	});
}

/**
 * A real redis-server on 127.0.0.1 and a free port, without persistence unless asked: `aof`
 * (appendonly, fsync every second) or `rdb` (snapshots). `password` turns on AUTH. Resolves once
 * it answers PING.
 */
export async function startRedisServer(options: RedisTestOptions = {}): Promise<RedisTestServer> {
	const binary = ensureRedisServer();
	const port = options.port || (await reservePorts(1))[0];
	const dir = mkdtempSync(join(tmpdir(), 'gmail-smtp-redis-'));
	let running = await launch(binary, port, dir, options);
	const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
	return {
		host: '127.0.0.1',
		port,
		url: `redis://${auth}127.0.0.1:${port}`,
		async stop(signal = 'SIGTERM') {
			await running.stop(signal);
			rmSync(dir, { recursive: true, force: true });
		},
		async restart(again = {}) {
			await running.stop(again.signal ?? 'SIGTERM');
			running = await launch(binary, port, dir, { ...options, ...again });
		},
	};
}

const PERSISTENCE = {
	none: ['--save', '', '--appendonly', 'no'],
	aof: ['--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec'],
	rdb: ['--save', '3600 1 300 100 60 10000', '--appendonly', 'no'],
};

async function launch(binary: string, port: number, dir: string, options: RedisTestOptions) {
	const args = ['--port', String(port), '--bind', '127.0.0.1'];
	args.push(...PERSISTENCE[options.persistence || 'none']);
	args.push('--dir', dir, '--daemonize', 'no', '--loglevel', 'warning');
	if (options.password) args.push('--requirepass', options.password);
	const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
	let stderr = '';
	child.stderr.on('data', (chunk) => (stderr += chunk));
	const exited = new Promise((resolve) => child.once('close', resolve));
	for (let tries = 0; ; tries++) {
		if (child.exitCode !== null) throw new Error(`redis-server exited: ${stderr}`);
		if (await ping(port)) break;
		if (tries > 100) {
			child.kill('SIGKILL');
			throw new Error(`redis-server did not answer on ${port}: ${stderr}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	return {
		async stop(signal: NodeJS.Signals) {
			if (child.exitCode === null && child.signalCode === null) child.kill(signal);
			await exited;
		},
	};
}
