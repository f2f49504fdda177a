import type { ICredentialTestFunctions } from 'n8n-workflow';

import { GmailSmtp } from '../../nodes/GmailSmtp/GmailSmtp.node';
import { startRedisServer } from '../../testkit/redisServer';
import { credentialsFor, startSmtpTestServer, useSmtpTestServer } from '../helpers/smtpTestServer';

async function testCredential(data: Record<string, unknown>) {
	const test = new GmailSmtp().methods.credentialTest.gmailSmtpConnectionTest;
	return await test.call({} as ICredentialTestFunctions, {
		id: '1',
		name: 'Gmail SMTP account',
		type: 'gmailSmtpApi',
		data: data as never,
	});
}

describe('credential Test button', () => {
	const server = useSmtpTestServer({ security: 'starttls' }, 'block');

	it('connects, upgrades with STARTTLS and logs in', async () => {
		const result = await testCredential(credentialsFor(server));

		expect(result).toEqual({
			status: 'OK',
			message: expect.stringMatching(
				new RegExp(
					`^Connected to 127\\.0\\.0\\.1:${server.port} with STARTTLS and logged in as sender@example\\.com; the account's limits are kept in the ledger files in .*gmail-smtp$`,
				),
			),
		});
		expect(server.logins.at(-1)).toEqual({
			username: 'sender@example.com',
			ok: true,
			secure: true,
		});
	});

	it('explains a rejected App Password in plain words, without echoing it', async () => {
		const result = await testCredential(
			credentialsFor(server, { appPassword: 'zzzz yyyy xxxx wwww' }),
		);

		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^Username and App Password not accepted\. .*App passwords/);
		expect(result.message).not.toMatch(/zzzz ?yyyy/);
	});

	it('catches a port/security mismatch without connecting', async () => {
		const connectionsBefore = server.connections;
		const result = await testCredential({ ...credentialsFor(server), port: 587, security: 'tls' });

		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^Port and security do not match\./);
		expect(server.connections).toBe(connectionsBefore);
	});

	it("says when the account's limits cannot be kept", async () => {
		const gone = await startRedisServer();
		await gone.stop();
		const result = await testCredential(
			credentialsFor(server, { limitStore: 'redis', redisUrl: gone.url }),
		);

		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			new RegExp(
				`^Account limits unavailable\\. Redis at redis://127\\.0\\.0\\.1:${gone.port} did not answer`,
			),
		);
	});

	it('says when nothing listens on the port', async () => {
		const closed = await startSmtpTestServer({ security: 'tls' });
		await closed.close();
		const result = await testCredential(credentialsFor(closed));

		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^Connection refused\. .*firewalls/);
	});
});
