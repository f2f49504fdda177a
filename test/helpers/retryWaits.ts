import * as delivery from '../../nodes/GmailSmtp/delivery/deliverMessage';
import { PUSHBACK_POLICY } from '../../nodes/GmailSmtp/delivery/account/pushback';

/**
 * For the tests of a `describe`: every message the node sends backs off through deliverMessage's
 * `wait` seam, which records each delay and returns at once (as the deliverMessage unit tests
 * do), so that a test of what retries do never sits out the delays. Returns the delays asked for
 * in the running test, in order.
 */
export function recordRetryWaits(): number[] {
	const waits: number[] = [];
	const deliverMessage = delivery.deliverMessage;
	let spy: jest.SpyInstance | undefined;
	beforeEach(() => {
		waits.length = 0;
		spy = jest.spyOn(delivery, 'deliverMessage').mockImplementation(async (message, environment) =>
			deliverMessage(message, {
				...environment,
				wait: async (ms: number) => {
					waits.push(ms);
				},
			}),
		);
	});
	afterEach(() => spy?.mockRestore());
	return waits;
}

/**
 * For the tests of a `describe`: the account's first cool-down after Gmail's "try again later"
 * (5 s in the product) is `ms`, so a test still sees the account paused, for less time.
 */
export function shortenCoolDown(ms: number): void {
	let replaced: jest.ReplaceProperty<number> | undefined;
	beforeEach(() => {
		replaced = jest.replaceProperty(
			PUSHBACK_POLICY as { coolDownBaseMs: number },
			'coolDownBaseMs',
			ms,
		);
	});
	afterEach(() => replaced?.restore());
}
