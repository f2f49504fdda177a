// Inbox lists show the first text of a message after the subject. Zero-width non-joiners and
// non-breaking spaces after the preheader fill that space, so that the start of the body does
// not run on after a short preheader.
const FILLER = '&#847;&zwnj;&nbsp;'.repeat(60);

const HIDDEN =
	'display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;opacity:0;overflow:hidden;mso-hide:all;';

const BODY_START = /<body\b[^>]*>/i;

/**
 * Puts the preheader (the rendered Preheader option, HTML-escaped like the HTML template) first in
 * the body as hidden text, the way email designers do: inbox lists show it next to the subject, the
 * message itself does not.
 */
export function withPreheader(html: string, preheader: string | undefined): string {
	const text = preheader?.trim();
	if (!text || !html) return html;
	const block = `<div style="${HIDDEN}">${text}${FILLER}</div>`;
	const body = BODY_START.exec(html);
	if (!body) return `${block}${html}`;
	const at = body.index + body[0].length;
	return `${html.slice(0, at)}${block}${html.slice(at)}`;
}
