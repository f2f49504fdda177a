import type { MailAddress } from './addresses';
import type { HeaderLine } from './headers';

/** The message in the shape nodemailer accepts, with nothing in it that reads files or URLs. */
export interface MessageDraft {
	from: MailAddress;
	to: MailAddress[];
	cc: MailAddress[];
	bcc: MailAddress[];
	replyTo: MailAddress[];
	subject: string;
	html?: string;
	text?: string;
	/** Extra header lines (custom headers, List-Unsubscribe), added by `applyMessageOptions`. */
	headers?: HeaderLine[];
	inReplyTo?: string;
	references?: string[];
	priority?: 'high' | 'normal' | 'low';
	/** `<id@domain>`, in the domain of the From address. */
	messageId?: string;
	/** Attachments and inline images, added by `attachFiles`. */
	attachments?: AttachmentPart[];
}

/**
 * A message ready to send: built, with its headers, files and Message-ID. `suppressed`: the
 * addresses taken out because they are on the suppression list (when it was checked); not sent.
 */
export type ComposedMessage = MessageDraft & { messageId: string; suppressed?: string[] };

/**
 * A MIME part in the form nodemailer takes. Content is always a Buffer: never `path` or `href`,
 * so item data can never make the node read a local file or fetch a URL.
 */
export interface AttachmentPart {
	filename: string;
	contentType: string;
	content: Buffer;
	contentDisposition: 'attachment' | 'inline';
	contentTransferEncoding: 'base64';
	cid?: string;
}
