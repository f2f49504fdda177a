import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_LOCALE } from '../../defaults';

export const sendModeProperty: INodeProperties = {
	displayName: 'Send Mode',
	name: 'sendMode',
	type: 'options',
	noDataExpression: true,
	default: 'perItem',
	options: [
		{
			name: 'One Message per Item',
			value: 'perItem',
			description: 'Each input item gets its own message, rendered with its own data',
		},
		{
			name: 'One Message for All Items',
			value: 'allItems',
			description:
				'A digest or order summary: one message whose templates loop over <code>{{#each items}}</code>. To and the options are read from the first item.',
		},
	],
};

/** Placed just before the HTML template, which it describes. */
export const templateFormatProperty: INodeProperties = {
	displayName: 'Template Format',
	name: 'templateFormat',
	type: 'options',
	noDataExpression: true,
	default: 'html',
	options: [
		{
			name: 'HTML',
			value: 'html',
			description: 'The HTML template is HTML with Handlebars in it',
		},
		{
			name: 'MJML',
			value: 'mjml',
			description:
				'The HTML template is MJML (responsive email markup) with Handlebars in it, compiled to HTML once per execution. Put Handlebars blocks that wrap components in &lt;mj-raw&gt;.',
		},
	],
};

/** Template settings inside the Options collection. */
export const templateOptions: INodeProperties[] = [
	{
		displayName: 'Inline CSS',
		name: 'inlineCss',
		type: 'boolean',
		default: true,
		description:
			"Whether to copy the rules of the HTML's &lt;style&gt; blocks into each element's style attribute, for mail programs that ignore &lt;style&gt;. The blocks stay, so media queries and fonts still work; stylesheets are never downloaded.",
	},
	{
		displayName: 'Preheader',
		name: 'preheader',
		type: 'string',
		default: '',
		noDataExpression: true,
		placeholder:
			'Your order {{orderId}} is confirmed: arriving {{formatDate deliveryDate "d MMM"}}',
		description:
			'Handlebars template for the line inbox lists show next to the subject. Placed hidden at the start of the HTML body.',
	},
	{
		displayName: 'When Gmail Would Clip',
		name: 'whenGmailWouldClip',
		type: 'options',
		default: 'send',
		description:
			'Gmail hides everything after about 102 KB of HTML behind "[Message clipped]", the unsubscribe link too. Preview reports the size of each message.',
		options: [
			{
				name: 'Send Anyway',
				value: 'send',
				description: 'Send the message; Gmail clips it',
			},
			{
				name: 'Fail the Item',
				value: 'fail',
				description: 'Do not send it: the item fails with its size and the limit',
			},
		],
	},
	{
		displayName: 'Locale',
		name: 'locale',
		type: 'string',
		default: DEFAULT_LOCALE,
		placeholder: 'de-DE',
		description:
			'Language and region for the formatDate, formatNumber, formatCurrency, upper/lower and pluralize helpers',
	},
	{
		displayName: 'Missing Variables',
		name: 'missingVariable',
		type: 'options',
		default: 'error',
		description:
			'What happens when a template prints a value that is absent, null or blank for an item',
		options: [
			{
				name: 'Fail the Item',
				value: 'error',
				description: 'Nobody receives "Dear ,": the item fails with the name of the missing value',
			},
			{
				name: 'Leave Empty',
				value: 'leaveEmpty',
				description: 'Print nothing in its place',
			},
		],
	},
	{
		displayName: 'Partials',
		name: 'partials',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add partial',
		description:
			'Reusable template pieces: use <code>{{> footer}}</code> in Subject, HTML or Text; a layout wraps the body with <code>{{#> layout}}…{{/layout}}</code> and places it with <code>{{> @partial-block}}</code>',
		options: [
			{
				displayName: 'Partial',
				name: 'partial',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'footer',
						noDataExpression: true,
					},
					{
						displayName: 'Template',
						name: 'template',
						type: 'string',
						typeOptions: { rows: 4 },
						default: '',
						placeholder: '<p>Kind regards,<br>{{shopName}}</p>',
						noDataExpression: true,
					},
				],
			},
		],
	},
	{
		displayName: 'Template Data',
		name: 'templateData',
		type: 'json',
		default: '',
		placeholder: '={{ { customer: $json, owner: $("CRM").item.json } }}',
		description:
			"The object the templates are rendered against, instead of the item's JSON. Usually an n8n expression over earlier nodes; its values are only data, never compiled as templates.",
	},
];
