import type { MessageDraft } from './buildMessage';
import { parseCustomHeaders } from './headers';

/** The send options that add headers to a message; values may come from n8n expressions. */
export interface MessageOptionValues {
	/** `customHeaders` fixed collection: `{ header: [{ name, value }] }`. */
	customHeaders?: unknown;
}

/** Adds the optional headers to a built message, validating each option. */
export function applyMessageOptions(
	draft: MessageDraft,
	options: MessageOptionValues,
): MessageDraft {
	const headers = [...(draft.headers ?? []), ...parseCustomHeaders(options.customHeaders)];
	return { ...draft, headers };
}
