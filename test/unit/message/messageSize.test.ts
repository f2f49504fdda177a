import { randomBytes } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';

import { attachFiles, type BinaryFile } from '../../../nodes/GmailSmtp/message/attachments';
import { buildMessage } from '../../../nodes/GmailSmtp/message/buildMessage';
import type { MessageDraft } from '../../../nodes/GmailSmtp/message/messageDraft';
import {
	GMAIL_MAX_MESSAGE_BYTES,
	assertWithinGmailSizeLimit,
	estimateEncodedSize,
} from '../../../nodes/GmailSmtp/message/messageSize';
import { failureOf } from '../../helpers/failureOf';

const MB = 1024 * 1024;

function draftWith(files: BinaryFile[], html = '<p>Hello</p>', text = 'Hello'): MessageDraft {
	const draft = buildMessage(
		{ subject: 'Report', html, text },
		{ to: 'a@example.com' },
		{ accountEmail: 'me@gmail.com' },
	);
	return attachFiles(draft, { attachments: files, inlineImages: [] });
}

const file = (bytes: number, fileName = 'data.bin'): BinaryFile => ({
	propertyName: 'data',
	content: randomBytes(bytes),
	fileName,
	mimeType: 'application/octet-stream',
});

async function actualSize(draft: MessageDraft): Promise<number> {
	const built = await new MailComposer(draft).compile().build();
	return built.length;
}

describe('estimateEncodedSize', () => {
	it.each([
		['a short text message', draftWith([])],
		[
			'a non-ASCII body',
			draftWith([], `<p>${'Grüße 注文 '.repeat(5000)}</p>`, 'Grüße '.repeat(5000)),
		],
		['one byte attached', draftWith([file(1)])],
		['1 MB attached', draftWith([file(MB)])],
		[
			'several files with long non-ASCII names',
			draftWith([file(300_000, `${'Rechnung März '.repeat(8)}.pdf`), file(70_001), file(2)]),
		],
	])('is at least the real size of %s, and close to it', async (_label, draft) => {
		const actual = await actualSize(draft);
		const estimate = estimateEncodedSize(draft);
		expect(estimate).toBeGreaterThanOrEqual(actual);
		expect(estimate).toBeLessThan(actual * 1.5 + 16_384);
	});

	it('counts attachments at base64 size with line breaks', async () => {
		const draft = draftWith([file(3 * MB)]);
		const estimate = estimateEncodedSize(draft);
		expect(estimate).toBeGreaterThan(4 * MB + (4 * MB * 2) / 76);
		expect(estimate - (await actualSize(draft))).toBeLessThan(16_384);
	});
});

describe('assertWithinGmailSizeLimit', () => {
	it('lets through about 18 MB of files', () => {
		const draft = draftWith([file(18 * MB)]);
		expect(assertWithinGmailSizeLimit(draft)).toBe(draft);
	});

	it('refuses 19 MB of files, saying how large the message would be and what to do', () => {
		const draft = draftWith([file(12 * MB, 'video.mp4'), file(7 * MB, 'slides.pdf')]);
		expect(estimateEncodedSize(draft)).toBeGreaterThan(GMAIL_MAX_MESSAGE_BYTES);
		const failure = failureOf(() => assertWithinGmailSizeLimit(draft));
		expect(failure).toMatchObject({
			kind: 'message',
			retryable: false,
			stopsAccount: false,
			title: 'Message too large for Gmail',
		});
		expect(failure.description).toMatch(/about 26\.\d MB as sent; Gmail accepts at most 25\.0 MB/);
		expect(failure.description).toContain('video.mp4 12.0 MB, slides.pdf 7.0 MB');
		expect(failure.description).toMatch(/share large files as a link/);
	});
});
