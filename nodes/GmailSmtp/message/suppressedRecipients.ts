import type { MailAddress } from './addresses';

export interface Recipients {
	to: MailAddress[];
	cc: MailAddress[];
	bcc: MailAddress[];
}

/**
 * The recipients without the suppressed addresses (compared case-insensitively), and those taken
 * out, lower-cased, each once, in To, Cc, Bcc order.
 */
export function withoutSuppressed(
	recipients: Recipients,
	isSuppressed: (email: string) => boolean,
): Recipients & { suppressed: string[] } {
	const suppressed = new Set<string>();
	const keep = (list: MailAddress[]) =>
		list.filter(({ address }) => {
			if (!isSuppressed(address.toLowerCase())) return true;
			suppressed.add(address.toLowerCase());
			return false;
		});
	return {
		to: keep(recipients.to),
		cc: keep(recipients.cc),
		bcc: keep(recipients.bcc),
		suppressed: [...suppressed],
	};
}

/** Every address of the message, lower-cased, each once: what to look up on the list. */
export function recipientAddresses(recipients: Recipients): string[] {
	return [
		...new Set(
			[...recipients.to, ...recipients.cc, ...recipients.bcc].map(({ address }) =>
				address.toLowerCase(),
			),
		),
	];
}
