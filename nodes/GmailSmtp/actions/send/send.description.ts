import type { INodeProperties } from 'n8n-workflow';

import {
	DEFAULT_CONNECT_TIMEOUT_SECONDS,
	DEFAULT_MAX_ATTEMPTS,
	DEFAULT_MAX_CONNECTIONS,
	DEFAULT_MAX_RETRY_WAIT_SECONDS,
	MAX_CONNECTIONS_CEILING,
} from '../../defaults';
import { responseOptions } from '../sendAndWait/sendAndWait.description';
import {
	sendModeProperty,
	sortedByDisplayName,
	templateFormatProperty,
	templateOptions,
} from './templating.description';
import { unsubscribeOptions } from './unsubscribe.description';

// Preview renders exactly what Send would send, and Send and Wait sends it with response controls,
// so all three show the same fields.
const showForSend = { show: { operation: ['send', 'preview', 'sendAndWait'] } };

// Template fields take Handlebars, not n8n expressions: `noDataExpression` keeps the editor from
// turning `{{firstName}}` into an n8n expression, and keeps item data from being compiled.
const templateHint =
	'Handlebars template rendered against each item: <code>{{firstName}}</code>, <code>{{order.total}}</code>, <code>{{#each lines}}…{{/each}}</code>';

export const sendProperties: INodeProperties[] = [
	sendModeProperty,
	{
		displayName: 'To',
		name: 'toEmail',
		type: 'string',
		default: '={{ $json.email }}',
		required: true,
		placeholder: 'jane@example.com, "Doe, John" <john@example.com>',
		description:
			'Recipients, comma-separated. The default takes the <code>email</code> field of each incoming item.',
		displayOptions: showForSend,
	},
	{
		displayName: 'Subject',
		name: 'subject',
		type: 'string',
		default: '',
		required: true,
		noDataExpression: true,
		placeholder: 'Your order {{orderId}} has shipped',
		description: `${templateHint}. Not HTML-escaped.`,
		displayOptions: showForSend,
	},
	templateFormatProperty,
	{
		displayName: 'HTML',
		name: 'html',
		type: 'string',
		typeOptions: { rows: 8 },
		default: '',
		noDataExpression: true,
		placeholder: '<p>Hi {{firstName}},</p><p>Thanks for your order.</p>',
		description: `${templateHint}. Values are HTML-escaped; use <code>{{{triple}}}</code> braces for trusted HTML.`,
		displayOptions: showForSend,
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 5 },
		default: '',
		noDataExpression: true,
		placeholder: 'Hi {{firstName}}, thanks for your order.',
		description: `${templateHint}. The plain-text part of the message; left empty, it is generated from the HTML.`,
		displayOptions: showForSend,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showForSend,
		options: sortedByDisplayName([
			{
				displayName: 'Attachments',
				name: 'attachments',
				type: 'string',
				default: '',
				placeholder: 'data, invoice',
				description:
					"Names of the item's binary properties to attach, comma-separated. Each is sent as a regular attachment with its file name and type.",
			},
			{
				displayName: 'BCC',
				name: 'bccEmail',
				type: 'string',
				default: '',
				placeholder: 'archive@example.com',
				description: 'Hidden recipients, comma-separated',
			},
			{
				displayName: 'CC',
				name: 'ccEmail',
				type: 'string',
				default: '',
				placeholder: 'team@example.com',
				description: 'Copy recipients, comma-separated',
			},
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
				displayName: 'From Email',
				name: 'fromEmail',
				type: 'string',
				default: '',
				placeholder: 'sales@example.com',
				description:
					'A "Send mail as" alias configured in Gmail settings. Gmail replaces any other address with the account address.',
			},
			{
				displayName: 'From Name',
				name: 'fromName',
				type: 'string',
				default: '',
				placeholder: 'Acme Shop',
				description: "Display name for this node's messages; overrides the credential's From Name",
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
				displayName: 'Inline Images',
				name: 'inlineImages',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add inline image',
				default: {},
				description:
					'Images embedded in the HTML: a binary property and the content ID the HTML refers to, as in <code>&lt;img src="cid:logo"&gt;</code>',
				options: [
					{
						displayName: 'Image',
						name: 'image',
						values: [
							{
								displayName: 'Binary Property',
								name: 'binaryPropertyName',
								type: 'string',
								default: '',
								placeholder: 'logo',
								description: 'Name of the binary property holding the image',
							},
							{
								displayName: 'Content ID',
								name: 'contentId',
								type: 'string',
								default: '',
								placeholder: 'logo',
								description: 'Referred to in the HTML as <code>cid:logo</code>',
							},
						],
					},
				],
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
			{
				displayName: 'Reply-To',
				name: 'replyTo',
				type: 'string',
				default: '',
				placeholder: 'support@example.com',
				description: 'Where replies go, comma-separated',
			},
			{
				displayName: 'Subject Text (Not a Template)',
				name: 'subjectText',
				type: 'string',
				default: '',
				placeholder: "{{ $fromAI('subject', 'The subject line') }}",
				description:
					"Replaces the Subject template with this text as written, for each item. An expression such as <code>{{ $fromAI('subject') }}</code> lets an AI Agent write the subject; the text is never compiled as a template.",
			},
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
			...templateOptions,
			...responseOptions,
			...unsubscribeOptions,
		]),
	},
];
