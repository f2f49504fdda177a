/**
 * Removes secrets from text that leaves the node. A password is matched as stored, in the grouped
 * form Google displays (`abcd efgh ijkl mnop`), URL-encoded, and in every form it travels in during
 * a login, because a server may echo the client's line back: base64 alone (AUTH LOGIN) and the
 * base64 of `\0user\0password`, `user\0user\0password` and `user\0password` (AUTH PLAIN with and
 * without an authorisation identity), padded or not, raw or URL-encoded.
 */
export function redactSecrets(text: string, secrets: readonly string[], user = ''): string {
	let redacted = text;
	for (const form of secretForms(secrets, user)) {
		redacted = redacted.split(form).join('[redacted]');
	}
	return redacted;
}

function secretForms(secrets: readonly string[], user: string): string[] {
	const forms = new Set<string>();
	for (const secret of secrets) {
		if (secret.length < 4) continue;
		const bare = secret.replace(/\s+/g, '');
		for (const password of new Set([secret, bare])) {
			forms.add(password);
			forms.add(encodeURIComponent(password));
		}
		if (bare.length === 16) forms.add(bare.match(/.{4}/g)!.join(' '));
		const payloads = [bare];
		if (user) payloads.push(`\0${user}\0${bare}`, `${user}\0${user}\0${bare}`, `${user}\0${bare}`);
		for (const payload of payloads) {
			const base64 = Buffer.from(payload).toString('base64');
			for (const encoded of [base64, base64.replace(/=+$/, '')]) {
				forms.add(encoded);
				forms.add(encodeURIComponent(encoded));
			}
		}
	}
	// Longest first, so that a form containing a shorter one is removed whole.
	return [...forms].sort((a, b) => b.length - a.length);
}
