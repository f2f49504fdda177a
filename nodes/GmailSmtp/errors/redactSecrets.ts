/**
 * Removes secrets from text that leaves the node. A password is matched as stored, in the grouped
 * form Google displays (`abcd efgh ijkl mnop`), URL-encoded, quoted the way IMAP and JSON quote a
 * string (`"` and `\` escaped), and in every form it travels in during a login, because a server
 * may echo the client's line back: base64 alone (AUTH LOGIN) and the base64 of
 * `\0user\0password`, `user\0user\0password` and `user\0password` (AUTH PLAIN with and without an
 * authorisation identity), padded or not, raw or URL-encoded — a base64 form also when the echo
 * splits it over several reply lines.
 */
export function redactSecrets(text: string, secrets: readonly string[], user = ''): string {
	return secretRedactor(secrets, user)(text);
}

/** {@link redactSecrets} with the forms of the secrets worked out once, for many texts. */
export function secretRedactor(secrets: readonly string[], user = ''): (text: string) => string {
	const forms = secretForms(secrets, user);
	return (text) => {
		let redacted = text;
		const multiLine = /[\r\n]/.test(text);
		for (const { form, base64 } of forms) {
			redacted = redacted.split(form).join(REDACTED);
			if (base64 && multiLine) redacted = redactAcrossLines(redacted, form);
		}
		return redacted;
	};
}

const REDACTED = '[redacted]';

/**
 * Where a reply continues on its next line: the line break and what a server puts in front of the
 * next line — an SMTP reply code with its enhanced status (`535-5.7.8 `), an IMAP untagged or
 * continuation marker, or indentation. None of it can stand inside a base64 form.
 */
const LINE_BREAK = /\r?\n(?:\d{3}[ -](?:\d\.\d{1,3}\.\d{1,3}[ \t]+)?|[*+][ \t]|[ \t]+)?/g;

/**
 * `text` with every occurrence of `form` that a reply's line breaks cut into pieces redacted: the
 * text is read with its line breaks taken out, and what matches there is replaced in the text as
 * written (the breaks inside it too). Linear in the text's length, unlike a pattern that allows a
 * break between any two characters of the form (V8 compiles such a pattern for every form).
 */
function redactAcrossLines(text: string, form: string): string {
	let joined = '';
	/** For each character of `joined`, where it stands in `text`. */
	const at: number[] = [];
	let from = 0;
	const keep = (end: number) => {
		joined += text.slice(from, end);
		for (let index = from; index < end; index++) at.push(index);
	};
	for (const lineBreak of text.matchAll(LINE_BREAK)) {
		keep(lineBreak.index);
		from = lineBreak.index + lineBreak[0].length;
	}
	keep(text.length);
	if (joined.length === text.length) return text;

	let redacted = '';
	let written = 0;
	for (
		let found = joined.indexOf(form);
		found !== -1;
		found = joined.indexOf(form, found + form.length)
	) {
		redacted += text.slice(written, at[found]) + REDACTED;
		written = at[found + form.length - 1] + 1;
	}
	return redacted + text.slice(written);
}

interface SecretForm {
	form: string;
	/** A base64 form, which a server may split over several reply lines. */
	base64: boolean;
}

function secretForms(secrets: readonly string[], user: string): SecretForm[] {
	const forms = new Map<string, boolean>();
	for (const secret of secrets) {
		if (secret.length < 4) continue;
		const bare = secret.replace(/\s+/g, '');
		for (const password of new Set([secret, bare])) {
			forms.set(password, false);
			forms.set(encodeURIComponent(password), false);
			// IMAP quoted strings and JSON strings escape `"` and `\` with a backslash.
			forms.set(password.replace(/["\\]/g, '\\$&'), false);
			forms.set(JSON.stringify(password).slice(1, -1), false);
		}
		if (bare.length === 16) forms.set(bare.match(/.{4}/g)!.join(' '), false);
		const payloads = [...new Set([secret, bare])].flatMap((password) =>
			user
				? [
						password,
						`\0${user}\0${password}`,
						`${user}\0${user}\0${password}`,
						`${user}\0${password}`,
					]
				: [password],
		);
		for (const payload of payloads) {
			const base64 = Buffer.from(payload).toString('base64');
			for (const form of [base64, base64.replace(/=+$/, '')]) {
				forms.set(form, true);
				forms.set(encodeURIComponent(form), forms.get(encodeURIComponent(form)) ?? false);
			}
		}
	}
	// Longest first, so that a form containing a shorter one is removed whole.
	return [...forms]
		.map(([form, base64]) => ({ form, base64 }))
		.sort((a, b) => b.form.length - a.form.length);
}
