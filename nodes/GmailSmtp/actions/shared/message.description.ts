import type { INodeProperties } from 'n8n-workflow';

import { deliveryOptions } from './delivery.description';
import { headerOptions } from './headers.description';
import {
	sendModeProperty,
	templateFormatProperty,
	templateOptions,
} from './templating.description';
import { unsubscribeOptions } from './unsubscribe.description';

/**
 * The operations that compose a message from the same fields: Preview renders exactly what Send
 * would send, and Send and Wait sends it with response controls.
 */
export const MESSAGE_OPERATIONS = ['send', 'preview', 'sendAndWait'];

// Template fields take Handlebars, not n8n expressions: `noDataExpression` keeps the editor from
// turning `{{firstName}}` into an n8n expression, and keeps item data from being compiled.
const templateHint =
	'Handlebars template rendered against each item: <code>{{firstName}}</code>, <code>{{order.total}}</code>, <code>{{#each lines}}…{{/each}}</code>';

/** Who the message is from and to, and what it carries besides its templates. */
const addressingOptions: INodeProperties[] = [
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
];

/**
 * The fields of the message operations, shown for each of them. `operationOptions` are entries
 * an operation adds to the Options collection (with display options of their own).
 */
export function messageProperties(operationOptions: INodeProperties[]): INodeProperties[] {
	const fields: INodeProperties[] = [
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
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add option',
			default: {},
			options: sortedByDisplayName([
				...addressingOptions,
				...headerOptions,
				...deliveryOptions,
				...templateOptions,
				...unsubscribeOptions,
				...operationOptions,
			]),
		},
	];
	const showForMessages = { show: { operation: MESSAGE_OPERATIONS } };
	return fields.map((field) => ({ ...field, displayOptions: showForMessages }));
}

/** n8n lists a collection's options in the order given; they come from several files. */
function sortedByDisplayName(options: INodeProperties[]): INodeProperties[] {
	return [...options].sort((a, b) => a.displayName.localeCompare(b.displayName));
}
