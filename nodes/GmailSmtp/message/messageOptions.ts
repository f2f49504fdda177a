import type { ComposedMessage, MessageDraft } from './messageDraft';
import { parseCustomHeaders } from './headers';
import { createMessageId } from './messageId';
import { parsePriority } from './priority';
import { buildThreadHeaders } from './threading';
import { buildUnsubscribeHeaders } from './unsubscribeHeaders';

/** The send options that add headers to a message; values may come from n8n expressions. */
export interface HeaderOptionValues {
	/** `customHeaders` fixed collection: `{ header: [{ name, value }] }`. */
	customHeaders?: unknown;
	unsubscribeUrl?: unknown;
	unsubscribeEmail?: unknown;
	inReplyTo?: unknown;
	references?: unknown;
	prefixSubjectWithRe?: unknown;
	/** `high`, `normal` or `low`. */
	priority?: unknown;
}

/** Adds the optional headers (and the thread's `Re:` prefix) to a built message, validating each. */
export function applyMessageOptions(
	draft: MessageDraft,
	options: HeaderOptionValues,
): ComposedMessage {
	const headers = [
		...(draft.headers ?? []),
		...parseCustomHeaders(options.customHeaders),
		...buildUnsubscribeHeaders({ url: options.unsubscribeUrl, email: options.unsubscribeEmail }),
	];
	return {
		...draft,
		...buildThreadHeaders(options, draft.subject),
		headers,
		priority: parsePriority(options.priority),
		messageId: createMessageId(draft.from.address),
	};
}
