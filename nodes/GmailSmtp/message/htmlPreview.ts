import type { MessageDraft } from './messageDraft';

/**
 * The HTML as the recipient's mail program shows it, for n8n's output panel: inline images
 * (`cid:` links) become `data:` URLs, since the panel has no message to look them up in.
 */
export function htmlForDisplay(draft: MessageDraft): string {
	const inline = new Map(
		(draft.attachments ?? [])
			.filter((part) => part.cid)
			.map((part) => [
				part.cid!,
				`data:${part.contentType};base64,${part.content.toString('base64')}`,
			]),
	);
	return (draft.html ?? '').replace(
		/(["'(])cid:([^"')\s]+)/gi,
		(whole, quote: string, cid: string) => {
			const url = inline.get(cid);
			return url ? `${quote}${url}` : whole;
		},
	);
}
