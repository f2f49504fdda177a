import { rootCertificates } from 'node:tls';

import { readGmailSmtpCredentials } from '../../../nodes/GmailSmtp/transport/gmailSmtpCredentials';
import { connectionOptions } from '../../../nodes/GmailSmtp/transport/smtpConnection';

const credentials = (overrides: Record<string, unknown> = {}) =>
	readGmailSmtpCredentials({ user: 'me@gmail.com', appPassword: 'abcdefghijklmnop', ...overrides });

describe('connectionOptions', () => {
	it('uses implicit TLS on `tls`, verifying certificates against the system CAs', () => {
		const options = connectionOptions(credentials());
		expect(options).toMatchObject({
			secure: true,
			requireTLS: false,
			port: 465,
			host: 'smtp.gmail.com',
		});
		expect(options.tls).toMatchObject({
			rejectUnauthorized: true,
			servername: 'smtp.gmail.com',
			ca: undefined,
		});
	});

	it('requires STARTTLS before AUTH on `starttls`', () => {
		const options = connectionOptions(credentials({ port: 587, security: 'starttls' }));
		expect(options).toMatchObject({ secure: false, requireTLS: true, ignoreTLS: false });
	});

	it('adds an extra CA to the public ones instead of replacing them', () => {
		const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
		const ca = connectionOptions(credentials({ caCertificate: pem })).tls?.ca as string[];
		expect(ca).toContain(pem);
		expect(ca.length).toBe(rootCertificates.length + 1);
	});

	it('keeps nodemailer away from files and URLs and silent about the session', () => {
		expect(connectionOptions(credentials())).toMatchObject({
			disableFileAccess: true,
			disableUrlAccess: true,
			logger: false,
			debug: false,
		});
	});

	it('only skips certificate checks when the user switched it on', () => {
		expect(connectionOptions(credentials({ allowUnauthorizedCerts: true })).tls).toMatchObject({
			rejectUnauthorized: false,
		});
	});
});
