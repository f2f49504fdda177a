import type { MailAddress } from './addresses';
import type { MessageDraft } from './messageDraft';

export interface MessagePreview {
	subject: string;
	html: string;
	text: string;
	from: string;
	to: string[];
	cc: string[];
	bcc: string[];
	replyTo: string[];
	/** Headers set by options (custom, unsubscribe, threading, priority), by name. */
	headers: Record<string, string | string[]>;
	attachments: Array<{ filename: string; contentType: string; size: number; contentId?: string }>;
}

/** What would be sent, as plain JSON for the node's output. */
export function previewMessage(draft: MessageDraft): MessagePreview {
	const headers: Record<string, string | string[]> = {};
	const add = (name: string, value: string) => {
		const existing = headers[name];
		headers[name] =
			existing === undefined
				? value
				: [...(Array.isArray(existing) ? existing : [existing]), value];
	};
	for (const line of draft.headers ?? []) {
		add(line.key, typeof line.value === 'string' ? line.value : line.value.value);
	}
	if (draft.inReplyTo) add('In-Reply-To', draft.inReplyTo);
	if (draft.references?.length) add('References', draft.references.join(' '));
	if (draft.priority && draft.priority !== 'normal') add('Priority', draft.priority);
	return {
		subject: draft.subject,
		html: draft.html ?? '',
		text: draft.text ?? '',
		from: formatAddress(draft.from),
		to: draft.to.map(formatAddress),
		cc: draft.cc.map(formatAddress),
		bcc: draft.bcc.map(formatAddress),
		replyTo: draft.replyTo.map(formatAddress),
		headers,
		attachments: (draft.attachments ?? []).map((part) => ({
			filename: part.filename,
			contentType: part.contentType,
			size: part.content.length,
			...(part.cid ? { contentId: part.cid } : {}),
		})),
	};
}

export function formatAddress({ name, address }: MailAddress): string {
	return name ? `${JSON.stringify(name)} <${address}>` : address;
}
