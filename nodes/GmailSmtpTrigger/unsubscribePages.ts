/**
 * The pages a person sees at an unsubscribe link. Plain HTML with no script: the GET page only
 * asks, and its button posts the form back to the same link, so that a link scanner following
 * the link unsubscribes nobody.
 */

/** The hidden field the confirmation page posts, besides the token in the link. */
export const PAGE_CONFIRMATION = { field: 'unsubscribe', answer: 'page' };

export function confirmPageHtml(email: string, list: string): string {
	return pageHtml(
		'Unsubscribe',
		`<p>Stop sending ${listPhrase(list)} to <strong>${escapeHtml(email)}</strong>?</p>
<form method="POST">
<input type="hidden" name="${PAGE_CONFIRMATION.field}" value="${PAGE_CONFIRMATION.answer}">
<button type="submit" style="margin-top:8px;padding:12px 24px;border:0;border-radius:6px;background:#1a73e8;color:#fff;font-size:16px;font-weight:bold;cursor:pointer;">Unsubscribe</button>
</form>`,
	);
}

export function unsubscribedPageHtml(email: string, list: string): string {
	return pageHtml(
		'You are unsubscribed',
		`<p><strong>${escapeHtml(email)}</strong> will get no more ${listPhrase(list)}. This page can be closed now.</p>`,
	);
}

export function invalidLinkPageHtml(): string {
	return pageHtml(
		'This unsubscribe link is not valid',
		'<p>The link is incomplete or was changed. Open it again from the email, or reply to the email and ask to be removed.</p>',
	);
}

export function notRecordedPageHtml(): string {
	return pageHtml(
		'Please try again',
		'<p>Your request could not be recorded just now. Please try again in a few minutes.</p>',
	);
}

export function badRequestPageHtml(): string {
	return pageHtml(
		'Not an unsubscribe request',
		'<p>Open the link from the email and press the Unsubscribe button.</p>',
	);
}

function listPhrase(list: string): string {
	return list === 'default' ? 'these emails' : `emails of the list "${escapeHtml(list)}"`;
}

function pageHtml(title: string, body: string): string {
	return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex,nofollow"><title>${escapeHtml(title)}</title></head>
<body style="margin:0;background:#f6f8fc;font-family:Arial,Helvetica,sans-serif;color:#202124;">
<main style="max-width:560px;margin:48px auto;padding:24px;background:#fff;border-radius:12px;border:1px solid #dadce0;">
<h1 style="margin-top:0;font-size:22px;">${escapeHtml(title)}</h1>
${body}
</main></body></html>`;
}

function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
