import {
	assertImapUsable,
	readGmailSmtpCredentials,
} from '../../../nodes/GmailSmtp/transport/gmailSmtpCredentials';
import { failureOf } from '../../helpers/failureOf';

const base = { user: ' me@gmail.com ', appPassword: 'abcd efgh ijkl mnop' };

describe('readGmailSmtpCredentials', () => {
	it('fills Gmail defaults and strips the spaces Google shows in App Passwords', () => {
		expect(readGmailSmtpCredentials(base)).toEqual({
			user: 'me@gmail.com',
			appPassword: 'abcdefghijklmnop',
			host: 'smtp.gmail.com',
			port: 465,
			security: 'tls',
			fromName: '',
			dailyLimit: 500,
			dailyRecipientLimit: 500,
			maxConnections: 3,
			maxPerSecond: 5,
			limitStore: 'auto',
			redisUrl: '',
			caCertificate: '',
			allowUnauthorizedCerts: false,
			clientHostname: '',
			imapHost: 'imap.gmail.com',
			imapPort: 993,
			unsubscribeEndpoint: '',
			linkSecret: '',
		});
	});

	it.each([
		[{ maxConnections: 0 }, 'Invalid Max Connections'],
		[{ maxConnections: 11 }, 'Invalid Max Connections'],
		[{ maxConnections: 2.5 }, 'Invalid Max Connections'],
		[{ dailyLimit: -1 }, 'Invalid limit'],
		[{ dailyRecipientLimit: 'many' }, 'Invalid limit'],
		[{ maxPerSecond: -0.5 }, 'Invalid limit'],
		[{ redisUrl: 'redis://localhost:6379' }, 'Redis URL not used'],
	])('refuses account limits that cannot work: %j', (limits, title) => {
		expect(failureOf(() => readGmailSmtpCredentials({ ...base, ...limits }))).toMatchObject({
			kind: 'config',
			title,
		});
	});

	it('reads the account limits and where they are kept', () => {
		expect(
			readGmailSmtpCredentials({
				...base,
				dailyRecipientLimit: 10000,
				maxConnections: '2',
				maxPerSecond: 0.5,
				limitStore: 'redis',
				redisUrl: ' rediss://redis.internal:6380/1 ',
			}),
		).toMatchObject({
			dailyRecipientLimit: 10000,
			maxConnections: 2,
			maxPerSecond: 0.5,
			limitStore: 'redis',
			redisUrl: 'rediss://redis.internal:6380/1',
		});
	});

	it('accepts 587 with STARTTLS and a Workspace relay host', () => {
		expect(
			readGmailSmtpCredentials({
				...base,
				host: 'smtp-relay.gmail.com',
				port: '587',
				security: 'starttls',
			}),
		).toMatchObject({ host: 'smtp-relay.gmail.com', port: 587, security: 'starttls' });
	});

	it.each([
		[
			'465 with STARTTLS',
			{ port: 465, security: 'starttls' },
			'Port and security do not match',
			/SSL\/TLS/,
		],
		[
			'587 with implicit TLS',
			{ port: 587, security: 'tls' },
			'Port and security do not match',
			/STARTTLS/,
		],
		['no App Password', { appPassword: '  ' }, 'Credential incomplete', /App Password/],
		['no user', { user: '' }, 'Credential incomplete', /User/],
		[
			'account password on Gmail',
			{ appPassword: 'Hunter2!' },
			'This is not an App Password',
			/16 letters/,
		],
		[
			'App Password one letter short',
			{ appPassword: 'abcd efgh ijkl mno' },
			'This is not an App Password',
			/16 letters/,
		],
		['port out of range', { port: 70000 }, 'Invalid port', /465/],
		[
			'header injection in user',
			{ user: 'me@gmail.com\r\nRCPT TO:<x@y>' },
			'Credential invalid',
			/one line/,
		],
	])('refuses %s before connecting', (_label, override, title, hint) => {
		const failure = failureOf(() => readGmailSmtpCredentials({ ...base, ...override }));
		expect(failure).toMatchObject({ kind: 'config', title, stopsAccount: true });
		expect(failure.description).toMatch(hint);
	});

	it('does not apply the App Password format to other SMTP hosts', () => {
		expect(
			readGmailSmtpCredentials({ ...base, host: 'mail.example.org', appPassword: 'S3cret!' })
				.appPassword,
		).toBe('S3cret!');
	});
});

describe('the credential IMAP fields (Check Replies and Bounces)', () => {
	it("default to Gmail's IMAP with TLS from the first byte", () => {
		expect(readGmailSmtpCredentials(base)).toMatchObject({
			imapHost: 'imap.gmail.com',
			imapPort: 993,
		});
	});

	it('are read as saved', () => {
		expect(
			readGmailSmtpCredentials({ ...base, imapHost: ' imap.example.com ', imapPort: '1993' }),
		).toMatchObject({ imapHost: 'imap.example.com', imapPort: 1993 });
	});

	it.each([
		[{ imapPort: 143 }, 'IMAP port 143 is not supported'],
		[{ imapPort: 70000 }, 'Invalid IMAP port'],
		[{ imapPort: 99.5 }, 'Invalid IMAP port'],
		[{ imapHost: 'imap.gmail.com\r\nX: y' }, 'Credential invalid'],
	])('%j is refused when Check Replies runs: %s', (fields, title) => {
		const credentials = readGmailSmtpCredentials({ ...base, ...fields });
		expect(() => assertImapUsable(credentials)).toThrow(title);
	});

	it('a wrong IMAP field does not stop sending', () => {
		expect(() => readGmailSmtpCredentials({ ...base, imapPort: 143 })).not.toThrow();
	});
});
