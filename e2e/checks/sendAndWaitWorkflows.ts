// The workflows the Send and Wait checks answer (sendAndWaitChecks.ts): each starts with a Webhook
// node whose call's body becomes the item, so a check can start as many executions as it needs in
// one `n8n start`.
import { check } from '../check';
import { loadExample } from '../examples';
import {
	gmailSmtp,
	noOp,
	to,
	webhook,
	workflow,
	type NodeSpec,
	type Workflow,
	type WorkflowNode,
} from '../workflow';

/** A workflow of these checks: its id, and the Webhook that starts it. */
export interface AskConfig {
	workflowId: string;
	webhookPath: string;
	webhookId: string;
}

export const APPROVAL: AskConfig = {
	workflowId: 'e2eSendAndWait',
	webhookPath: 'gmail-smtp-send-and-wait',
	webhookId: '0c6f1d52-7a4e-4b1f-9d3a-5e2c8b7f1a90',
};
export const APPROVE_ONLY: AskConfig = {
	workflowId: 'e2eSendAndWaitOne',
	webhookPath: 'gmail-smtp-send-and-wait-one',
	webhookId: 'e2e0fbdc-aff3-472d-9998-094b03b3c0cb',
};
export const CONFIRM_ON_PAGE: AskConfig = {
	workflowId: 'e2eSendAndWaitConfirm',
	webhookPath: 'gmail-smtp-send-and-wait-confirm',
	webhookId: 'da72b9c2-0bc4-4a23-9e22-6c32ae8822f7',
};
export const FREE_TEXT: AskConfig = {
	workflowId: 'e2eSendAndWaitText',
	webhookPath: 'gmail-smtp-send-and-wait-text',
	webhookId: '6b2e9f14-3c8d-4a57-b0e1-9f4d2c7a8e31',
};
export const CUSTOM_FORM: AskConfig = {
	workflowId: 'e2eSendAndWaitForm',
	webhookPath: 'gmail-smtp-send-and-wait-form',
	webhookId: 'e2d7bb21-497f-4a59-aa80-90413c95426d',
};
export const LOOP: AskConfig = {
	workflowId: 'e2eSendAndWaitLoop',
	webhookPath: 'gmail-smtp-send-and-wait-loop',
	webhookId: 'b90bf5f5-685e-4d2c-b885-f870bfafb682',
};
export const EXAMPLE: AskConfig = {
	workflowId: 'gmailSmtpDiscount',
	webhookPath: 'gmail-smtp-discount-approval',
	webhookId: 'c3a81e07-5d2f-4e96-8b14-7f0a6d9e2b58',
};

/** Examples that wait for an answer: run here, not with `n8n execute`. */
export const SEND_AND_WAIT_EXAMPLES = ['crm-discount-approval.workflow.json'];

/** Every field type of a Custom Form, required and optional (names as in n8n's node). */
export const FORM_FIELDS = [
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

/** The Webhook that starts a workflow: it answers the call at once, the execution then waits. */
function request(config: AskConfig, name = 'Request'): NodeSpec {
	return webhook(name, { path: config.webhookPath, webhookId: config.webhookId }, 'onReceived');
}

function ask(credentialId: string, parameters: Record<string, unknown>): NodeSpec {
	return gmailSmtp('Ask', credentialId, { operation: 'sendAndWait', ...parameters });
}

/** Webhook (the call's body is the item) → Gmail SMTP Send and Wait → No Op, to see the answer. */
function askWorkflow(
	config: AskConfig,
	credentialId: string,
	parameters: Record<string, unknown>,
): Workflow {
	return workflow(config.workflowId, [
		request(config),
		ask(credentialId, { toEmail: '={{ $json.body.email }}', ...parameters }),
		noOp('Answer'),
	]);
}

/**
 * The pattern the README recommends for a list: Webhook → Split Out (`body.items`) → Loop Over
 * Items (batch size 1) → Send and Wait → back to the loop; when every item was answered, Done gets
 * the answers.
 */
function loopWorkflow(credentialId: string): Workflow {
	return workflow(
		LOOP.workflowId,
		[
			request(LOOP),
			{
				name: 'Split Out',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				parameters: { fieldToSplitOut: 'body.items', options: {} },
			},
			{
				name: 'Loop Over Items',
				type: 'n8n-nodes-base.splitInBatches',
				typeVersion: 3,
				parameters: { batchSize: 1, options: {} },
			},
			ask(credentialId, {
				toEmail: '={{ $json.email }}',
				subject: 'Approve order {{order}}?',
				html: '<p>Order {{order}} waits for your approval.</p>',
				text: '',
				...DOUBLE_APPROVAL,
				options: {},
			}),
			{ ...noOp('Done'), position: [600, -200] },
		],
		{
			connections: {
				Request: { main: [[to('Split Out')]] },
				'Split Out': { main: [[to('Loop Over Items')]] },
				// Output 0 is "done", output 1 is "loop".
				'Loop Over Items': { main: [[to('Done')], [to('Ask')]] },
				Ask: { main: [[to('Loop Over Items')]] },
			},
		},
	);
}

/** The example as shipped, started by a Webhook node in place of its manual trigger. */
function exampleStartedByWebhook(file: string): Workflow {
	const example = loadExample(file);
	check(example.id === EXAMPLE.workflowId, `${file} has the id ${example.id}`);
	const index = example.nodes.findIndex((node) => node.type === 'n8n-nodes-base.manualTrigger');
	check(index !== -1, `${file} has no manual trigger to replace`);
	const { id, name, position } = example.nodes[index];
	const started: WorkflowNode = { ...request(EXAMPLE, name), id, position };
	example.nodes[index] = started;
	return example;
}

/** Workflows of the Send and Wait checks, imported with the others in one n8n boot. */
export function sendAndWaitFixtures({ credentialId }: { credentialId: string }): {
	workflows: Workflow[];
} {
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

export const SEND_AND_WAIT_WORKFLOW_IDS = [
	APPROVAL,
	APPROVE_ONLY,
	CONFIRM_ON_PAGE,
	FREE_TEXT,
	CUSTOM_FORM,
	LOOP,
	EXAMPLE,
].map(({ workflowId }) => workflowId);
