import { isbot } from 'isbot';

/**
 * Programs that fetch the links of a message without a person deciding anything, whose user agents
 * `isbot` does not know:
 * - Microsoft's preview service (Teams, Skype) fetches with no user agent or one naming itself, as
 *   n8n's built-in node knows; Defender's Safe Links poses as a browser but says so.
 * - Microsoft Office fetches a link before it opens it, from Outlook
 *   (`Microsoft Office/16.0 (…; Microsoft Outlook 16.0.17328; Pro)`) and as the older
 *   `Mozilla/4.0 (compatible; ms-office; MSOffice 16)`; the person's click then opens the browser,
 *   which presents itself as that browser.
 */
const FETCHER_NAMES = [
	'teams',
	'skype',
	'preview',
	'safelinks',
	'microsoft office',
	'ms-office',
	'msoffice',
	'microsoft outlook',
];

/** Whether a request with this user agent comes from a link fetcher rather than a person. */
export function isLinkFetcher(userAgent: string | undefined): boolean {
	if (!userAgent) return true;
	if (isbot(userAgent)) return true;
	const agent = userAgent.toLowerCase();
	return FETCHER_NAMES.some((name) => agent.includes(name));
}
