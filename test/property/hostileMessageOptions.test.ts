import fc from 'fast-check';
import MailComposer from 'nodemailer/lib/mail-composer';

import { GmailSmtpError } from '../../nodes/GmailSmtp/errors/GmailSmtpError';
import { attachFiles, parseInlineImageRows } from '../../nodes/GmailSmtp/message/attachments';
import { buildMessage } from '../../nodes/GmailSmtp/message/buildMessage';
import type { MessageDraft } from '../../nodes/GmailSmtp/message/messageDraft';
import { applyMessageOptions } from '../../nodes/GmailSmtp/message/messageOptions';
import { hostileString } from '../helpers/hostileStrings';

interface OptionInput {
	headerName: string;
	headerValue: string;
	unsubscribeUrl: string;
	unsubscribeEmail: string;
	inReplyTo: string;
	references: string;
	contentId: string;
	fileName: string;
	mimeType: string;
}

const EMPTY: OptionInput = {
	headerName: 'X-Test',
	headerValue: '',
	unsubscribeUrl: '',
	unsubscribeEmail: '',
	inReplyTo: '',
	references: '',
	contentId: 'logo',
	fileName: 'logo.png',
	mimeType: 'image/png',
};

const draft = buildMessage(
	{ subject: 'Hello', html: '<p>Hi <img src="cid:logo"></p>', text: 'Hi' },
	{ to: 'a@example.com' },
	{ accountEmail: 'me@gmail.com' },
);

function compose(input: OptionInput): MessageDraft {
	const withOptions = applyMessageOptions(draft, {
		customHeaders: { header: [{ name: input.headerName, value: input.headerValue }] },
		unsubscribeUrl: input.unsubscribeUrl,
		unsubscribeEmail: input.unsubscribeEmail,
		inReplyTo: input.inReplyTo,
		references: input.references,
	});
	const file = {
		propertyName: 'data',
		content: Buffer.from([0x89, 0x50, 0x4e, 0x47]),
		fileName: input.fileName,
		mimeType: input.mimeType,
	};
	const inlineImages = parseInlineImageRows({
		image: [{ binaryPropertyName: 'data', contentId: input.contentId }],
	}).map((row) => ({ ...file, mimeType: 'image/png', contentId: row.contentId }));
	return attachFiles(withOptions, { attachments: [file], inlineImages });
}

async function headerLines(message: MessageDraft): Promise<string[]> {
	const raw = (await new MailComposer(message).compile().build()).toString('utf8');
	// The top-level header block and the header block after each MIME boundary line.
	const headers: string[] = [];
	let inHeaders = true;
	for (const line of raw.split('\r\n')) {
		if (inHeaders) {
			if (line === '') inHeaders = false;
			else headers.push(line);
		} else if (/^--\S+$/.test(line) && !line.endsWith('--')) {
			inHeaders = true;
		}
	}
	return headers;
}

describe('hostile message options', () => {
	it.each(Object.keys(EMPTY) as Array<keyof OptionInput>)(
		'%s: a clear input error, or a message whose headers it cannot change',
		async (field) => {
			let built = 0;
			await fc.assert(
				fc.asyncProperty(hostileString, async (value) => {
					let message;
					try {
						message = compose({ ...EMPTY, [field]: value });
					} catch (error) {
						expect(error).toBeInstanceOf(GmailSmtpError);
						expect((error as GmailSmtpError).failure.kind).toBe('input');
						return;
					}
					built++;
					const lines = await headerLines(message);
					for (const line of lines) {
						// A header or a folded continuation, one line, no control characters.
						// eslint-disable-next-line no-control-regex -- control characters are the point
						expect(line).toMatch(/^([!-9;-~]+:( |$)|[ \t])[^\u0000-\u001f\u007f]*$/);
						expect(line.length).toBeLessThanOrEqual(998);
					}
					const names = lines
						.filter((line) => /^\S/.test(line))
						.map((line) => line.split(':')[0].toLowerCase());
					expect(names).not.toContain('bcc');
					expect(names).not.toContain('x-injected');
					for (const unique of ['subject', 'from', 'to', 'message-id', 'in-reply-to']) {
						expect(names.filter((name) => name === unique).length).toBeLessThanOrEqual(1);
					}
				}),
				{ numRuns: 200, seed: 20261127 },
			);
			// The property says something only if some hostile values made it onto the wire.
			expect(built).toBeGreaterThan(0);
		},
		60_000,
	);
});
