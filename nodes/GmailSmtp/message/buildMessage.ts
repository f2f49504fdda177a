import { inputError } from '../errors/GmailSmtpError';
import { breaksHeaderLine } from '../fieldText';
import type { RenderedTemplates } from '../templating/templateRenderer';
import { assertRecipientLimit, parseAddressList, type MailAddress } from './addresses';
import { assertFitsHeaderLine } from './headers';
import type { MessageDraft } from './messageDraft';

/** The recipient fields as the node's parameters give them (whatever an expression gives). */
export interface RecipientFields {
	to: unknown;
	cc?: unknown;
	bcc?: unknown;
	replyTo?: unknown;
}

export interface SenderFields {
	/** The account's own address (the credential's User). */
	accountEmail: string;
	/** A Gmail "Send mail as" alias; Gmail rewrites any other address to the account. */
	fromEmail?: string;
	fromName?: string;
}

/** Turns rendered templates and recipient fields into a message, or explains what is wrong. */
export function buildMessage(
	rendered: RenderedTemplates,
	recipients: RecipientFields,
	sender: SenderFields,
): MessageDraft {
	const to = parseAddressList(recipients.to, 'To');
	if (to.length === 0) {
		throw inputError('No recipient', 'To is empty for this item: give at least one address.');
	}
	const subject = rendered.subject.trim();
	if (breaksHeaderLine(subject)) {
		throw inputError(
			'Subject contains a line break',
			'A subject must be one line of text. Remove line breaks and control characters from the Subject template or from the item data it uses.',
		);
	}
	assertFitsHeaderLine(subject, 'subject', 'Subject too long for one header line');
	if (!rendered.html && !rendered.text) {
		throw inputError(
			'Message body is empty',
			'Both HTML and Text rendered to nothing for this item. Fill in at least one of them.',
		);
	}
	const cc = parseAddressList(recipients.cc, 'CC');
	const bcc = parseAddressList(recipients.bcc, 'BCC');
	assertRecipientLimit({ To: to, CC: cc, BCC: bcc });
	return {
		from: buildFrom(sender),
		to,
		cc,
		bcc,
		replyTo: parseAddressList(recipients.replyTo, 'Reply-To'),
		subject,
		html: rendered.html || undefined,
		text: rendered.text || undefined,
	};
}

function buildFrom(sender: SenderFields): MailAddress {
	// An n8n expression may give a number or nothing at all.
	const name = String(sender.fromName ?? '').trim();
	if (breaksHeaderLine(name)) {
		throw inputError('Invalid From Name', 'From Name must be one line of text.');
	}
	assertFitsHeaderLine(name, 'From Name', 'Invalid From Name');
	const aliases = sender.fromEmail ? parseAddressList(sender.fromEmail, 'From Email') : [];
	if (aliases.length > 1) {
		throw inputError('Invalid From Email', 'From Email takes a single address.');
	}
	return { name, address: aliases[0]?.address ?? sender.accountEmail };
}
