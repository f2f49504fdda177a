// One HTTP(S) request with exactly the headers given, as a link fetcher or a mail client sends it
// (Node's fetch adds a user agent, Accept and more of its own, and keeps no request as written),
// its status and body read whole.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';

export interface RawResponse {
	status: number;
	body: string;
}

export interface RawRequest {
	method?: 'GET' | 'POST';
	/** All the headers sent: none but these (and Host, Connection). */
	headers?: Record<string, string | number>;
	body?: string;
	/** The CA an https server's certificate is checked against. */
	ca?: string;
	timeoutMs: number;
}

export function rawRequest(
	url: string | URL,
	{ method = 'GET', headers = {}, body, ca, timeoutMs }: RawRequest,
): Promise<RawResponse> {
	const options: RequestOptions = { method, headers, timeout: timeoutMs };
	if (ca !== undefined) options.ca = ca;
	const send = new URL(url).protocol === 'https:' ? httpsRequest : httpRequest;
	return new Promise((resolve, reject) => {
		const outgoing = send(url, options, (response) => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () =>
				resolve({
					status: response.statusCode ?? 0,
					body: Buffer.concat(chunks).toString('utf8'),
				}),
			);
			response.on('error', reject);
		});
		outgoing.on('timeout', () => outgoing.destroy(new Error(`${method} ${url} timed out`)));
		outgoing.on('error', reject);
		if (body === undefined) outgoing.end();
		else outgoing.end(body);
	});
}
