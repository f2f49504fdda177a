import type { ReadMessage } from './readMessage';

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
): Map<string, string[]> {
	const found = new Map<string, Set<string>>(messageIds.map((id) => [id, new Set<string>()]));
	for (const message of messages) {
		const report = message.deliveryReport;
		if (!report?.fromMailSystem || !report.hardBounced) continue;
		for (const id of report.about) {
			const addresses = found.get(id);
			if (addresses) for (const address of report.hardBounced) addresses.add(address);
		}
	}
	return new Map([...found].map(([id, addresses]) => [id, [...addresses]]));
}
