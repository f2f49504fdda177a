import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_SUPPRESSION_LIST } from '../../message/managedUnsubscribe';

/** Send, Preview and Send and Wait options for one-click unsubscribes and the suppression list. */
export const unsubscribeOptions: INodeProperties[] = [
	{
		displayName: 'Manage Unsubscribes',
		name: 'manageUnsubscribes',
		type: 'boolean',
		default: false,
		description:
			"Whether to give each message its recipient's own signed one-click unsubscribe link (the List-Unsubscribe header, and <code>{{@unsubscribeUrl}}</code> in the templates), answered by a Gmail SMTP Trigger, and to leave out every address on the Suppression List. Needs the credential's Unsubscribe Endpoint and Link Secret, and one To address per message.",
	},
	{
		displayName: 'Suppression List',
		name: 'suppressionList',
		type: 'string',
		default: DEFAULT_SUPPRESSION_LIST,
		placeholder: 'newsletter',
		description:
			'The account\'s list whose addresses are left out of To, CC and BCC (a message with no To address left is not sent, and comes out with status "suppressed"), and that the unsubscribe links add to. Set without Manage Unsubscribes, the list is still honoured.',
	},
];
