import {
	suppressionsFor,
	type AccountSuppressions,
} from '../../delivery/suppression/suppressionRegistry';
import type { NewSuppression } from '../../delivery/suppression/suppressionStore';
import { failureOf, unexpectedFailure, type Failure } from '../../errors/GmailSmtpError';
import { normalizeListName } from '../../message/managedUnsubscribe';
import type { HardBounce } from '../../replies/hardBounces';
import type { GmailSmtpCredentials } from '../../transport/gmailSmtpCredentials';

/** Where Suppress Hard Bounces puts the addresses. */
export interface BounceSuppression {
	list: string;
	suppressions: AccountSuppressions;
}

/** What was put on the list: per Message-ID, its hard-bounced addresses, or why they were not. */
export type SuppressedBounces =
	| { ok: true; list: string; addresses: Map<string, string[]> }
	| { ok: false; list: string; addresses: Map<string, string[]>; failure: Failure };

/**
 * Read before connecting: an invalid list name, or a store that cannot be configured, stops the
 * run before any IMAP login.
 */
export function readBounceSuppression(
	credentials: GmailSmtpCredentials,
	options: { suppressHardBounces?: boolean; suppressionList?: string },
): BounceSuppression | undefined {
	if (options.suppressHardBounces !== true) return undefined;
	return {
		list: normalizeListName(options.suppressionList),
		suppressions: suppressionsFor(credentials),
	};
}

/**
 * Puts every hard-bounced address of the Message-IDs on the list, in one write, each with the
 * Message-ID that bounced. An address already on the list keeps its first record (an earlier run
 * on the same message changes nothing), and an address removed from the list (re-subscribed) after
 * the newest report naming it stays off: only a newer report puts it back. What is reported as
 * suppressed is what is on the list afterwards. If the list cannot be written, nothing is reported
 * as suppressed: the Message-IDs with addresses to suppress get the failure.
 */
export async function suppressHardBounces(
	suppression: BounceSuppression,
	bounced: Map<string, HardBounce[]>,
	at = new Date(),
): Promise<SuppressedBounces> {
	const entries = new Map<string, NewSuppression>();
	for (const [messageId, bounces] of bounced) {
		for (const { address, reportedAt } of bounces) {
			const entry = entries.get(address);
			if (!entry) {
				entries.set(address, {
					email: address,
					reason: 'bounce',
					at: at.toISOString(),
					messageId,
					...(reportedAt && { seenAt: reportedAt }),
				});
			} else if (reportedAt && entry.seenAt && reportedAt > entry.seenAt) {
				entry.seenAt = reportedAt;
			}
		}
	}
	const { list } = suppression;
	const addressesOf = (keep: (address: string) => boolean) =>
		new Map(
			[...bounced].map(([messageId, bounces]) => [
				messageId,
				bounces.map(({ address }) => address).filter(keep),
			]),
		);
	if (entries.size === 0) return { ok: true, list, addresses: addressesOf(() => true) };
	try {
		await suppression.suppressions.add(list, [...entries.values()]);
		const onList = await suppression.suppressions.find(list, [...entries.keys()]);
		return { ok: true, list, addresses: addressesOf((address) => onList.has(address)) };
	} catch (error) {
		const failure = failureOf(error, unexpectedFailure);
		return {
			ok: false,
			list,
			addresses: addressesOf(() => true),
			failure: {
				...failure,
				description: `${failure.description} Check Replies found hard bounces to put on the suppression list "${list}" and could not record them; the items whose message bounced are not answered. Run again once the list can be written.`,
			},
		};
	}
}
