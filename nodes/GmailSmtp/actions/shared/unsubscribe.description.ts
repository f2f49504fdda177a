import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_SUPPRESSION_LIST } from '../../defaults';

/**
 * The Suppression List field, on the nodes that send (an option) and on Add, Remove and Check (a
 * field of its own): the name of one of the account's lists.
 */
export function suppressionListProperty(description: string): INodeProperties {
	return {
		displayName: 'Suppression List',
		name: 'suppressionList',
		type: 'string',
		default: DEFAULT_SUPPRESSION_LIST,
		placeholder: 'newsletter',
		description,
	};
}

/**
 * Send, Preview and Send and Wait options for unsubscribe links (one-click, RFC 8058) and the
 * suppression list.
 */
export const unsubscribeOptions: INodeProperties[] = [
	{
		displayName: 'Manage Unsubscribes',
		name: 'manageUnsubscribes',
		type: 'boolean',
		default: false,
		description:
			"Whether to give each message its recipient's own signed one-click unsubscribe link (the List-Unsubscribe header, and <code>{{@unsubscribeUrl}}</code> in the templates), answered by a Gmail SMTP Trigger, and to leave out every address on the Suppression List. Needs the credential's Unsubscribe Endpoint and Link Secret, and one To address per message.",
	},
	suppressionListProperty(
		'The account\'s list whose addresses are left out of To, CC and BCC (a message with no To address left is not sent, and comes out with status "suppressed"), and that the unsubscribe links add to. Set without Manage Unsubscribes, the list is still honoured.',
	),
	{
		displayName: 'Unsubscribe Email',
		name: 'unsubscribeEmail',
		type: 'string',
		default: '',
		placeholder: 'unsubscribe@example.com',
		description:
			'Address (or mailto: URL) that unsubscribes the recipient when mailed; added to List-Unsubscribe next to the Unsubscribe URL',
	},
	{
		displayName: 'Unsubscribe URL',
		name: 'unsubscribeUrl',
		type: 'string',
		default: '',
		placeholder: 'https://example.com/unsubscribe?token={{ $json.token }}',
		description:
			'HTTPS URL that unsubscribes this recipient when it receives a POST. Adds List-Unsubscribe and List-Unsubscribe-Post: List-Unsubscribe=One-Click (RFC 8058), which Gmail requires from bulk senders.',
	},
];
