import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';

const listening = (server: Server, port: number) =>
	new Promise<boolean>((resolve) => {
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => resolve(true));
	});
const closed = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
	const server = createServer();
	await listening(server, 0);
	const { port } = server.address() as AddressInfo;
	await closed(server);
	return port;
}

/**
 * `count` distinct free loopback ports, below the kernel's ephemeral range: for a process that
 * binds them seconds later (n8n, after booting), when a port from `listen(0)` could meanwhile go
 * to an outgoing connection (n8n's own Redis clients, SMTP clients) or come back from the next
 * `listen(0)`.
 */
export async function reservePorts(count: number): Promise<number[]> {
	const ephemeralLow = Number(readFirstWord('/proc/sys/net/ipv4/ip_local_port_range')) || 32768;
	const low = 10_000;
	const servers: Server[] = [];
	try {
		for (let tries = 0; servers.length < count; tries++) {
			if (tries > 1000)
				throw new Error(`no ${count} free ports between ${low} and ${ephemeralLow}`);
			const candidate = low + Math.floor(Math.random() * (ephemeralLow - low));
			const server = createServer();
			if (await listening(server, candidate)) servers.push(server);
		}
		return servers.map((server) => (server.address() as AddressInfo).port);
	} finally {
		await Promise.all(servers.map(closed));
	}
}

function readFirstWord(file: string): string | undefined {
	try {
		return readFileSync(file, 'utf8').trim().split(/\s+/)[0];
	} catch {
		return undefined;
	}
}
