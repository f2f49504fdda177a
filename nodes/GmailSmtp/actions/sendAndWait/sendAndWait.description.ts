import type { INodeProperties } from 'n8n-workflow';

const showForSendAndWait = { show: { operation: ['sendAndWait'] } };
const buttonStyles = [
	{ name: 'Primary', value: 'primary' },
	{ name: 'Secondary', value: 'secondary' },
];

/**
 * Send and Wait's own fields, with the names of n8n's built-in Send Email node, so a workflow can
 * swap one node for the other. The message itself uses the Send fields (templates, options).
 */
export const sendAndWaitProperties: INodeProperties[] = [
	{
		displayName: 'Response Type',
		name: 'responseType',
		type: 'options',
		default: 'approval',
		noDataExpression: true,
		displayOptions: showForSendAndWait,
		options: [
			{
				name: 'Approval',
				value: 'approval',
				description: 'The person approves (or declines) with a button in the email',
			},
			{
				name: 'Free Text',
				value: 'freeText',
				description: 'The person writes an answer on a form page',
			},
			{
				name: 'Custom Form',
				value: 'customForm',
				description: 'The person fills in the fields you define on a form page',
			},
		],
	},
	{
		displayName: 'Approval Options',
		name: 'approvalOptions',
		type: 'fixedCollection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { operation: ['sendAndWait'], responseType: ['approval'] } },
		options: [
			{
				displayName: 'Values',
				name: 'values',
				values: [
					{
						displayName: 'Approve Button Label',
						name: 'approveLabel',
						type: 'string',
						default: 'Approve',
					},
					{
						displayName: 'Approve Button Style',
						name: 'buttonApprovalStyle',
						type: 'options',
						default: 'primary',
						options: buttonStyles,
					},
					{
						displayName: 'Disapprove Button Label',
						name: 'disapproveLabel',
						type: 'string',
						default: 'Decline',
						displayOptions: { show: { approvalType: ['double'] } },
					},
					{
						displayName: 'Disapprove Button Style',
						name: 'buttonDisapprovalStyle',
						type: 'options',
						default: 'secondary',
						options: buttonStyles,
						displayOptions: { show: { approvalType: ['double'] } },
					},
					{
						displayName: 'Type of Approval',
						name: 'approvalType',
						type: 'options',
						default: 'single',
						options: [
							{ name: 'Approve Only', value: 'single' },
							{ name: 'Approve and Disapprove', value: 'double' },
						],
					},
				],
			},
		],
	},
	{
		displayName: 'Form Fields',
		name: 'formFields',
		type: 'fixedCollection',
		placeholder: 'Add form field',
		default: {},
		typeOptions: { multipleValues: true },
		displayOptions: { show: { operation: ['sendAndWait'], responseType: ['customForm'] } },
		options: [
			{
				displayName: 'Values',
				name: 'values',
				values: [
					{
						displayName: 'Field Label',
						name: 'fieldLabel',
						type: 'string',
						default: '',
						placeholder: 'Delivery slot',
						description: 'Shown above the field, and the name of the answer in the output',
						required: true,
					},
					{
						displayName: 'Field Options',
						name: 'fieldOptions',
						type: 'fixedCollection',
						placeholder: 'Add field option',
						default: { values: [{ option: '' }] },
						typeOptions: { multipleValues: true, sortable: true },
						displayOptions: { show: { fieldType: ['dropdown'] } },
						options: [
							{
								displayName: 'Values',
								name: 'values',
								values: [{ displayName: 'Option', name: 'option', type: 'string', default: '' }],
							},
						],
					},
					{
						displayName: 'Field Type',
						name: 'fieldType',
						type: 'options',
						default: 'text',
						options: [
							{ name: 'Date', value: 'date' },
							{ name: 'Dropdown List', value: 'dropdown' },
							{ name: 'Email', value: 'email' },
							{ name: 'Number', value: 'number' },
							{ name: 'Text', value: 'text' },
							{ name: 'Textarea', value: 'textarea' },
						],
					},
					{
						displayName: 'Placeholder',
						name: 'placeholder',
						type: 'string',
						default: '',
						displayOptions: { hide: { fieldType: ['dropdown', 'date'] } },
					},
					{
						displayName: 'Required Field',
						name: 'requiredField',
						type: 'boolean',
						default: false,
						description: 'Whether the form can only be sent with this field filled in',
					},
				],
			},
		],
	},
];

const forSendAndWait = { show: { '/operation': ['sendAndWait'] } };
const forApproval = { show: { '/operation': ['sendAndWait'], '/responseType': ['approval'] } };
const forForms = {
	show: { '/operation': ['sendAndWait'], '/responseType': ['freeText', 'customForm'] },
};

/** Send and Wait's entries of the Options collection (names as n8n's built-in node). */
export const responseOptions: INodeProperties[] = [
	{
		displayName: 'Confirm on Page',
		name: 'confirmOnPage',
		type: 'boolean',
		default: false,
		description:
			'Whether a button in the email only opens a page, where the person presses the button again to answer. Then no program that opens the links of a message (a mail scanner, a link preview) can answer for the person. Form pages always work this way.',
		displayOptions: forApproval,
	},
	{
		displayName: 'Limit Wait Time',
		name: 'limitWaitTime',
		type: 'fixedCollection',
		default: {
			values: { limitType: 'afterTimeInterval', resumeAmount: 45, resumeUnit: 'minutes' },
		},
		description:
			'Whether the workflow goes on by itself if nobody answers in time; the output then has no data',
		displayOptions: forSendAndWait,
		options: [
			{
				displayName: 'Values',
				name: 'values',
				values: [
					{
						displayName: 'Limit Type',
						name: 'limitType',
						type: 'options',
						default: 'afterTimeInterval',
						options: [
							{ name: 'After Time Interval', value: 'afterTimeInterval' },
							{ name: 'At Specified Time', value: 'atSpecifiedTime' },
						],
					},
					{
						displayName: 'Amount',
						name: 'resumeAmount',
						type: 'number',
						default: 1,
						typeOptions: { minValue: 0, numberPrecision: 2 },
						displayOptions: { show: { limitType: ['afterTimeInterval'] } },
					},
					{
						displayName: 'Unit',
						name: 'resumeUnit',
						type: 'options',
						default: 'hours',
						options: [
							{ name: 'Minutes', value: 'minutes' },
							{ name: 'Hours', value: 'hours' },
							{ name: 'Days', value: 'days' },
						],
						displayOptions: { show: { limitType: ['afterTimeInterval'] } },
					},
					{
						displayName: 'Max Date and Time',
						name: 'maxDateAndTime',
						type: 'dateTime',
						default: '',
						displayOptions: { show: { limitType: ['atSpecifiedTime'] } },
					},
				],
			},
		],
	},
	{
		displayName: 'Message Button Label',
		name: 'messageButtonLabel',
		type: 'string',
		default: 'Respond',
		description: 'The button in the email that opens the form page',
		displayOptions: forForms,
	},
	{
		displayName: 'Response Form Button Label',
		name: 'responseFormButtonLabel',
		type: 'string',
		default: 'Submit',
		displayOptions: forForms,
	},
	{
		displayName: 'Response Form Description',
		name: 'responseFormDescription',
		type: 'string',
		default: '',
		description: 'Shown under the title of the form page',
		displayOptions: forForms,
	},
	{
		displayName: 'Response Form Title',
		name: 'responseFormTitle',
		type: 'string',
		default: '',
		displayOptions: forForms,
	},
];
