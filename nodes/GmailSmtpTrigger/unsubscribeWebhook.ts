import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { suppressionsFor } from '../GmailSmtp/delivery/suppression/suppressionRegistry';
import { TOKEN_PARAMETER } from '../GmailSmtp/message/managedUnsubscribe';
import { submittedFields, submittedText } from '../GmailSmtp/pages/submittedFields';
import {
	verifyUnsubscribeToken,
	type UnsubscribeClaim,
} from '../GmailSmtp/message/unsubscribeToken';
import {
	readGmailSmtpCredentials,
	type GmailSmtpCredentials,
} from '../GmailSmtp/transport/gmailSmtpCredentials';
import {
	badRequestPageHtml,
	confirmUnsubscribePageHtml,
	invalidLinkPageHtml,
	notRecordedPageHtml,
	PAGE_CONFIRMATION,
	unsubscribedPageHtml,
} from './unsubscribePages';

/** What the workflow gets for each new unsubscribe. */
export interface UnsubscribeEvent extends IDataObject {
	email: string;
	list: string;
	method: 'one-click' | 'page';
	messageId?: string;
	at: string;
}

/**
 * A Manage Unsubscribes link. GET (a person opening it, or a link scanner) only shows a page whose
 * button posts back; a POST whose body is `List-Unsubscribe=One-Click` (RFC 8058, what Gmail and
 * other mail programs send) or the page's own form records the address on the account's
 * suppression list, answers at once and starts the workflow with one item. A link that does not
 * verify gets 400 and records nothing; an address already on the list answers the same page and
 * starts nothing.
 */
export async function unsubscribeWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const request = this.getRequestObject();
	const credentials = await usableCredentials(this);
	if (!credentials) return answer(this, 500, notRecordedPageHtml());
	const query = this.getQueryData() as IDataObject;
	const claim = verifyUnsubscribeToken(query[TOKEN_PARAMETER], {
		account: credentials.user,
		secret: credentials.linkSecret,
	});
	if (!claim) return answer(this, 400, invalidLinkPageHtml());
	if (request.method !== 'POST')
		return answer(this, 200, confirmUnsubscribePageHtml(claim.email, claim.list));

	const method = unsubscribeMethod(this.getBodyData());
	if (!method) return answer(this, 400, badRequestPageHtml());
	const event = eventFor(claim, method);
	let added: boolean;
	try {
		[added] = await suppressionsFor(credentials).add(claim.list, [
			{ ...event, reason: 'unsubscribe' },
		]);
	} catch {
		// Mail programs retry a one-click POST that failed; nothing was recorded.
		return answer(this, 503, notRecordedPageHtml());
	}
	answer(this, 200, unsubscribedPageHtml(claim.email, claim.list));
	if (!added) return { noWebhookResponse: true };
	return { noWebhookResponse: true, workflowData: [[{ json: event }]] };
}

/** The credential, if it can verify links at all (a Link Secret is set). */
async function usableCredentials(
	context: IWebhookFunctions,
): Promise<GmailSmtpCredentials | undefined> {
	try {
		const credentials = readGmailSmtpCredentials(await context.getCredentials('gmailSmtpApi'));
		return credentials.linkSecret ? credentials : undefined;
	} catch {
		return undefined;
	}
}

/**
 * RFC 8058's body — multipart/form-data as the RFC asks, or URL-encoded as it allows; n8n parses
 * the two into different places — or the confirmation page's form.
 */
function unsubscribeMethod(body: unknown): UnsubscribeEvent['method'] | undefined {
	const fields = submittedFields(body);
	if (submittedText(fields['List-Unsubscribe']) === 'One-Click') return 'one-click';
	if (submittedText(fields[PAGE_CONFIRMATION.field]) === PAGE_CONFIRMATION.answer) return 'page';
	return undefined;
}

function eventFor(claim: UnsubscribeClaim, method: UnsubscribeEvent['method']): UnsubscribeEvent {
	const event: UnsubscribeEvent = {
		email: claim.email,
		list: claim.list,
		method,
		at: new Date().toISOString(),
	};
	if (claim.messageId) event.messageId = claim.messageId;
	return event;
}

/** Answers the request itself, so that the person (or mail program) never waits for the workflow. */
function answer(context: IWebhookFunctions, status: number, html: string): IWebhookResponseData {
	const response = context.getResponseObject();
	response.setHeader('Content-Type', 'text/html; charset=utf-8');
	response.setHeader('Cache-Control', 'no-store');
	// The link carries the token: it must not leak to other sites, nor the page be framed or indexed.
	response.setHeader('Referrer-Policy', 'no-referrer');
	response.setHeader('X-Robots-Tag', 'noindex, nofollow');
	response.setHeader(
		'Content-Security-Policy',
		"default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
	);
	response.status(status).end(html);
	return { noWebhookResponse: true };
}
