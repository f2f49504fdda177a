import type { MessageDraft } from './buildMessage';
import { parseCustomHeaders } from './headers';
import { buildUnsubscribeHeaders } from './unsubscribe';

/** The send options that add headers to a message; values may come from n8n expressions. */
export interface MessageOptionValues {
	/** `customHeaders` fixed collection: `{ header: [{ name, value }] }`. */
	customHeaders?: unknown;
	unsubscribeUrl?: unknown;
	unsubscribeEmail?: unknown;
}

/** Adds the optional headers to a built message, validating each option. */
export function applyMessageOptions(
	draft: MessageDraft,
	options: MessageOptionValues,
): MessageDraft {
	const headers = [
		...(draft.headers ?? []),
		...parseCustomHeaders(options.customHeaders),
		...buildUnsubscribeHeaders({ url: options.unsubscribeUrl, email: options.unsubscribeEmail }),
	];
	return { ...draft, headers };
}
