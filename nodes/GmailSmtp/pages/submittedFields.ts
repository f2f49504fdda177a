/**
 * The fields a form or a mail program posted to one of our links, wherever n8n put them: a
 * multipart post (how our form pages submit, the only kind n8n 2.x accepts for a Custom Form, and
 * what RFC 8058 asks of one-click unsubscribes) is parsed by n8n into `{ data, files }`; a
 * URL-encoded one lands at the top of the body.
 */
export function submittedFields(body: unknown): Record<string, unknown> {
	if (!body || typeof body !== 'object') return {};
	const { data } = body as { data?: unknown };
	if (data && typeof data === 'object' && !Array.isArray(data)) {
		return data as Record<string, unknown>;
	}
	return body as Record<string, unknown>;
}

/** One field's value as text: the first of a repeated field, '' for none or a file. */
export function submittedText(value: unknown): string {
	const first = Array.isArray(value) ? value[0] : value;
	return first === undefined || first === null || typeof first === 'object' ? '' : String(first);
}
