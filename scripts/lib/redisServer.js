'use strict';
// A real Redis (Debian's redis-server) on a free loopback port, for the tests, the benchmark and
// the queue-mode run in real n8n. Installed with apt-get when missing, like the editor check's
// chromium; nothing is mocked.
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const { ensureDebianPackage } = require('./debianPackage');
const { reservePorts } = require('./freePort');

const CANDIDATES = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'];

function findRedisServer() {
	for (const candidate of CANDIDATES) if (fs.existsSync(candidate)) return candidate;
	try {
		return execFileSync('which', ['redis-server'], { encoding: 'utf8' }).trim() || undefined;
	} catch {
		return undefined;
	}
}

/** The path of redis-server, installing Debian's package first if needed. */
function ensureRedisServer(log = (message) => console.error(`[redis] ${message}`)) {
	// Debian starts a system-wide Redis on 6379 on install.
	return ensureDebianPackage({
		packageName: 'redis-server',
		find: findRedisServer,
		service: 'redis-server',
		log,
	});
}

function ping(port) {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
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
 * Starts redis-server on 127.0.0.1 and a free port, without persistence unless asked: `persistence`
 * 'aof' (appendonly, fsync every second) or 'rdb' (snapshots). `password` turns on AUTH. Resolves
 * once it answers PING. `restart` stops it and starts it again on the same port and data folder,
 * with the persistence given then (what a Redis kept on disk is read back; without, it is empty).
 * @param {{ password?: string, port?: number, persistence?: 'none' | 'aof' | 'rdb' }} [options]
 */
async function startRedisServer(options = {}) {
	const binary = ensureRedisServer();
	const port = options.port || (await reservePorts(1))[0];
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gmail-smtp-redis-'));
	let running = await launch(binary, port, dir, options);
	const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
	return {
		host: '127.0.0.1',
		port,
		url: `redis://${auth}127.0.0.1:${port}`,
		/** Stops the server (SIGKILL: the way a crashed Redis goes away). */
		async stop(signal = 'SIGTERM') {
			await running.stop(signal);
			fs.rmSync(dir, { recursive: true, force: true });
		},
		/** @param {{ persistence?: 'none' | 'aof' | 'rdb', signal?: NodeJS.Signals }} [again] */
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

async function launch(binary, port, dir, options) {
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
		async stop(signal) {
			if (child.exitCode === null && child.signalCode === null) child.kill(signal);
			await exited;
		},
	};
}

module.exports = { ensureRedisServer, startRedisServer };
