import {
	assertImapUsable,
	readGmailSmtpCredentials,
} from '../../../nodes/GmailSmtp/transport/gmailSmtpCredentials';

const base = { user: 'ada@gmail.com', appPassword: 'abcd efgh ijkl mnop' };

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
