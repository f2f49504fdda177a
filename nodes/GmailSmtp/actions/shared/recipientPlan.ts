import { suppressionsFor } from '../../delivery/suppression/suppressionRegistry';
import { inputError } from '../../errors/GmailSmtpError';
import { isUnset } from '../../fieldText';
import { parseAddressList } from '../../message/addresses';
import type { RecipientFields } from '../../message/buildMessage';
import {
	normalizeListName,
	readManagedUnsubscribe,
	unsubscribeUrlFor,
} from '../../message/managedUnsubscribe';
import { createMessageId } from '../../message/messageId';
import {
	recipientAddresses,
	withoutSuppressed,
	type Recipients,
} from '../../message/suppressedRecipients';
import type { GmailSmtpCredentials } from '../../transport/gmailSmtpCredentials';

/** The options of Send and Send and Wait that honour a suppression list. */
export interface UnsubscribeOptionValues {
	manageUnsubscribes?: boolean;
	suppressionList?: string;
	unsubscribeUrl?: unknown;
	fromEmail?: string;
}

/** Who one message goes to, once the suppression list was read, and its unsubscribe link. */
export interface RecipientPlan {
	/** The fields as given (nothing to check), or the parsed addresses that remain. */
	recipients: RecipientFields | Recipients;
	/** Set when the list was checked: the addresses taken out (possibly none). */
	suppressed?: string[];
	/** The recipient's signed link (Manage Unsubscribes): for the header and `{{@unsubscribeUrl}}`. */
	unsubscribeUrl?: string;
	/** The Message-ID the link names; the message must be sent with it. */
	messageId?: string;
}

/** Every To address of the message is on the suppression list: it is not sent at all. */
export class RecipientsSuppressed extends Error {
	constructor(readonly suppressed: string[]) {
		super('Every recipient of this message is on the suppression list');
		this.name = 'RecipientsSuppressed';
	}
}

/**
 * Parses the recipients and, with Manage Unsubscribes on or a Suppression List named, takes out
 * the addresses on the account's list (`lookUp` false: Preview, which reads no store). Throws
 * {@link RecipientsSuppressed} when no To address remains: Cc and Bcc are copies of a message for
 * To, so they are not mailed alone.
 */
export async function planRecipients(
	fields: RecipientFields,
	options: UnsubscribeOptionValues,
	credentials: GmailSmtpCredentials,
	lookUp: boolean,
): Promise<RecipientPlan> {
	const managed = options.manageUnsubscribes === true;
	if (
		!managed &&
		(isUnset(options.suppressionList) || String(options.suppressionList).trim() === '')
	) {
		// Nothing to look up: the message is built from the fields as given.
		return { recipients: fields };
	}
	const recipients: Recipients = {
		to: parseAddressList(fields.to, 'To'),
		cc: parseAddressList(fields.cc, 'CC'),
		bcc: parseAddressList(fields.bcc, 'BCC'),
	};
	const list = normalizeListName(options.suppressionList);
	const links = managed ? readManagedUnsubscribe(credentials, list) : undefined;
	if (links) assertManageable(recipients, options);

	let remaining = recipients;
	const plan: RecipientPlan = { recipients };
	if (lookUp) {
		const found = await suppressionsFor(credentials).find(list, recipientAddresses(recipients));
		const kept = withoutSuppressed(recipients, (email) => found.has(email));
		if (recipients.to.length > 0 && kept.to.length === 0) {
			throw new RecipientsSuppressed(kept.suppressed);
		}
		remaining = { to: kept.to, cc: kept.cc, bcc: kept.bcc };
		plan.recipients = remaining;
		plan.suppressed = kept.suppressed;
	}
	if (links && remaining.to.length === 1) {
		const from = parseAddressList(options.fromEmail, 'From Email')[0]?.address ?? credentials.user;
		plan.messageId = createMessageId(from);
		plan.unsubscribeUrl = unsubscribeUrlFor(links, remaining.to[0].address, plan.messageId);
	}
	return plan;
}

/** Whether the templates place `{{@unsubscribeUrl}}`: read once per execution. */
export function templatesUseUnsubscribeUrl(templates: string[]): boolean {
	return templates.some((template) => /@unsubscribeUrl\b/.test(template));
}

/**
 * `{{@unsubscribeUrl}}` is only set with Manage Unsubscribes on: a template that uses it otherwise
 * would send a message without the link it promises, so the item fails with the fix.
 */
export function assertUnsubscribeUrlAvailable(
	templatesUseIt: boolean,
	options: UnsubscribeOptionValues,
): void {
	if (options.manageUnsubscribes === true || !templatesUseIt) return;
	throw inputError(
		'{{@unsubscribeUrl}} needs Manage Unsubscribes',
		"The templates use {{@unsubscribeUrl}}, the recipient's own unsubscribe link, which is made only with Options → Manage Unsubscribes on (and the credential's Unsubscribe Endpoint and Link Secret set). Turn it on, or take the link out of the templates.",
	);
}

function assertManageable(recipients: Recipients, options: UnsubscribeOptionValues): void {
	if (!isUnset(options.unsubscribeUrl) && String(options.unsubscribeUrl).trim() !== '') {
		throw inputError(
			'Two unsubscribe links',
			'Manage Unsubscribes writes the List-Unsubscribe link itself: clear Options → Unsubscribe URL (Unsubscribe Email may stay), or turn Manage Unsubscribes off.',
		);
	}
	if (recipients.to.length > 1) {
		throw inputError(
			'One To address per message with Manage Unsubscribes',
			`To has ${recipients.to.length} addresses. Each message's unsubscribe link removes one person, so with Manage Unsubscribes a message goes to one To address (CC and BCC get a copy): give each recipient an item of their own (e.g. with a Split Out node).`,
		);
	}
}
