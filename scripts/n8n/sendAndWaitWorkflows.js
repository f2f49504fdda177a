'use strict';
// The workflows the Send and Wait checks answer (sendAndWaitChecks.js): each starts with a Webhook
// node whose call's body becomes the item, so a check can start as many executions as it needs in
// one `n8n start`.
const fs = require('node:fs');
const path = require('node:path');

const { ROOT } = require('./n8nRuntime');
const { GMAIL_SMTP_TYPE, check, chain } = require('./testKit');

const APPROVAL = {
	workflowId: 'e2eSendAndWait',
	webhookPath: 'gmail-smtp-send-and-wait',
	webhookId: '0c6f1d52-7a4e-4b1f-9d3a-5e2c8b7f1a90',
};
const APPROVE_ONLY = {
	workflowId: 'e2eSendAndWaitOne',
	webhookPath: 'gmail-smtp-send-and-wait-one',
	webhookId: 'e2e0fbdc-aff3-472d-9998-094b03b3c0cb',
};
const CONFIRM_ON_PAGE = {
	workflowId: 'e2eSendAndWaitConfirm',
	webhookPath: 'gmail-smtp-send-and-wait-confirm',
	webhookId: 'da72b9c2-0bc4-4a23-9e22-6c32ae8822f7',
};
const FREE_TEXT = {
	workflowId: 'e2eSendAndWaitText',
	webhookPath: 'gmail-smtp-send-and-wait-text',
	webhookId: '6b2e9f14-3c8d-4a57-b0e1-9f4d2c7a8e31',
};
const CUSTOM_FORM = {
	workflowId: 'e2eSendAndWaitForm',
	webhookPath: 'gmail-smtp-send-and-wait-form',
	webhookId: 'e2d7bb21-497f-4a59-aa80-90413c95426d',
};
const LOOP = {
	workflowId: 'e2eSendAndWaitLoop',
	webhookPath: 'gmail-smtp-send-and-wait-loop',
	webhookId: 'b90bf5f5-685e-4d2c-b885-f870bfafb682',
};
const EXAMPLE = {
	workflowId: 'gmailSmtpDiscount',
	webhookPath: 'gmail-smtp-discount-approval',
	webhookId: 'c3a81e07-5d2f-4e96-8b14-7f0a6d9e2b58',
};

/** Examples that wait for an answer: run here, not with `n8n execute`. */
const SEND_AND_WAIT_EXAMPLES = ['crm-discount-approval.workflow.json'];

/** Every field type of a Custom Form, required and optional (names as in n8n's node). */
const FORM_FIELDS = [
	{ fieldLabel: 'Full name', fieldType: 'text', requiredField: true, placeholder: 'Ada Lovelace' },
	{ fieldLabel: 'Delivery notes', fieldType: 'textarea' },
	{ fieldLabel: 'Contact email', fieldType: 'email', requiredField: true },
	{ fieldLabel: 'Boxes', fieldType: 'number', requiredField: true },
	{ fieldLabel: 'Weight (kg)', fieldType: 'number' },
	{ fieldLabel: 'Delivery day', fieldType: 'date', requiredField: true },
	{
		fieldLabel: 'Slot',
		fieldType: 'dropdown',
		requiredField: true,
		fieldOptions: { values: [{ option: 'Morning' }, { option: 'Afternoon' }] },
	},
	{ fieldLabel: 'Reference', fieldType: 'text' },
];

const DOUBLE_APPROVAL = {
	responseType: 'approval',
	approvalOptions: {
		values: { approvalType: 'double', approveLabel: 'Approve', disapproveLabel: 'Decline' },
	},
};

function webhookNode(id, name, { webhookPath, webhookId }) {
	return {
		id,
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId,
		// Answers the call at once: the execution then waits for the person, not the caller.
		parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {} },
	};
}

function askNode(id, credentialId, parameters) {
	return {
		id,
		name: 'Ask',
		type: GMAIL_SMTP_TYPE,
		typeVersion: 1,
		position: [400, 0],
		parameters: { operation: 'sendAndWait', ...parameters },
		credentials: { gmailSmtpApi: { id: credentialId, name: credentialId } },
	};
}

function noOp(id, name, position) {
	return { id, name, type: 'n8n-nodes-base.noOp', typeVersion: 1, position, parameters: {} };
}

/** Webhook (the call's body is the item) → Gmail SMTP Send and Wait → No Op, to see the answer. */
function askWorkflow(config, credentialId, parameters) {
	const id = config.workflowId;
	return {
		id,
		name: `test:n8n ${id}`,
		active: false,
		settings: { executionOrder: 'v1' },
		connections: chain('Request', 'Ask', 'Answer'),
		nodes: [
			webhookNode(`${id}-1`, 'Request', config),
			askNode(`${id}-2`, credentialId, { toEmail: '={{ $json.body.email }}', ...parameters }),
			noOp(`${id}-3`, 'Answer', [600, 0]),
		],
	};
}

