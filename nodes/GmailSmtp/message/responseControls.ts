import { escapeHtml } from '../fieldText';

/** How the person answers a Send and Wait message (names as n8n's built-in Send Email node). */
export type ResponseType = 'approval' | 'freeText' | 'customForm';

export interface ApprovalOptions {
	approvalType?: 'single' | 'double';
	approveLabel?: string;
	buttonApprovalStyle?: ButtonStyle;
	disapproveLabel?: string;
	buttonDisapprovalStyle?: ButtonStyle;
}

export type ButtonStyle = 'primary' | 'secondary';

export interface ResponseButton {
	label: string;
	url: string;
	style: ButtonStyle;
}

/** The template values an author can place the controls with; appended when not used. */
export const BUTTONS_PLACEHOLDER = 'approvalButtons';
export const LINKS_PLACEHOLDER = 'approvalLinks';

/**
 * What the templates render for the two values. The links are only known once the message has its
 * Message-ID, so the rendered text carries these stand-ins (letters and digits: no escaping changes
 * them) until {@link placeResponseControls} puts the controls there.
 */
export interface ControlPlaceholders {
	html: string;
	text: string;
}

export function controlPlaceholders(tag: string): ControlPlaceholders {
	return { html: `GMAILSMTPBUTTONS${tag}`, text: `GMAILSMTPLINKS${tag}` };
}

/**
 * The buttons of the message: Approve (and Decline) for an approval, one Respond button leading to
 * the form page otherwise. `resumeUrl` gives n8n's signed link for a query.
 */
export function responseButtons(
	responseType: ResponseType,
	approval: ApprovalOptions,
	respondLabel: string,
	resumeUrl: (query: Record<string, string>) => string,
): ResponseButton[] {
	if (responseType !== 'approval') {
		return [{ label: respondLabel || 'Respond', url: resumeUrl({}), style: 'primary' }];
	}
	const approve: ResponseButton = {
		label: approval.approveLabel || 'Approve',
		url: resumeUrl({ approved: 'true' }),
		style: approval.buttonApprovalStyle ?? 'primary',
	};
	if (approval.approvalType !== 'double') return [approve];
	const decline: ResponseButton = {
		label: approval.disapproveLabel || 'Decline',
		url: resumeUrl({ approved: 'false' }),
		style: approval.buttonDisapprovalStyle ?? 'secondary',
	};
	return [approve, decline];
}

const BUTTON_COLOURS: Record<ButtonStyle, { background: string; text: string; border: string }> = {
	primary: { background: '#1a73e8', text: '#ffffff', border: '#1a73e8' },
	secondary: { background: '#ffffff', text: '#1a73e8', border: '#dadce0' },
};

/**
 * Buttons as mail clients draw them: a table of cells with inline styles and a link in each (the
 * "bulletproof button" of email design), no script, no stylesheet, no image; Outlook's Word engine
 * draws the cell colour even where it ignores the link's padding.
 */
export function buttonsHtml(buttons: ResponseButton[]): string {
	const cells = buttons
		.map(({ label, url, style }) => {
			const colours = BUTTON_COLOURS[style];
			return `<td align="center" bgcolor="${colours.background}" style="border-radius:6px;border:1px solid ${colours.border};background-color:${colours.background};"><a href="${escapeHtml(url)}" target="_blank" rel="noopener" style="display:inline-block;padding:12px 24px;font-family:Arial,Helvetica,sans-serif;font-size:16px;font-weight:bold;line-height:20px;color:${colours.text};text-decoration:none;border-radius:6px;">${escapeHtml(label)}</a></td>`;
		})
		.join('<td width="12" style="width:12px;font-size:0;line-height:0;">&nbsp;</td>');
	return `<table role="presentation" border="0" cellspacing="0" cellpadding="0" style="margin:24px 0;border-collapse:separate;"><tr>${cells}</tr></table>`;
}

/** The same choices as plain links, for the text part and for clients that show no HTML. */
export function buttonsText(buttons: ResponseButton[]): string {
	return buttons.map(({ label, url }) => `${label}: ${url}`).join('\n');
}

/**
 * Puts the controls where the author placed `{{{approvalButtons}}}` / `{{approvalLinks}}`, or after
 * the HTML and the text. A text part generated from the HTML carries the HTML's stand-in, which
 * becomes the plain links there.
 */
export function placeResponseControls<Parts extends { html?: string; text?: string }>(
	parts: Parts,
	placeholders: ControlPlaceholders,
	buttons: ResponseButton[],
): Parts {
	const standIns = [placeholders.html, placeholders.text];
	const place = (body: string, controls: string, append: (body: string) => string) =>
		standIns.some((stand) => body.includes(stand))
			? standIns.reduce((placed, stand) => placed.split(stand).join(controls), body)
			: append(body);
	const html =
		parts.html === undefined
			? undefined
			: place(parts.html, buttonsHtml(buttons), (body) => appendToHtml(body, buttonsHtml(buttons)));
	const links = buttonsText(buttons);
	const text = place(parts.text ?? '', links, (body) =>
		[body.trimEnd(), links].filter(Boolean).join('\n\n'),
	);
	return { ...parts, html, text };
}

/** Before `</body>` when the template is a whole document, at the end otherwise. */
function appendToHtml(html: string, controls: string): string {
	if (!html.trim()) return controls;
	const bodyEnd = html.search(/<\/body\s*>/i);
	return bodyEnd === -1
		? `${html}\n${controls}`
		: `${html.slice(0, bodyEnd)}${controls}\n${html.slice(bodyEnd)}`;
}
