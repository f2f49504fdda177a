import {
	classifySmtpError,
	enhancedStatus,
} from '../../../nodes/GmailSmtp/errors/classifySmtpError';

const gmail = { host: 'smtp.gmail.com', port: 465, security: 'tls' as const };
const gmail587 = { host: 'smtp.gmail.com', port: 587, security: 'starttls' as const };

/** Errors shaped as nodemailer 10 raises them: code, responseCode, response, command. */
const smtp = (code: string, response?: string, command = 'DATA', originalCode?: string) => ({
	code,
	originalCode,
	command,
	response,
	responseCode: response ? Number(response.slice(0, 3)) : undefined,
	message: 'whatever English text nodemailer chose',
});

describe('classifySmtpError', () => {
	it.each([
		[
			'535 bad credentials',
			smtp(
				'EAUTH',
				'535-5.7.8 Username and Password not accepted. For more information, go to',
				'AUTH PLAIN',
			),
			{
				kind: 'auth',
				retryable: false,
				stopsAccount: true,
				title: 'Username and App Password not accepted',
			},
			/App Password/,
		],
		[
			'534 5.7.9 app password required',
			smtp('EAUTH', '534-5.7.9 Application-specific password required.', 'AUTH PLAIN'),
			{ kind: 'auth', stopsAccount: true, title: 'App Password required' },
			/2-Step Verification/,
		],
		[
			'534 5.7.14 web login required',
			smtp(
				'EAUTH',
				'534-5.7.14 <https://accounts.google.com/signin/continue> Please log in via your web browser',
				'AUTH LOGIN',
			),
			{ kind: 'auth', title: 'Google blocked the sign-in' },
			/browser/,
		],
		[
			'530 5.7.0 STARTTLS first',
			smtp('EENVELOPE', '530 5.7.0 Must issue a STARTTLS command first.', 'MAIL FROM'),
			{ kind: 'config', retryable: false, title: 'STARTTLS required' },
			/587 needs security STARTTLS/,
		],
		[
			'TLS wrong version number',
			smtp('ESOCKET', undefined, 'CONN', 'ERR_SSL_WRONG_VERSION_NUMBER'),
			{ kind: 'config', title: 'TLS handshake failed', code: 'ERR_SSL_WRONG_VERSION_NUMBER' },
			/465 ↔ TLS, 587 ↔ STARTTLS/,
		],
		[
			'454 too many logins',
			smtp('EAUTH', '454 4.7.0 Too many login attempts, please try again later.', 'AUTH PLAIN'),
			{ kind: 'throttled', retryable: true, stopsAccount: true, responseCode: 454 },
			/reused/,
		],
		[
			'421 try again later',
			smtp('ECONNECTION', '421 4.7.0 Try again later, closing connection.', 'MAIL FROM'),
			{ kind: 'transient', retryable: true, stopsAccount: false },
			/busy|for now/,
		],
		[
			'421 4.4.5 server busy as a plain reply',
			smtp('EENVELOPE', '421 4.4.5 Server busy, try again later.', 'RCPT TO'),
			{ kind: 'transient', retryable: true },
			/for now/,
		],
		[
			'450 4.2.1 receiving too fast',
			smtp(
				'EENVELOPE',
				'450 4.2.1 The user you are trying to contact is receiving mail too quickly',
				'RCPT TO',
			),
			{ kind: 'transient', retryable: true, title: 'Recipient busy' },
			/too fast/,
		],
		[
			'451 4.3.0 temporarily rejected after DATA',
			smtp('EMESSAGE', '451 4.3.0 Mail server temporarily rejected message.', 'DATA'),
			{ kind: 'transient', retryable: true, stopsAccount: false },
			/just now/,
		],
		[
			'452 4.5.3 too many recipients',
			smtp('EENVELOPE', '452 4.5.3 Your message has too many recipients.', 'RCPT TO'),
			{ kind: 'transient', retryable: true, title: 'Too many recipients' },
			/split/,
		],
		[
			'550 5.4.5 daily limit',
			smtp('EENVELOPE', '550-5.4.5 Daily user sending limit exceeded.', 'MAIL FROM'),
			{ kind: 'quota', retryable: false, stopsAccount: true },
			/pauses for 24 hours/,
		],
		[
			'550 at MAIL FROM: the sender or alias is refused, not a recipient',
			smtp('EENVELOPE', '550 5.7.1 Sender address rejected: not owned by user', 'MAIL FROM'),
			{ kind: 'config', retryable: false, stopsAccount: false, title: 'Sender address refused' },
			/Send mail as/,
		],
		[
			'TLS older than 1.2 offered',
			smtp('ESOCKET', undefined, 'CONN', 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION'),
			{ kind: 'config', retryable: false, stopsAccount: true, title: 'TLS version too old' },
			/older than 1\.2/,
		],
		[
			'552 5.3.4 too large',
			smtp('EMESSAGE', "552-5.3.4 Your message exceeded Google's message size limits.", 'DATA'),
			{ kind: 'message', retryable: false, stopsAccount: false, title: 'Message too large' },
			/25 MB/,
		],
		[
			'553 5.1.2 bad domain',
			smtp('EENVELOPE', "553-5.1.2 We weren't able to find the recipient domain.", 'RCPT TO'),
			{ kind: 'recipient', retryable: false, stopsAccount: false },
			/recipient addresses/,
		],
		[
			'connection refused',
			smtp('ESOCKET', undefined, 'CONN', 'ECONNREFUSED'),
			{
				kind: 'network',
				retryable: true,
				stopsAccount: true,
				title: 'Connection refused',
				code: 'ECONNREFUSED',
			},
			/firewalls, antivirus/,
		],
		[
			'timeout',
			smtp('ETIMEDOUT', undefined, 'CONN'),
			{ kind: 'network', retryable: true, title: 'Connection timed out' },
			/465|587/,
		],
		[
			'host does not resolve',
			smtp('EDNS', undefined, 'CONN', 'ENOTFOUND'),
			{ kind: 'network', retryable: false, stopsAccount: true, title: 'Host not found' },
			/does not resolve/,
		],
		[
			'untrusted certificate',
			smtp('ESOCKET', undefined, 'CONN', 'SELF_SIGNED_CERT_IN_CHAIN'),
			{ kind: 'config', title: 'Server certificate not trusted' },
			/CA Certificate/,
		],
		[
			'something nobody planned for',
			{ code: 'EWEIRD', message: 'nope' },
			{ kind: 'unknown', retryable: false, stopsAccount: false, code: 'EWEIRD' },
			/Unexpected failure \(EWEIRD\)/,
		],
		['not an object at all', 'boom', { kind: 'unknown', retryable: false }, /Unexpected failure/],
	])('%s', (_label, error, expected, hint) => {
		const failure = classifySmtpError(error, gmail);
		expect(failure).toMatchObject(expected);
		expect(failure.description).toMatch(hint);
	});

	it('blames a missing STARTTLS upgrade on the starttls setting', () => {
		const failure = classifySmtpError(
			smtp('ETLS', '502 5.5.2 Error: command not recognized', 'STARTTLS'),
			gmail587,
		);
		expect(failure).toMatchObject({ kind: 'config', title: 'STARTTLS failed', code: 'ETLS' });
		expect(failure.description).toContain('App Password was not sent');
	});

	it('does not rely on the English message', () => {
		const failure = classifySmtpError(
			{ message: 'Invalid login: 535 Username and Password not accepted' },
			gmail,
		);
		expect(failure.kind).toBe('unknown');
	});

	it('quotes the server reply so the user can look it up', () => {
		const failure = classifySmtpError(
			smtp('EAUTH', '535 5.7.8 Username and Password not accepted', 'AUTH PLAIN'),
			gmail,
		);
		expect(failure.description).toMatch(/Server replied: 535 5\.7\.8 Username/);
	});
});

describe('enhancedStatus', () => {
	it.each([
		['535-5.7.8 Username and Password not accepted', '5.7.8'],
		['550 5.4.5 Daily user sending limit exceeded', '5.4.5'],
		['421 Service not available', undefined],
		['250 2.0.0 OK', '2.0.0'],
		[undefined, undefined],
	])('%s → %s', (response, expected) => {
		expect(enhancedStatus(response)).toBe(expected);
	});
});