/**
 * The pattern the README recommends for a list: Webhook → Split Out (`body.items`) → Loop Over
 * Items (batch size 1) → Send and Wait → back to the loop; when every item was answered, Done gets
 * the answers.
 */
function loopWorkflow(credentialId) {
	const id = LOOP.workflowId;
	const to = (node, index = 0) => ({ node, type: 'main', index });
	return {
		id,
		name: `test:n8n ${id}`,
		active: false,
		settings: { executionOrder: 'v1' },
		connections: {
			Request: { main: [[to('Split Out')]] },
			'Split Out': { main: [[to('Loop Over Items')]] },
			// Output 0 is "done", output 1 is "loop".
			'Loop Over Items': { main: [[to('Done')], [to('Ask')]] },
			Ask: { main: [[to('Loop Over Items')]] },
		},
		nodes: [
			webhookNode(`${id}-1`, 'Request', LOOP),
			{
				id: `${id}-2`,
				name: 'Split Out',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [200, 0],
				parameters: { fieldToSplitOut: 'body.items', options: {} },
			},
			{
				id: `${id}-3`,
				name: 'Loop Over Items',
				type: 'n8n-nodes-base.splitInBatches',
				typeVersion: 3,
				position: [400, 0],
				parameters: { batchSize: 1, options: {} },
			},
			askNode(`${id}-4`, credentialId, {
				toEmail: '={{ $json.email }}',
				subject: 'Approve order {{order}}?',
				html: '<p>Order {{order}} waits for your approval.</p>',
				text: '',
				...DOUBLE_APPROVAL,
				options: {},
			}),
			noOp(`${id}-5`, 'Done', [600, -200]),
		],
	};
}

/** The example as shipped, started by a Webhook node in place of its manual trigger. */
function exampleStartedByWebhook(file) {
	const workflow = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8'));
	check(workflow.id === EXAMPLE.workflowId, `${file} has the id ${workflow.id}`);
	const index = workflow.nodes.findIndex((node) => node.type === 'n8n-nodes-base.manualTrigger');
	check(index !== -1, `${file} has no manual trigger to replace`);
	const { id, name, position } = workflow.nodes[index];
	workflow.nodes[index] = { ...webhookNode(id, name, EXAMPLE), position };
	return workflow;
}

/** Workflows of the Send and Wait checks, imported with the others in one n8n boot. */
function sendAndWaitFixtures({ credentialId }) {
	const approvalMessage = {
		subject: 'Approve {{body.discount}} % for {{body.company}}?',
		html: '<p>{{body.company}} asks for {{body.discount}} %.</p>',
		text: '{{body.company}} asks for {{body.discount}} %.',
	};
	const workflows = [
		askWorkflow(APPROVAL, credentialId, { ...approvalMessage, ...DOUBLE_APPROVAL, options: {} }),
		askWorkflow(APPROVE_ONLY, credentialId, {
			...approvalMessage,
			responseType: 'approval',
			approvalOptions: { values: { approvalType: 'single', approveLabel: 'Yes, go ahead' } },
			options: {},
		}),
		askWorkflow(CONFIRM_ON_PAGE, credentialId, {
			...approvalMessage,
			...DOUBLE_APPROVAL,
			options: { confirmOnPage: true },
		}),
		askWorkflow(FREE_TEXT, credentialId, {
			subject: 'When should {{body.company}} get the delivery?',
			html: '<p>Tell us when {{body.company}} should get the delivery.</p>',
			text: '',
			responseType: 'freeText',
			options: { responseFormTitle: 'Delivery date', messageButtonLabel: 'Answer' },
		}),
		askWorkflow(CUSTOM_FORM, credentialId, {
			subject: 'Delivery details for {{body.company}}',
			html: '<p>Please tell us how {{body.company}} wants the delivery.</p>',
			text: '',
			responseType: 'customForm',
			formFields: { values: FORM_FIELDS },
			options: {
				responseFormTitle: 'Delivery details',
				responseFormButtonLabel: 'Send details',
				messageButtonLabel: 'Fill in the form',
			},
		}),
		loopWorkflow(credentialId),
		...SEND_AND_WAIT_EXAMPLES.map(exampleStartedByWebhook),
	];
	return { workflows };
}

const SEND_AND_WAIT_WORKFLOW_IDS = [
	APPROVAL,
	APPROVE_ONLY,
	CONFIRM_ON_PAGE,
	FREE_TEXT,
	CUSTOM_FORM,
	LOOP,
	EXAMPLE,
].map(({ workflowId }) => workflowId);

module.exports = {
	APPROVAL,
	APPROVE_ONLY,
	CONFIRM_ON_PAGE,
	CUSTOM_FORM,
	EXAMPLE,
	FORM_FIELDS,
	FREE_TEXT,
	LOOP,
	SEND_AND_WAIT_EXAMPLES,
	SEND_AND_WAIT_WORKFLOW_IDS,
	sendAndWaitFixtures,
};
