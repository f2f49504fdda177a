import { GmailSmtpError } from '../errors/GmailSmtpError';
import { encodedHtmlSize } from '../transport/encodedHtmlSize';

/**
 * Gmail shows "[Message clipped]" and hides the rest of a message (its unsubscribe link too) whose
 * HTML is over about 102 KB. Google publishes no figure: 102 KB is what senders measured and
 * agree on (github.com/hteumeuleu/email-bugs/issues/41; spamresource.com/2022/01 found about
 * 105 KB and that it depends on the transfer encoding). So the size is taken on the HTML part as
 * sent (quoted-printable or base64 included), against 102 × 1024 bytes.
 */
export const GMAIL_CLIP_BYTES = 102 * 1024;

/**
 * Gmail keeps only the first 16 KB (16,384 bytes) of a message's styles and drops the rules after
 * that (github.com/hteumeuleu/email-bugs/issues/90); Gmail's own CSS page
 * (developers.google.com/gmail/design/css) documents `<style>` blocks and media queries on
 * width, orientation and resolution, but no size.
 */
export const GMAIL_STYLE_BYTES = 16 * 1024;

export type WhenGmailWouldClip = 'send' | 'fail';

export interface GmailClipReport {
	/** Bytes of the HTML part as sent (after its transfer encoding). */
	htmlBytes: number;
	gmailClipped: boolean;
}

export async function gmailClipReport(html: string | undefined): Promise<GmailClipReport> {
	const htmlBytes = html ? await encodedHtmlSize(html) : 0;
	return { htmlBytes, gmailClipped: htmlBytes > GMAIL_CLIP_BYTES };
}

/** With When Gmail Would Clip = Fail, an item whose HTML Gmail would clip is not sent. */
export async function assertGmailWouldNotClip(html: string | undefined): Promise<void> {
	const { htmlBytes, gmailClipped } = await gmailClipReport(html);
	if (!gmailClipped) return;
	throw new GmailSmtpError({
		kind: 'message',
		retryable: false,
		stopsAccount: false,
		title: 'Gmail would clip this message',
		description: `Its HTML is ${kilobytes(htmlBytes)} as sent; Gmail shows "[Message clipped]" and hides everything after about ${kilobytes(GMAIL_CLIP_BYTES)}, including the unsubscribe link. Shorten the template or the lists it repeats (fewer order lines per message, shorter links), or set Options → When Gmail Would Clip to "Send Anyway".`,
	});
}

/** The bytes of every `<style>` block, as Gmail counts them against its style limit. */
export function styleBytes(html: string): number {
	let total = 0;
	for (const [, css] of html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style\s*>/gi)) {
		total += Buffer.byteLength(css);
	}
	return total;
}

export function kilobytes(bytes: number): string {
	return `${(bytes / 1024).toFixed(1)} KB`;
}
