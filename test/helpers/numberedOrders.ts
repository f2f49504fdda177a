// For the tests about how messages go (the account's budget and limits, faults, retries) rather
// than what they say: numbered customers, each sent a one-line order.
import type { INodeExecutionData } from 'n8n-workflow';

import { jsonItems } from '../../testkit/fakeExecuteContext';

/** The send operation to each item's `email`, subject and text naming its order `n`. */
export const sendOrders = (options: Record<string, unknown> = {}) => ({
	operation: 'send',
	toEmail: (_index: number, item: INodeExecutionData) => item.json.email,
	subject: 'Order {{n}}',
	text: 'Order {{n}}',
	options,
});

/** `count` items, `<prefix><n>@example.com` with their order number `n` from 0. */
export const customers = (count: number, prefix = 'c') =>
	jsonItems(
		...Array.from({ length: count }, (_, n) => ({ email: `${prefix}${n}@example.com`, n })),
	);
