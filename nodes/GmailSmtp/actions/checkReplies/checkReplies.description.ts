import type { INodeProperties } from 'n8n-workflow';

import {
	DEFAULT_CONNECT_TIMEOUT_SECONDS,
	DEFAULT_REPLY_TEXT_LINES,
	DEFAULT_SEARCH_DAYS,
} from '../../defaults';
import { DEFAULT_SUPPRESSION_LIST } from '../../defaults';

const showForCheckReplies = { show: { operation: ['checkReplies'] } };

/** Check Replies and Bounces: which earlier messages were answered or bounced, over IMAP. */
export const checkRepliesProperties: INodeProperties[] = [
	{
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		default: '={{ $json.messageId }}',
		required: true,
		placeholder: '<0b5c2e9a-1d2f-4c47-9a39-5f4c0e1b7d21@example.com>',
		description:
			'The Message-ID of an earlier email sent from this account, e.g. the <code>messageId</code> output of Send (stored in a CRM or passed on by a Wait node)',
		displayOptions: showForCheckReplies,
	},
	{
		displayName: 'Options',
		name: 'checkOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showForCheckReplies,
		options: [
			{
				displayName: 'Connect Timeout (Seconds)',
				name: 'connectTimeoutSeconds',
				type: 'number',
				default: DEFAULT_CONNECT_TIMEOUT_SECONDS,
				typeOptions: { minValue: 1 },
				description: 'How long to wait for the IMAP connection, TLS and greeting before giving up',
			},
			{
				displayName: 'Count Auto-Replies as Replies',
				name: 'countAutoReplies',
				type: 'boolean',
				default: false,
				description:
					'Whether out-of-office and other automatic answers (Auto-Submitted, X-Autoreply, Precedence: auto_reply) also set <code>replied</code>. They are always listed in <code>autoReplies</code>.',
			},
			{
				displayName: 'Mailbox',
				name: 'mailbox',
				type: 'string',
				default: '',
				placeholder: 'INBOX',
				description:
					"Leave empty for Gmail's All Mail (found by its \\All flag, whatever its name in the account's language, so archived replies count too). On other servers: their \\All mailbox if they have one, otherwise INBOX; or give the mailbox to search.",
			},
			{
				displayName: 'Own Addresses',
				name: 'ownAddresses',
				type: 'string',
				default: '',
				placeholder: 'sales@example.com, ada@example.com',
				description:
					'Send-as aliases of this account, comma-separated. Messages from them (and from the account itself) are never counted as replies.',
			},
			{
				displayName: 'Reply Text Lines',
				name: 'textLines',
				type: 'number',
				default: DEFAULT_REPLY_TEXT_LINES,
				typeOptions: { minValue: 1 },
				description:
					'How many lines of each reply to return in <code>text</code>, stopping where the quoted earlier message begins',
			},
			{
				displayName: 'Search Last Days',
				name: 'searchDays',
				type: 'number',
				default: DEFAULT_SEARCH_DAYS,
				typeOptions: { minValue: 0 },
				description:
					'Only messages that arrived in this many days (up to today) are searched, so a large mailbox stays fast. 0 searches the whole mailbox.',
			},
			{
				displayName: 'Suppress Hard Bounces',
				name: 'suppressHardBounces',
				type: 'boolean',
				default: false,
				description:
					"Whether to put the addresses of permanent bounces (a mail system's delivery report with Action failed and status 5.x.x) on the account's Suppression List, so that Send leaves them out from now on. Soft bounces (4.x.x), out-of-office answers and reports from anyone but a mail system never are. The addresses are listed in <code>suppressed</code>.",
			},
			{
				displayName: 'Suppression List',
				name: 'suppressionList',
				type: 'string',
				default: DEFAULT_SUPPRESSION_LIST,
				placeholder: 'newsletter',
				description:
					'The account\'s list that Suppress Hard Bounces adds to (the one your Send nodes name; default "default")',
			},
		],
	},
];
