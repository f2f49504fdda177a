import { DEFAULT_SUPPRESSION_LIST } from '../GmailSmtp/defaults';
import { escapeHtml } from '../GmailSmtp/fieldText';
import { pageButtonStyle, pageHtml } from '../GmailSmtp/pages/pageHtml';

/**
 * The pages a person sees at an unsubscribe link (in the frame of pageHtml.ts): the GET page only
 * asks, and its button posts the form back to the same link, so that a link scanner following
 * the link unsubscribes nobody.
 */

/** The hidden field the confirmation page posts, besides the token in the link. */
export const PAGE_CONFIRMATION = { field: 'unsubscribe', answer: 'page' };

export function confirmUnsubscribePageHtml(email: string, list: string): string {
	return pageHtml(
		'Unsubscribe',
		`<p>Stop sending ${listPhrase(list)} to <strong>${escapeHtml(email)}</strong>?</p>
<form method="POST">
<input type="hidden" name="${PAGE_CONFIRMATION.field}" value="${PAGE_CONFIRMATION.answer}">
<button type="submit" style="${pageButtonStyle(8)}">Unsubscribe</button>
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
	return list === DEFAULT_SUPPRESSION_LIST
		? 'these emails'
		: `emails of the list "${escapeHtml(list)}"`;
}
