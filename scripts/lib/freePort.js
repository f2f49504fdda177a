'use strict';
const fs = require('node:fs');
const net = require('node:net');

/** A TCP port on 127.0.0.1 that was free a moment ago. */
async function freePort() {
	const server = net.createServer();
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address();
	await new Promise((resolve) => server.close(resolve));
	return port;
}

/**
 * `count` distinct free loopback ports, below the kernel's ephemeral range: for a process that
 * binds them seconds later (n8n, after booting), when a port from `listen(0)` could meanwhile go
 * to an outgoing connection (n8n's own Redis clients, SMTP clients) or come back from the next
 * `listen(0)`.
 */
async function reservePorts(count) {
	const ephemeralLow = Number(readFirstWord('/proc/sys/net/ipv4/ip_local_port_range')) || 32768;
	const low = 10_000;
	const servers = [];
	try {
		for (let tries = 0; servers.length < count; tries++) {
			if (tries > 1000)
				throw new Error(`no ${count} free ports between ${low} and ${ephemeralLow}`);
			const candidate = low + Math.floor(Math.random() * (ephemeralLow - low));
			const server = net.createServer();
			const bound = await new Promise((resolve) => {
				server.once('error', () => resolve(false));
				server.listen(candidate, '127.0.0.1', () => resolve(true));
			});
			if (bound) servers.push(server);
		}
		return servers.map((server) => server.address().port);
	} finally {
		await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
	}
}

function readFirstWord(file) {
	try {
		return fs.readFileSync(file, 'utf8').trim().split(/\s+/)[0];
	} catch {
		return undefined;
	}
}

module.exports = { freePort, reservePorts };
