/**
 * Removes secrets from text that leaves the node. The App Password is also matched in the grouped
 * form Google displays (`abcd efgh ijkl mnop`) and base64-encoded, as it travels in AUTH PLAIN/LOGIN.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
	let redacted = text;
	for (const secret of secrets) {
		if (secret.length < 4) continue;
		for (const form of secretForms(secret)) {
			redacted = redacted.split(form).join('[redacted]');
		}
	}
	return redacted;
}

function secretForms(secret: string): string[] {
	const forms = new Set([secret, Buffer.from(secret).toString('base64')]);
	if (secret.length === 16) forms.add(secret.match(/.{4}/g)!.join(' '));
	return [...forms].sort((a, b) => b.length - a.length);
}
