import {
	classifyImapError,
	classifySearchError,
} from '../../../nodes/GmailSmtp/errors/classifyImapError';
import {
	ConnectionLostError,
	CommandRefusedError,
} from '../../../nodes/GmailSmtp/transport/imapSession';

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
			'a connection that kept breaking',
			socket('TooManyReconnects'),
			{
				kind: 'network',
				retryable: true,
				stopsAccount: true,
				title: 'IMAP connection kept breaking',
			},
			/no item could be answered/,
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

describe('classifySearchError: one Message-ID whose search did not complete', () => {
	const ID = '<3f1c8a2e@example.com>';

	it.each([
		[
			'NO (the server could not search just now)',
			new CommandRefusedError('SEARCH', {
				responseStatus: 'NO',
				responseText: 'Search backend busy',
				serverResponseCode: 'UNAVAILABLE',
			}),
			{ kind: 'transient', retryable: true, title: 'The IMAP server refused the search' },
			/for <3f1c8a2e@example\.com>, the server answered: NO \[UNAVAILABLE\] Search backend busy\.[\s\S]*not reported as "no"[\s\S]*run again later/,
		],
		[
			'BAD (the server did not accept the command)',
			new CommandRefusedError('SEARCH', {
				responseStatus: 'BAD',
				responseText: 'Too long argument',
			}),
			{ kind: 'unknown', retryable: false, title: 'The IMAP server refused the search' },
			/the server answered: BAD Too long argument\.[\s\S]*check that Message ID holds the messageId output/,
		],
		[
			"Gmail's NO to reading a message",
			new CommandRefusedError('FETCH', {
				responseStatus: 'NO',
				responseText: 'Some messages could not be FETCHed (Failure)',
			}),
			{ kind: 'transient', title: 'The IMAP server refused to read a message found' },
			/Reading a message on imap\.gmail\.com:993 that may answer <3f1c8a2e@example\.com>[\s\S]*NO Some messages could not be FETCHed/,
		],
		[
			'the server went quiet',
			new ConnectionLostError('ETIMEOUT'),
			{ kind: 'network', retryable: true, code: 'ETIMEOUT', title: 'The IMAP search timed out' },
			/imap\.gmail\.com:993 stopped answering while searching for <3f1c8a2e@example\.com>, also when it was searched alone/,
		],
		[
			'the connection closed',
			new ConnectionLostError('ECONNRESET'),
			{ kind: 'network', retryable: true, title: 'IMAP connection lost during the search' },
			/closed while searching for <3f1c8a2e@example\.com>/,
		],
		[
			'anything else: the IMAP classifier',
			socket('ETHROTTLE'),
			{ kind: 'throttled', title: 'The IMAP server is throttling this account' },
			/Wait/,
		],
	])('%s', (_, error, expected, description) => {
		const failure = classifySearchError(error, gmail, ID);
		expect(failure).toMatchObject({
			...expected,
			stopsAccount: expected.kind === 'throttled',
			messageId: ID,
		});
		expect(failure.description).toMatch(description);
	});

	it('a refused login is not a refused search', () => {
		const login = Object.assign(new Error('Command failed'), {
			authenticationFailed: true,
			responseStatus: 'NO',
			responseText: 'Invalid credentials',
		});
		expect(classifySearchError(login, gmail, ID).title).toBe('IMAP login not accepted');
	});

	it('quotes at most 200 characters of a long Message-ID', () => {
		const long = `<${'z'.repeat(900)}@example.com>`;
		const failure = classifySearchError(
			new CommandRefusedError('SEARCH', { responseStatus: 'BAD', responseText: 'x' }),
			gmail,
			long,
		);
		expect(failure.description).toContain(`${'z'.repeat(190)}...`);
		expect(failure.description).not.toContain('z'.repeat(300));
		expect(failure.messageId).toBe(long);
	});
});
