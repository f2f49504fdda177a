import { buildMessage } from '../../../nodes/GmailSmtp/message/buildMessage';
import {
	GMAIL_CLIP_BYTES,
	assertGmailWouldNotClip,
	gmailClipReport,
	styleBytes,
} from '../../../nodes/GmailSmtp/message/gmailClipping';
import { GmailSmtpError } from '../../../nodes/GmailSmtp/errors/GmailSmtpError';
import { buildRawMessage } from '../../../nodes/GmailSmtp/transport/rawMessage';

/** The HTML part's body, as it is in the message nodemailer sends (text and HTML alternatives). */
async function htmlPartAsSent(html: string): Promise<{ encoding: string; body: string }> {
	const draft = buildMessage(
		{ subject: 'Order', html, text: 'Text part' },
		{ to: 'ada@example.com' },
		{ accountEmail: 'shop@gmail.com' },
	);
	const raw = (await buildRawMessage({ ...draft, messageId: '<x@gmail.com>' })).toString('latin1');
	const boundary = /boundary="([^"]+)"/.exec(raw)![1];
	const part = raw
		.split(`--${boundary}`)
		.find((candidate) => /Content-Type: text\/html/i.test(candidate))!;
	const encoding = /Content-Transfer-Encoding: (\S+)/i.exec(part)![1];
	// The part's body runs from the blank line after its headers to the CRLF before the boundary.
	const body = part.slice(part.indexOf('\r\n\r\n') + 4, part.length - 2);
	return { encoding, body };
}

const row = (index: number) =>
	`<tr><td class="line">Item ${index}: Analytical Engine poster</td><td>18.00 EUR</td></tr>\n`;

describe('gmailClipReport', () => {
	it.each([
		['short ASCII lines, sent as they are', '<p>Hello Ada</p>', '7bit'],
		['long lines, quoted-printable', `<p>${'Hello Ada, '.repeat(200)}</p>`, 'quoted-printable'],
		['mostly non-Latin text, base64', `<p>${'こんにちは、エイダさん。'.repeat(100)}</p>`, 'base64'],
	])('measures %s exactly as nodemailer sends the HTML part', async (_case, html, encoding) => {
		const sent = await htmlPartAsSent(html);
		expect(sent.encoding).toBe(encoding);
		expect((await gmailClipReport(html)).htmlBytes).toBe(Buffer.byteLength(sent.body, 'latin1'));
	});

	it('counts the encoded size, not the characters: HTML under 102 KB as typed can be over it as sent', async () => {
		// Accented text is sent as quoted-printable: each "é" takes 6 bytes (=C3=A9) instead of 2.
		const html = `<table>${Array.from({ length: 1000 }, (_, index) => row(index).replace('Analytical Engine', 'Énergie élégante été')).join('')}</table>`;
		expect(Buffer.byteLength(html)).toBeLessThan(GMAIL_CLIP_BYTES);
		const report = await gmailClipReport(html);
		expect(report.htmlBytes).toBeGreaterThan(GMAIL_CLIP_BYTES);
		expect(report).toEqual({ htmlBytes: report.htmlBytes, gmailClipped: true });
	});

	it('says not clipped below the limit, and for a message without HTML', async () => {
		const html = `<table>${Array.from({ length: 100 }, (_, index) => row(index)).join('')}</table>`;
		expect(await gmailClipReport(html)).toEqual({
			htmlBytes: expect.any(Number),
			gmailClipped: false,
		});
		expect(await gmailClipReport(undefined)).toEqual({ htmlBytes: 0, gmailClipped: false });
	});
});

describe('assertGmailWouldNotClip', () => {
	it('fails a message Gmail would clip, naming its size and the limit', async () => {
		const html = `<table>${Array.from({ length: 2000 }, (_, index) => row(index)).join('')}</table>`;
		const error = await assertGmailWouldNotClip(html).then(
			() => undefined,
			(thrown: unknown) => thrown,
		);
		expect(error).toBeInstanceOf(GmailSmtpError);
		const { failure } = error as GmailSmtpError;
		expect(failure).toMatchObject({ kind: 'message', retryable: false, stopsAccount: false });
		expect(failure.title).toBe('Gmail would clip this message');
		expect(failure.description).toMatch(/^Its HTML is \d+\.\d KB as sent; .* about 102\.0 KB/);
	});

	it('lets a message under the limit through', async () => {
		await expect(assertGmailWouldNotClip('<p>Hi</p>')).resolves.toBeUndefined();
	});
});

describe('styleBytes', () => {
	it('adds up every <style> block', () => {
		expect(styleBytes('<style>a{}</style><p>x</p><style media="x">é{}</style>')).toBe(3 + 4);
	});
});
