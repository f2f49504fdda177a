import type { INodeProperties } from 'n8n-workflow';

import {
	DEFAULT_CONNECT_TIMEOUT_SECONDS,
	DEFAULT_MAX_ATTEMPTS,
	DEFAULT_MAX_CONNECTIONS,
	DEFAULT_MAX_RETRY_WAIT_SECONDS,
	MAX_CONNECTIONS_CEILING,
} from '../../defaults';

/**
 * Options that shape how the messages travel (connections, rate, retries), inside the Options
 * collection. A node may only lower the account's limits for its own messages.
 */
export const deliveryOptions: INodeProperties[] = [
	{
		displayName: 'Connect Timeout (Seconds)',
		name: 'connectTimeoutSeconds',
		type: 'number',
		default: DEFAULT_CONNECT_TIMEOUT_SECONDS,
		typeOptions: { minValue: 1 },
		description:
			'How long to wait for the connection, TLS and the server greeting before giving up',
	},
	{
		displayName: 'Max Attempts',
		name: 'maxAttempts',
		type: 'number',
		default: DEFAULT_MAX_ATTEMPTS,
		typeOptions: { minValue: 1, maxValue: 10 },
		description:
			'Tries per message when Gmail answers "try again later" (421, 450, 451, 452, 454) or the connection fails before the message was started. A message that may already have been accepted is never sent twice.',
	},
	{
		displayName: 'Max Connections',
		name: 'maxConnections',
		type: 'number',
		default: DEFAULT_MAX_CONNECTIONS,
		typeOptions: { minValue: 1, maxValue: MAX_CONNECTIONS_CEILING },
		description:
			"Lowers the account's Max Connections (set on the credential) for this node's messages; it cannot raise it",
	},
	{
		displayName: 'Max Messages per Second',
		name: 'maxPerSecond',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0, numberPrecision: 2 },
		description:
			"Lowers the account's Max Messages per Second (set on the credential) for this node's messages (0.5 = one every two seconds); it cannot raise it. 0 = the account's cap only.",
	},
	{
		displayName: 'Max Retry Wait (Seconds)',
		name: 'maxRetryWaitSeconds',
		type: 'number',
		default: DEFAULT_MAX_RETRY_WAIT_SECONDS,
		typeOptions: { minValue: 0 },
		description:
			'Longest total time spent waiting between attempts of one message (exponential backoff with jitter)',
	},
];
