import { escapeHtml } from '../fieldText';

/**
 * The frame of every page a person sees at a link of ours (Send and Wait's answers, the unsubscribe
 * trigger): plain HTML with inline styles and no script, so it works wherever n8n serves it (n8n
 * 2.x may sandbox it), kept out of search engines.
 */
export function pageHtml(title: string, body: string): string {
	return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex,nofollow"><title>${escapeHtml(title)}</title></head>
<body style="margin:0;background:#f6f8fc;font-family:Arial,Helvetica,sans-serif;color:#202124;">
<main style="max-width:560px;margin:48px auto;padding:24px;background:#fff;border-radius:12px;border:1px solid #dadce0;">
<h1 style="margin-top:0;font-size:22px;">${escapeHtml(title)}</h1>
${body}
</main></body></html>`;
}

/** The style of a page's submit button; `marginTop` sets it apart from what is above it. */
export function pageButtonStyle(marginTop: number): string {
	return `margin-top:${marginTop}px;padding:12px 24px;border:0;border-radius:6px;background:#1a73e8;color:#fff;font-size:16px;font-weight:bold;cursor:pointer;`;
}
