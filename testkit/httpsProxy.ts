// An HTTPS reverse proxy on 127.0.0.1, as n8n runs in production behind one (nginx, Caddy,
// Traefik): TLS with the test certificate, every request passed on unchanged to the plain HTTP
// n8n behind it, with X-Forwarded-Proto/For/Host. One-click unsubscribe links must be https
// (RFC 8058, Gmail), so the tests reach the trigger the way Gmail would: through TLS, the
// certificate verified against the test CA.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';

import { TEST_TLS } from './testTls';

export interface HttpsProxy {
	port: number;
	url: string;
	/** Where requests go from now on: the base URL of the running n8n (its main in queue mode). */
	setTarget(base: string): void;
	requests: Array<{ method: string; path: string; headers: IncomingHttpHeaders }>;
	close(): Promise<void>;
}

export async function startHttpsProxy(): Promise<HttpsProxy> {
	let target: string | undefined;
	const requests: HttpsProxy['requests'] = [];
	const server = createServer(
		{ key: TEST_TLS.serverKey, cert: TEST_TLS.serverCert },
		(req, res) => {
			requests.push({ method: req.method ?? '', path: req.url ?? '', headers: { ...req.headers } });
			if (!target) {
				res.writeHead(502, { 'content-type': 'text/plain' });
				res.end('no n8n behind the proxy yet');
				return;
			}
			const upstream = httpRequest(
				new URL(req.url ?? '/', target),
				{
					method: req.method,
					headers: {
						...req.headers,
						'x-forwarded-proto': 'https',
						'x-forwarded-for': req.socket.remoteAddress,
						'x-forwarded-host': req.headers.host,
					},
				},
				(answer) => {
					res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
					answer.pipe(res);
				},
			);
			upstream.on('error', (error) => {
				if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
				res.end(`proxy: ${error.message}`);
			});
			req.pipe(upstream);
		},
	);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const { port } = server.address() as AddressInfo;
	return {
		port,
		url: `https://127.0.0.1:${port}`,
		setTarget(base) {
			target = base;
		},
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}
