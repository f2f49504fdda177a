'use strict';
// A throw-away certificate authority and a server certificate for localhost / 127.0.0.1,
// generated at run time so that clients can verify the local SMTP server like a real one.
const selfsigned = require('selfsigned');

const DAY_MS = 24 * 60 * 60 * 1000;

async function generateTestCa() {
	const notBeforeDate = new Date(Date.now() - DAY_MS);
	const notAfterDate = new Date(Date.now() + 30 * DAY_MS);
	const ca = await selfsigned.generate(
		[{ name: 'commonName', value: 'n8n-nodes-gmail-smtp local test CA' }],
		{
			keySize: 2048,
			algorithm: 'sha256',
			notBeforeDate,
			notAfterDate,
			extensions: [
				{ name: 'basicConstraints', cA: true, critical: true },
				{ name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
			],
		},
	);
	const server = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
		keySize: 2048,
		algorithm: 'sha256',
		notBeforeDate,
		notAfterDate,
		ca: { key: ca.private, cert: ca.cert },
		extensions: [
			{ name: 'basicConstraints', cA: false, critical: true },
			{ name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
			{ name: 'extKeyUsage', serverAuth: true },
			{
				name: 'subjectAltName',
				altNames: [
					{ type: 2, value: 'localhost' },
					{ type: 7, ip: '127.0.0.1' },
				],
			},
		],
	});
	return { caCert: ca.cert, serverKey: server.private, serverCert: server.cert };
}

module.exports = { generateTestCa };
