import type { MessageDraft } from './buildMessage';
import { parseCustomHeaders } from './headers';
import { buildThreadHeaders } from './threading';
import { buildUnsubscribeHeaders } from './unsubscribe';

/** The send options that add headers to a message; values may come from n8n expressions. */
export interface MessageOptionValues {
	/** `customHeaders` fixed collection: `{ header: [{ name, value }] }`. */
	customHeaders?: unknown;
	unsubscribeUrl?: unknown;
	unsubscribeEmail?: unknown;
	inReplyTo?: unknown;
	references?: unknown;
	prefixSubjectWithRe?: unknown;
}

/** Adds the optional headers (and the thread's `Re:` prefix) to a built message, validating each. */
export function applyMessageOptions(
	draft: MessageDraft,
	options: MessageOptionValues,
): MessageDraft {
	const headers = [
		...(draft.headers ?? []),
		...parseCustomHeaders(options.customHeaders),
		...buildUnsubscribeHeaders({ url: options.unsubscribeUrl, email: options.unsubscribeEmail }),
	];
	const thread = buildThreadHeaders(options, draft.subject);
	return { ...draft, ...thread, headers };
}
