'use strict';
// An HTTPS reverse proxy on 127.0.0.1, as n8n runs in production behind one (nginx, Caddy,
// Traefik): TLS with a certificate of the test CA, every request passed on unchanged to the plain
// HTTP n8n behind it, with X-Forwarded-Proto/For/Host. One-click unsubscribe links must be https
// (RFC 8058, Gmail), so the tests reach the trigger the way Gmail would: through TLS, the
// certificate verified against the CA.
const http = require('node:http');
const https = require('node:https');

/**
 * @param {{ tls: { serverKey: string, serverCert: string } }} options
 * @returns {Promise<{ port: number, url: string, setTarget(base: string): void,
 *   requests: Array<{ method: string, path: string, headers: object }>, close(): Promise<void> }>}
 */
async function startHttpsProxy({ tls }) {
	let target;
	const requests = [];
	const server = https.createServer({ key: tls.serverKey, cert: tls.serverCert }, (req, res) => {
		requests.push({ method: req.method, path: req.url, headers: { ...req.headers } });
		if (!target) {
			res.writeHead(502, { 'content-type': 'text/plain' });
			res.end('no n8n behind the proxy yet');
			return;
		}
		const upstream = http.request(
			new URL(req.url, target),
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
				res.writeHead(answer.statusCode, answer.rawHeaders);
				answer.pipe(res);
			},
		);
		upstream.on('error', (error) => {
			if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
			res.end(`proxy: ${error.message}`);
		});
		req.pipe(upstream);
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	const { port } = server.address();
	return {
		port,
		url: `https://127.0.0.1:${port}`,
		/** Where requests go from now on: the base URL of the running n8n (its main in queue mode). */
		setTarget(base) {
			target = base;
		},
		requests,
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

module.exports = { startHttpsProxy };
