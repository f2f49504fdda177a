import type { INodeProperties } from 'n8n-workflow';

/** Options that add header lines to the message (threading, priority, custom headers). */
export const headerOptions: INodeProperties[] = [
	{
		displayName: 'Custom Headers',
		name: 'customHeaders',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add header',
		default: {},
		description:
			'Extra header lines such as X-Campaign-ID. Headers the node sets itself (From, To, Subject, Message-ID, Content-*, ...) are refused; a header whose value is empty is left out.',
		options: [
			{
				displayName: 'Header',
				name: 'header',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'X-Campaign-ID',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
					},
				],
			},
		],
	},
	{
		displayName: 'In Reply To',
		name: 'inReplyTo',
		type: 'string',
		default: '',
		placeholder: '<abc-123@gmail.com>',
		description:
			'Message-ID of an earlier message (e.g. the Message ID output of an earlier send) that this one follows up: sets In-Reply-To and References so Gmail shows it in the same conversation',
	},
	{
		displayName: 'Prefix Subject With Re:',
		name: 'prefixSubjectWithRe',
		type: 'boolean',
		default: false,
		description:
			'Whether to put "Re: " before the subject of a threaded message (one with In Reply To or References), unless it already starts with Re:',
	},
	{
		displayName: 'Priority',
		name: 'priority',
		type: 'options',
		default: 'normal',
		options: [
			{ name: 'High', value: 'high' },
			{ name: 'Normal', value: 'normal' },
			{ name: 'Low', value: 'low' },
		],
		description:
			'Importance shown by mail programs (X-Priority, Importance headers); Gmail itself ignores it',
	},
	{
		displayName: 'References',
		name: 'references',
		type: 'string',
		default: '',
		placeholder: '<first@gmail.com> <second@gmail.com>',
		description:
			'Earlier Message-IDs of the conversation, oldest first, separated by spaces or commas. In Reply To is added at the end; without In Reply To, the last one is the message answered.',
	},
];
