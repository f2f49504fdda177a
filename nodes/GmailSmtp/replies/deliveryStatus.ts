import { simpleParser } from 'mailparser';

/** The first recipient a delivery report says failed, as the report gives it. */
export interface Bounce {
	recipient: string;
	/** The enhanced status code (RFC 3463), e.g. `5.1.1`. */
	status: string;
	/** The remote server's answer, e.g. `550 5.1.1 The email account ... does not exist`. */
	diagnostic: string;
	/**
	 * A permanent failure (status 5.x.x, a "hard bounce": the address does not exist, the message
	 * is refused), as opposed to a transient one that the sending server gave up retrying (4.x.x,
	 * a "soft bounce": a full mailbox, a server that stayed unreachable).
	 */
	permanent: boolean;
}

export interface DeliveryStatus {
	/** Absent when the report only says delivery is delayed or was relayed. */
	failure?: Bounce;
	/**
	 * Every address the report says failed for good (`Action: failed` with a 5.x.x status), lower
	 * cased, as the sender gave it: the Original-Recipient when the report has one (the address
	 * mailed, before any forwarding or alias rewrote it), else the Final-Recipient. Absent when
	 * there is none.
	 */
	hardBounced?: string[];
}

/**
 * Reads the machine-readable part of a delivery status notification (RFC 3464): a group of
 * per-message fields, then one group per recipient, each written like a message header (so
 * mailparser reads each group, folded lines included).
 */
export async function readDeliveryStatus(content: Buffer): Promise<DeliveryStatus> {
	const groups = content
		.toString('utf8')
		.split(/\r?\n[ \t]*\r?\n/)
		.filter((group) => group.trim());
	const result: DeliveryStatus = {};
	const hardBounced = new Set<string>();
	for (const group of groups.slice(1)) {
		const { headers } = await simpleParser(`${group.trim()}\r\n\r\n`, {
			skipHtmlToText: true,
			skipTextToHtml: true,
		});
		const field = (name: string) => {
			const value = headers.get(name);
			return typeof value === 'string' ? value.trim() : '';
		};
		const action = field('action').toLowerCase();
		const status = field('status');
		if (action !== 'failed' && !status.startsWith('5.')) continue;
		const code = status.match(/^\d\.\d{1,3}\.\d{1,3}/)?.[0];
		const diagnostic = withoutType(field('diagnostic-code'));
		result.failure ??= {
			recipient: withoutType(field('final-recipient') || field('original-recipient')),
			status: code ?? status,
			diagnostic,
			// Without a valid status, the SMTP reply in the diagnostic tells (4xx / 5xx); a failure
			// that says neither is taken as final, which is what Action: failed means.
			permanent: code ? code.startsWith('5') : !/^4\d\d\b/.test(diagnostic),
		};
		// Only a report that says both (the recipient failed, and for good) names a dead address.
		if (action === 'failed' && code?.startsWith('5')) {
			const address =
				mailAddress(field('original-recipient')) ?? mailAddress(field('final-recipient'));
			if (address) hardBounced.add(address);
		}
	}
	if (hardBounced.size > 0) result.hardBounced = [...hardBounced];
	return result;
}

/**
 * The address of a recipient field (`rfc822; Ada@Example.org`) in lower case; undefined for an
 * address type other than an Internet address (`x400; …`), or anything that is not one address.
 */
function mailAddress(value: string): string | undefined {
	const type = value.match(/^([\w-]+)\s*;/)?.[1].toLowerCase();
	if (type !== undefined && type !== 'rfc822' && type !== 'utf-8') return undefined;
	const address = withoutType(value)
		.replace(/^<(.*)>$/, '$1')
		.trim()
		.toLowerCase();
	return PLAIN_ADDRESS.test(address) ? address : undefined;
}

// One mailbox, local part and domain, nothing around it (no name, comment or second address).
const PLAIN_ADDRESS = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

/** `rfc822; ada@example.com` → `ada@example.com`, `smtp; 550 ...` → `550 ...` (RFC 3464 2.3). */
function withoutType(value: string): string {
	return value.replace(/^[\w-]+\s*;\s*/, '').trim();
}
