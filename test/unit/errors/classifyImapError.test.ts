import { classifyImapError } from '../../../nodes/GmailSmtp/errors/classifyImapError';

const gmail = { imapHost: 'imap.gmail.com', imapPort: 993, mailbox: 'Archive' };

/** Errors shaped as imapflow raises them. */
const refused = (serverResponseCode: string | undefined, responseText: string) =>
	Object.assign(new Error('Command failed'), {
		authenticationFailed: true,
		serverResponseCode,
		responseText,
		responseStatus: 'NO',
	});
const socket = (code: string) => Object.assign(new Error(`socket said ${code}`), { code });

describe('classifyImapError', () => {
	it.each([
		[
			"Gmail's wrong App Password",
			refused('AUTHENTICATIONFAILED', 'Invalid credentials (Failure)'),
			{ kind: 'auth', retryable: false, stopsAccount: true, title: 'IMAP login not accepted' },
			/Forwarding and POP\/IMAP[\s\S]*POP and IMAP access[\s\S]*App Password[\s\S]*Invalid credentials/,
		],
		[
			'IMAP off for the account ([ALERT])',
			refused('ALERT', 'Your account is not enabled for IMAP use.'),
			{ kind: 'auth', title: 'IMAP login not accepted' },
			/not enabled for IMAP use/,
		],
		[
			'a refusal without a response code',
			refused(undefined, 'LOGIN failed'),
			{ kind: 'auth', title: 'IMAP login not accepted' },
			/App Password/,
		],
		[
			'[WEBALERT]',
			refused('WEBALERT', 'https://accounts.google.com/signin/continue Web login required.'),
			{ kind: 'auth', title: 'Google blocked the IMAP sign-in' },
			/browser/,
		],
		[
			'[UNAVAILABLE]',
			refused('UNAVAILABLE', 'Temporary authentication failure.'),
			{ kind: 'transient', retryable: true, title: 'IMAP login temporarily unavailable' },
			/later/,
		],
		[
			'a missing mailbox (imapflow: mailboxMissing)',
			Object.assign(new Error('Command failed'), { mailboxMissing: true }),
			{ kind: 'config', title: 'Mailbox not found' },
			/"Archive"/,
		],
		[
			'[NONEXISTENT]',
			Object.assign(new Error('Command failed'), { serverResponseCode: 'NONEXISTENT' }),
			{ kind: 'config', title: 'Mailbox not found' },
			/"Archive"/,
		],
		[
			'an unknown CA',
			socket('SELF_SIGNED_CERT_IN_CHAIN'),
			{ kind: 'config', title: 'IMAP server certificate not trusted' },
			/CA Certificate/,
		],
		[
			'plain text on the port (143)',
			socket('ERR_SSL_WRONG_VERSION_NUMBER'),
			{ kind: 'config', title: 'IMAP TLS handshake failed' },
			/993/,
		],
		[
			'connection refused',
			socket('ECONNREFUSED'),
			{ kind: 'network', retryable: true, title: 'IMAP connection refused' },
			/imap\.gmail\.com, 993/,
		],
		[
			'greeting timeout',
			socket('GREETING_TIMEOUT'),
			{ kind: 'network', title: 'IMAP connection timed out' },
			/993/,
		],
		[
			'host not found',
			socket('ENOTFOUND'),
			{ kind: 'network', title: 'IMAP host not found' },
			/IMAP Host/,
		],
		[
			'connection lost',
			socket('NoConnection'),
			{ kind: 'network', retryable: true, title: 'IMAP connection lost' },
			/run again/,
		],
		[
			'throttled',
			socket('ETHROTTLE'),
			{ kind: 'throttled', retryable: true, title: 'The IMAP server is throttling this account' },
			/Wait/,
		],
		[
			'anything else',
			new Error('boom'),
			{ kind: 'unknown', title: 'Checking replies failed' },
			/boom/,
		],
	])('%s', (_, error, expected, description) => {
		const failure = classifyImapError(error, gmail);
		expect(failure).toMatchObject(expected);
		expect(failure.description).toMatch(description);
	});
});
