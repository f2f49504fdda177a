import fc from 'fast-check';
import MailComposer from 'nodemailer/lib/mail-composer';

import { GmailSmtpError } from '../../nodes/GmailSmtp/errors/GmailSmtpError';
import { buildMessage } from '../../nodes/GmailSmtp/message/buildMessage';
import { compileTemplates } from '../../nodes/GmailSmtp/templating/templateRenderer';
import { hostileString } from '../helpers/hostileStrings';

const templates = {
	subject: 'Order for {{name}}',
	html: '<p>{{name}}</p><p>{{{ note }}}</p>',
	text: 'Hi {{name}}',
};

async function wireFormat(draft: ReturnType<typeof buildMessage>): Promise<string> {
	const raw = await new MailComposer({ ...draft, messageId: '<fixed@example.com>' })
		.compile()
		.build();
	return raw.toString('utf8');
}

function headerBlock(raw: string): string[] {
	return raw.slice(0, raw.indexOf('\r\n\r\n')).split('\r\n');
}

describe('hostile item data', () => {
	it('yields a clear error or a message whose headers it cannot change', async () => {
		await fc.assert(
			fc.asyncProperty(hostileString, hostileString, hostileString, async (name, to, fromName) => {
				let draft;
				try {
					const rendered = compileTemplates(templates).render({ name, note: name });
					draft = buildMessage(
						rendered,
						{ to: `${to}, safe@example.com` },
						{ accountEmail: 'me@gmail.com', fromName },
					);
				} catch (error) {
					expect(error).toBeInstanceOf(GmailSmtpError);
					expect((error as GmailSmtpError).failure.kind).toBe('input');
					return;
				}
				const headers = headerBlock(await wireFormat(draft));
				for (const line of headers) {
					// Every header line is a header or a folded continuation, with no control
					// characters (internationalised addresses may carry UTF-8, RFC 6532).
					// eslint-disable-next-line no-control-regex -- control characters are the point
					expect(line).toMatch(/^([A-Za-z-]+:( |$)|[ \t])[^\u0000-\u001f\u007f]*$/);
				}
				const names = headers.filter((line) => /^\S/.test(line)).map((line) => line.split(':')[0]);
				expect(names).not.toContain('Bcc');
				expect(names).not.toContain('X-Injected');
				for (const unique of ['Subject', 'From', 'To', 'Message-ID']) {
					expect(names.filter((header) => header === unique)).toHaveLength(1);
				}
			}),
			{ numRuns: 200, seed: 20261127 },
		);
	}, 120_000);

	it('never lets item data run as a template', () => {
		fc.assert(
			fc.property(hostileString, (value) => {
				// Blank values would fail as missing under the default policy; here every value prints.
				const rendered = compileTemplates(
					{ subject: '{{v}}', html: '', text: '{{v}}' },
					{ missingVariable: 'leaveEmpty' },
				).render({ v: value });
				expect(rendered.subject).toBe(value);
				expect(rendered.text).toBe(value);
			}),
			{ numRuns: 300, seed: 20261127 },
		);
	});
});
