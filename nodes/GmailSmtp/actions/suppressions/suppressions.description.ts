import type { INodeProperties } from 'n8n-workflow';

import { suppressionListProperty } from '../shared/unsubscribe.description';

export const SUPPRESSION_OPERATIONS = ['addSuppression', 'removeSuppression', 'checkSuppression'];

const showForSuppressions = { show: { operation: SUPPRESSION_OPERATIONS } };

export const suppressionProperties: INodeProperties[] = [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		default: '={{ $json.email }}',
		required: true,
		placeholder: 'jane@example.com',
		description:
			'The address, one per item. The default takes the <code>email</code> field of each incoming item (e.g. a row of a CRM export or a sheet). Compared case-insensitively.',
		displayOptions: showForSuppressions,
	},
	{
		...suppressionListProperty(
			"The account's list, as named in the Suppression List option of the nodes that send (kept with the account's limits: in n8n's user folder, or in Redis in queue mode)",
		),
		displayOptions: showForSuppressions,
	},
	{
		displayName: 'Reason',
		name: 'suppressionReason',
		type: 'options',
		default: 'manual',
		description: 'Why the address is on the list, kept with it and shown by Check',
		options: [
			{
				name: 'Added by Hand',
				value: 'manual',
				description: 'An import, or a request by email or phone',
			},
			{
				name: 'Bounced',
				value: 'bounce',
				description: 'The address does not exist (a permanent bounce)',
			},
			{ name: 'Complained', value: 'complaint', description: 'The person marked the mail as spam' },
			{
				name: 'Unsubscribed',
				value: 'unsubscribe',
				description: 'The person asked to get no more mail',
			},
		],
		displayOptions: { show: { operation: ['addSuppression'] } },
	},
];
