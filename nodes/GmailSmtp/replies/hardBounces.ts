import type { ReadMessage } from './readMessage';

/** An address a mail system's report says failed for good. */
export interface HardBounce {
	address: string;
	/** The Date of the newest report naming it (ISO 8601), when a report has a valid one. */
	reportedAt?: string;
}

/**
 * For each Message-ID, the addresses that delivery reports about it say failed for good
 * (`Action: failed`, status 5.x.x; see {@link DeliveryStatus.hardBounced}), in the order found.
 * Only reports sent by a mail system count, as for `bounced`: a report from anyone else (a
 * suspected bounce) never puts an address on a suppression list. Out-of-office answers, delay
 * warnings and soft bounces (4.x.x) name no address here.
 */
export function hardBouncedRecipients(
	messageIds: readonly string[],
	messages: readonly ReadMessage[],
): Map<string, HardBounce[]> {
	const found = new Map<string, Map<string, HardBounce>>(messageIds.map((id) => [id, new Map()]));
	for (const message of messages) {
		const report = message.deliveryReport;
		if (!report?.fromMailSystem || !report.hardBounced) continue;
		for (const id of report.about) {
			const bounces = found.get(id);
			if (!bounces) continue;
			for (const address of report.hardBounced) {
				const known = bounces.get(address) ?? { address };
				if (message.date && !(known.reportedAt && known.reportedAt >= message.date)) {
					known.reportedAt = message.date;
				}
				bounces.set(address, known);
			}
		}
	}
	return new Map([...found].map(([id, bounces]) => [id, [...bounces.values()]]));
}
