import type { MailAddress } from './addresses';
import type { MessageDraft } from './buildMessage';

export interface MessagePreview {
	subject: string;
	html: string;
	text: string;
	from: string;
	to: string[];
	cc: string[];
	bcc: string[];
	replyTo: string[];
	headers: Record<string, unknown>;
}

/** What would be sent, as plain JSON for the node's output. */
export function previewMessage(draft: MessageDraft): MessagePreview {
	// Custom headers (unsubscribe, threading, …) are part of the draft when those options are set.
	const { headers } = draft as MessageDraft & { headers?: Record<string, unknown> };
	return {
		subject: draft.subject,
		html: draft.html ?? '',
		text: draft.text ?? '',
		from: formatAddress(draft.from),
		to: draft.to.map(formatAddress),
		cc: draft.cc.map(formatAddress),
		bcc: draft.bcc.map(formatAddress),
		replyTo: draft.replyTo.map(formatAddress),
		headers: headers ?? {},
	};
}

export function formatAddress({ name, address }: MailAddress): string {
	return name ? `${JSON.stringify(name)} <${address}>` : address;
}
