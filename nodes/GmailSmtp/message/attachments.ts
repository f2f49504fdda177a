import { inputError } from '../errors/GmailSmtpError';
import { isUnset, withoutControlCharacters } from '../fieldText';
import type { AttachmentPart, MessageDraft } from './messageDraft';

/** A file taken from an item's binary property, with the metadata n8n keeps beside it. */
export interface BinaryFile {
	propertyName: string;
	content: Buffer;
	fileName?: string;
	fileExtension?: string;
	mimeType?: string;
}

export interface InlineImageFile extends BinaryFile {
	contentId: string;
}

export interface InlineImageRow {
	propertyName: string;
	contentId: string;
}

const FALLBACK_MIME_TYPE = 'application/octet-stream';
const MIME_TOKEN = '[A-Za-z0-9!#$&^_.+-]+';
// `type/subtype` with optional printable parameters (`text/plain; charset=utf-8`).
const MIME_TYPE = new RegExp(`^${MIME_TOKEN}/${MIME_TOKEN}(\\s*;[\\x20-\\x7e]*)?$`);
// The characters of an RFC 5322 msg-id part, which a Content-ID is.
const CONTENT_ID = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.@]+$/;
const BINARY_PROPERTY_NAME = /^[^\s,]+$/;

/** `Attachments`: binary property names, comma-separated (`invoice, terms`) or as a list. */
export function parseBinaryPropertyNames(value: unknown): string[] {
	if (isUnset(value)) return [];
	const parts = Array.isArray(value) ? value : [value];
	const names: string[] = [];
	for (const part of parts) {
		if (typeof part !== 'string') {
			throw inputError(
				'Invalid Attachments',
				`Attachments takes the names of binary properties as text (e.g. "data, invoice"), got ${typeof part}.`,
			);
		}
		names.push(
			...part
				.split(',')
				.map((name) => name.trim())
				.filter(Boolean),
		);
	}
	return [...new Set(names)];
}

/** `Inline Images` fixed collection: `{ image: [{ binaryPropertyName, contentId }] }`. */
export function parseInlineImageRows(value: unknown): InlineImageRow[] {
	if (isUnset(value)) return [];
	const list = Array.isArray(value) ? value : (value as { image?: unknown }).image;
	if (list === undefined) return [];
	if (!Array.isArray(list)) {
		throw inputError('Invalid Inline Images', 'Inline Images must be a list of images.');
	}
	const rows: InlineImageRow[] = [];
	const seen = new Set<string>();
	for (const entry of list as Array<{ binaryPropertyName?: unknown; contentId?: unknown }>) {
		const propertyName = textField(entry?.binaryPropertyName, 'binary property').trim();
		const contentId = normalizeContentId(textField(entry?.contentId, 'content ID'));
		if (!propertyName && !contentId) continue;
		if (!propertyName || !BINARY_PROPERTY_NAME.test(propertyName)) {
			throw inputError(
				'Invalid Inline Images',
				`The inline image "${contentId}" needs the name of one binary property, such as "logo".`,
			);
		}
		if (!contentId) {
			throw inputError(
				'Invalid Inline Images',
				`The inline image from binary property "${propertyName}" needs a content ID, used in the HTML as <img src="cid:logo">.`,
			);
		}
		if (seen.has(contentId.toLowerCase())) {
			throw inputError(
				'Invalid Inline Images',
				`The content ID "${contentId}" is used twice; each inline image needs its own.`,
			);
		}
		seen.add(contentId.toLowerCase());
		rows.push({ propertyName, contentId });
	}
	return rows;
}

/**
 * Adds files to a message: regular attachments (Content-Disposition: attachment, never a cid) and
 * inline images (Content-Disposition: inline with a Content-ID, for `<img src="cid:...">`).
 */
export function attachFiles<Draft extends MessageDraft>(
	draft: Draft,
	files: { attachments: BinaryFile[]; inlineImages: InlineImageFile[] },
): Draft {
	if (files.attachments.length === 0 && files.inlineImages.length === 0) return draft;
	if (files.inlineImages.length > 0 && !draft.html) {
		throw inputError(
			'Inline images need an HTML body',
			'Inline images are shown by <img src="cid:..."> in the HTML, but HTML rendered to nothing for this item. Fill in HTML, or send the images as Attachments.',
		);
	}
	const parts: AttachmentPart[] = [
		...files.attachments.map((file) => part(file, 'attachment')),
		...files.inlineImages.map((file) => inlineImagePart(file)),
	];
	return { ...draft, attachments: [...(draft.attachments ?? []), ...parts] };
}

function inlineImagePart(file: InlineImageFile): AttachmentPart {
	if (!CONTENT_ID.test(file.contentId)) throw invalidContentId(file.contentId);
	const contentType = mimeTypeOf(file);
	if (!contentType.toLowerCase().startsWith('image/')) {
		throw inputError(
			'Inline image is not an image',
			`Binary property "${file.propertyName}" (content ID "${file.contentId}") is ${contentType}; only images can be inline. Send it as an attachment instead.`,
		);
	}
	return { ...part(file, 'inline'), cid: file.contentId };
}

function part(file: BinaryFile, disposition: AttachmentPart['contentDisposition']): AttachmentPart {
	return {
		filename: fileNameOf(file),
		contentType: mimeTypeOf(file),
		content: file.content,
		contentDisposition: disposition,
		contentTransferEncoding: 'base64',
	};
}

/** The original file name without any directory, or one made from the property name. */
function fileNameOf(file: BinaryFile): string {
	const original = withoutControlCharacters(file.fileName ?? '')
		.split(/[/\\]/)
		.pop()
		?.trim();
	if (original) return original;
	const extension = (file.fileExtension ?? '').replace(/[^A-Za-z0-9]/g, '');
	return extension ? `${file.propertyName}.${extension}` : file.propertyName;
}

function mimeTypeOf(file: BinaryFile): string {
	const mimeType = (file.mimeType ?? '').trim();
	return MIME_TYPE.test(mimeType) ? mimeType : FALLBACK_MIME_TYPE;
}

function normalizeContentId(value: string): string {
	const id = value
		.trim()
		.replace(/^cid:/i, '')
		.replace(/^<(.*)>$/, '$1');
	if (id && !CONTENT_ID.test(id)) throw invalidContentId(id);
	return id;
}

function invalidContentId(id: string) {
	return inputError(
		'Invalid Inline Images',
		`"${id}" is not a usable content ID: use letters, digits and punctuation without spaces, quotes, brackets, commas or colons, such as "logo" or "logo@acme".`,
	);
}

function textField(value: unknown, label: string): string {
	if (value === undefined || value === null) return '';
	if (typeof value !== 'string') {
		throw inputError('Invalid Inline Images', `The ${label} of an inline image must be text.`);
	}
	return value;
}
