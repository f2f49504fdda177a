import Handlebars from 'handlebars';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INodeProperties } from 'n8n-workflow';

import { GmailSmtp } from '../../nodes/GmailSmtp/GmailSmtp.node';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const GMAIL_SMTP_TYPE = 'n8n-nodes-gmail-smtp.gmailSmtp';

interface WorkflowNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
}
interface Workflow {
	id: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
}

const workflowFiles = readdirSync(EXAMPLES).filter((file) => file.endsWith('.workflow.json'));
const load = (file: string) => JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as Workflow;

/** Parameter names the node knows, with a collection's options as `options.name`. */
function knownParameterNames(properties: INodeProperties[]): Set<string> {
	const names = new Set<string>();
	for (const property of properties) {
		names.add(property.name);
		for (const option of (property.options ?? []) as Array<{ name: string; type?: string }>) {
			if (property.type === 'collection') names.add(`${property.name}.${option.name}`);
		}
	}
	return names;
}

describe('examples/*.workflow.json', () => {
	const known = knownParameterNames(new GmailSmtp().description.properties);

	it('has the order notification, CRM follow-up, daily digest, discount approval and stop-on-reply workflows', () => {
		expect(workflowFiles.sort()).toEqual([
			'crm-discount-approval.workflow.json',
			'crm-follow-up.workflow.json',
			'crm-stop-on-reply.workflow.json',
			'daily-digest.workflow.json',
			'order-notification.workflow.json',
		]);
	});

	it.each(workflowFiles)(
		'%s is importable: an id n8n keeps, connections between its nodes',
		(file) => {
			const workflow = load(file);
			expect(workflow.id).toMatch(/^[A-Za-z0-9]{1,21}$/);
			const names = new Set(workflow.nodes.map((node) => node.name));
			expect(names.size).toBe(workflow.nodes.length);
			for (const [from, outputs] of Object.entries(workflow.connections)) {
				expect(names).toContain(from);
				for (const target of outputs.main.flat()) expect(names).toContain(target.node);
			}
		},
	);

	it.each(workflowFiles)(
		'%s uses only parameters the Gmail SMTP node has, and valid templates',
		(file) => {
			const gmailNodes = load(file).nodes.filter((node) => node.type === GMAIL_SMTP_TYPE);
			expect(gmailNodes.length).toBeGreaterThan(0);
			for (const node of gmailNodes) {
				expect(Object.keys(node.credentials ?? {})).toEqual(['gmailSmtpApi']);
				const { options = {}, ...topLevel } = node.parameters;
				const used = [
					...Object.keys(topLevel),
					...Object.keys(options as object).map((name) => `options.${name}`),
				];
				for (const name of used) expect(known).toContain(name);
				for (const field of ['subject', 'html', 'text'] as const) {
					const template = node.parameters[field];
					if (typeof template !== 'string') continue;
					expect(template.startsWith('=')).toBe(false);
					expect(() => Handlebars.parse(template)).not.toThrow();
				}
			}
		},
	);

	it('the discount approval asks with Send and Wait, values the node offers, and places the buttons', () => {
		const properties = new GmailSmtp().description.properties;
		const workflow = load('crm-discount-approval.workflow.json');
		const ask = workflow.nodes.find((node) => node.parameters.operation === 'sendAndWait');
		const optionValues = (name: string) =>
			(properties.find((property) => property.name === name)?.options ?? []).map(
				(option) => (option as { value: string }).value,
			);
		/** The names a fixed collection's `values` group takes. */
		const valueNames = (collection: INodeProperties | undefined) =>
			((collection?.options ?? []) as Array<{ name: string; values?: INodeProperties[] }>).flatMap(
				(group) => (group.values ?? []).map((value) => value.name),
			);
		const approvalOptions = properties.find((property) => property.name === 'approvalOptions');
		const limitWaitTime = (
			properties.find((property) => property.name === 'options')?.options as INodeProperties[]
		).find((option) => option.name === 'limitWaitTime');

		expect(optionValues('responseType')).toContain(ask?.parameters.responseType);
		const { values: approval } = ask?.parameters.approvalOptions as {
			values: Record<string, unknown>;
		};
		expect(valueNames(approvalOptions)).toEqual(expect.arrayContaining(Object.keys(approval)));
		const { limitWaitTime: limit } = ask?.parameters.options as {
			limitWaitTime: { values: Record<string, unknown> };
		};
		expect(valueNames(limitWaitTime)).toEqual(expect.arrayContaining(Object.keys(limit.values)));
		expect(ask?.parameters.html).toContain('{{{approvalButtons}}}');
		expect(ask?.parameters.text).toContain('{{approvalLinks}}');
		// The offer answers the customer's quote, not the manager's approval message.
		const offer = workflow.nodes.find((node) => node.name === 'Tell the customer');
		expect(offer?.parameters.options).toMatchObject({ inReplyTo: '={{ $json.quoteMessageId }}' });
		expect(workflow.connections['Approved?'].main[0]).toEqual([
			expect.objectContaining({ node: 'Approved request' }),
		]);
	});

	it('the stop-on-reply sequence checks the first email, and follows up only without reply or bounce', () => {
		const workflow = load('crm-stop-on-reply.workflow.json');
		const check = workflow.nodes.find((node) => node.parameters.operation === 'checkReplies');
		expect(check?.parameters.messageId).toBe('={{ $json.messageId }}');
		expect(workflow.connections['Wait 3 days'].main[0]).toEqual([
			expect.objectContaining({ node: check?.name }),
		]);
		const branch = workflow.nodes.find((node) => node.name === 'No reply and no bounce?');
		const conditions = JSON.stringify(branch?.parameters.conditions);
		expect(conditions).toContain('$json.replied');
		expect(conditions).toContain('$json.bounced');
		const [noAnswer, answered] = workflow.connections['No reply and no bounce?'].main;
		expect(noAnswer).toEqual([expect.objectContaining({ node: 'Lead and first Message-ID' })]);
		expect(answered).toEqual([expect.objectContaining({ node: 'Stop: replied or bounced' })]);
		const followUp = workflow.nodes.find((node) => node.name === 'Follow-up');
		expect(followUp?.parameters.options).toMatchObject({
			inReplyTo: '={{ $json.firstMessageId }}',
			prefixSubjectWithRe: true,
		});
	});

	it('the order notification uses the same (MJML) templates as `npm run demo`', () => {
		const node = load('order-notification.workflow.json').nodes.find(
			(candidate) => candidate.type === GMAIL_SMTP_TYPE,
		);
		const template = (name: string) =>
			readFileSync(join(EXAMPLES, 'order-confirmation', name), 'utf8');
		expect(node?.parameters).toMatchObject({
			subject: template('subject.hbs').trim(),
			templateFormat: 'mjml',
			html: template('html.mjml'),
			text: template('text.hbs'),
		});
	});
});
