// Rules for the text that fields and item data bring in, shared by the credential, message
// building and the template helpers. This module imports nothing, so every layer may read it.

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;
// The same without the tab.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const HEADER_LINE_BREAKER = /[\u0000-\u0008\u000a-\u001f\u007f]/;
// Deliberately simple: one @, no spaces or control characters, a dotted domain. The server decides
// about the rest; this only catches what is certainly wrong before anything is sent.
const EMAIL_ADDRESS = /^[^\s@"<>,;()[\]\\]+@[^\s@"<>,;()[\]\\]+\.[^\s@"<>,;()[\]\\]+$/;

/** A field left empty: n8n gives `undefined` or `''`, an expression may give `null`. */
export function isUnset(value: unknown): value is undefined | null | '' {
	return value === undefined || value === null || value === '';
}

/** CR or LF: the text is not one line. */
export function hasLineBreak(text: string): boolean {
	return /[\r\n]/.test(text);
}

/**
 * Any control character (C0 or DEL), the tab included: for values that have no use for one, such as
 * addresses, URLs and custom header names and values.
 */
export function hasControlCharacter(text: string): boolean {
	return CONTROL_CHARACTER.test(text);
}

/**
 * A control character that would end or corrupt a header line: CR, LF and the others, but not the
 * tab, which folds harmlessly (the subject, the From name, Message-IDs).
 */
export function breaksHeaderLine(text: string): boolean {
	return HEADER_LINE_BREAKER.test(text);
}

/** The text without any control character (the tab included). */
export function withoutControlCharacters(text: string): string {
	return text.replace(CONTROL_CHARACTERS, '');
}

/** One plain address (`jane@example.com`, no display name), as far as can be told before sending. */
export function isEmailAddress(text: string): boolean {
	return EMAIL_ADDRESS.test(text);
}

/** At most `maxLength` characters, the last three `...` when cut: for quoting input in a message. */
export function truncate(text: string, maxLength: number): string {
	return text.length > maxLength ? `${text.slice(0, maxLength - 3)}...` : text;
}

/** Text as HTML text or an attribute value: `& < > " '` as character references. */
export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
