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
		return {
			failure: {
				recipient: withoutType(field('final-recipient') || field('original-recipient')),
				status: code ?? status,
				diagnostic,
				// Without a valid status, the SMTP reply in the diagnostic tells (4xx / 5xx); a failure
				// that says neither is taken as final, which is what Action: failed means.
				permanent: code ? code.startsWith('5') : !/^4\d\d\b/.test(diagnostic),
			},
		};
	}
	return {};
}

/** `rfc822; ada@example.com` → `ada@example.com`, `smtp; 550 ...` → `550 ...` (RFC 3464 2.3). */
function withoutType(value: string): string {
	return value.replace(/^[\w-]+\s*;\s*/, '').trim();
}
