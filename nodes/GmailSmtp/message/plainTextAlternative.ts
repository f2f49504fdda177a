import { compile, type HtmlToTextOptions } from 'html-to-text';

import type { RenderedTemplates } from '../templating/templateRenderer';

const HTML_TO_TEXT: HtmlToTextOptions = {
	// Mail clients wrap plain text themselves; hard breaks at 80 columns look ragged on phones.
	wordwrap: false,
	selectors: [
		{ selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
		{ selector: 'img', format: 'skip' },
		// No indent before list markers, so that lists line up with the text around them.
		{ selector: 'ul', options: { itemPrefix: '* ' } },
	],
};

// Compiled once: html-to-text would otherwise rebuild its selector tables for every message.
const convert = compile(HTML_TO_TEXT);

// html-to-text cuts longer input itself and says so on the console, which is n8n's log.
const MAX_HTML_FOR_TEXT = 1 << 24;

/** Readable text from rendered HTML: `text [url]` links, `*` and `1.` lists, upper-case headings. */
export function htmlToPlainText(html: string): string {
	return convert(html.length > MAX_HTML_FOR_TEXT ? html.slice(0, MAX_HTML_FOR_TEXT) : html).trim();
}

/**
 * When only HTML was written, adds a text part generated from it, so that every HTML message is
 * multipart/alternative (spam filters penalise HTML-only mail; text-only clients need it).
 */
export function withPlainTextAlternative(rendered: RenderedTemplates): RenderedTemplates {
	if (rendered.text.trim() || !rendered.html.trim()) return rendered;
	return { ...rendered, text: htmlToPlainText(rendered.html) };
}
