// The one way the real-n8n checks write workflows: `workflow()` places and wires the nodes the
// helpers below describe, as `n8n import:workflow` (or the editor's REST API) takes them.
import { randomUUID } from 'node:crypto';

export const GMAIL_SMTP_TYPE = 'n8n-nodes-gmail-smtp.gmailSmtp';
export const GMAIL_SMTP_TRIGGER_TYPE = 'n8n-nodes-gmail-smtp.gmailSmtpTrigger';

export interface Connection {
	node: string;
	type: string;
	index: number;
}
/** Source node → connection type (`main`, `ai_tool`) → output index → targets. */
export type Connections = Record<string, Record<string, Connection[][]>>;

export interface CredentialRef {
	id: string;
	name: string;
}

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	webhookId?: string;
	credentials?: Record<string, CredentialRef>;
	onError?: 'continueRegularOutput';
}

/** A node before {@link workflow} gives it an id and (unless it has one) a position. */
export type NodeSpec = Omit<WorkflowNode, 'id' | 'position'> & { position?: [number, number] };

export interface Workflow {
	/** Absent for the editor's REST API, which gives a new workflow its id. */
	id?: string;
	name: string;
	active: false;
	settings: Record<string, unknown>;
	connections: Connections;
	nodes: WorkflowNode[];
}

/**
 * A workflow of `nodes`, run one after the other unless `connections` says otherwise. With an
 * `id` (for `n8n import:workflow`), its nodes are `<id>-1`, `<id>-2`, …; without, random UUIDs.
 */
export function workflow(
	id: string | undefined,
	nodes: NodeSpec[],
	options: { name?: string; connections?: Connections; settings?: Record<string, unknown> } = {},
): Workflow {
	return {
		...(id === undefined ? {} : { id }),
		name: options.name ?? `test:n8n ${id}`,
		active: false,
		settings: { executionOrder: 'v1', ...options.settings },
		connections: options.connections ?? chain(...nodes.map((node) => node.name)),
		nodes: nodes.map((node, index) => ({
			...node,
			id: id === undefined ? randomUUID() : `${id}-${index + 1}`,
			position: node.position ?? [index * 200, 0],
		})),
	};
}

/** A `main` connection into `node`'s input. */
export function to(node: string, index = 0): Connection {
	return { node, type: 'main', index };
}

/** Connections of nodes that run one after the other. */
export function chain(...names: string[]): Connections {
	const connections: Connections = {};
	for (let index = 0; index + 1 < names.length; index++) {
		connections[names[index]] = { main: [[to(names[index + 1])]] };
	}
	return connections;
}

export function manualTrigger(name = 'Start'): NodeSpec {
	return { name, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} };
}

/**
 * A Webhook node for POSTs to `/webhook/<path>`. `onReceived` answers the call at once (the
 * execution goes on without the caller); `lastNode` answers with every item of the last node.
 */
export function webhook(
	name: string,
	hook: { path: string; webhookId: string },
	respond: 'onReceived' | 'lastNode',
): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: hook.webhookId,
		parameters: {
			httpMethod: 'POST',
			path: hook.path,
			responseMode: respond,
			...(respond === 'lastNode' ? { responseData: 'allEntries' } : {}),
			options: {},
		},
	};
}

export function code(name: string, jsCode: string): NodeSpec {
	return { name, type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode } };
}

/** A Code node whose output is one item per element of `json`. */
export function jsonItems(name: string, json: unknown[]): NodeSpec {
	return code(name, `return ${JSON.stringify(json)}.map((json) => ({ json }));`);
}

export function noOp(name: string): NodeSpec {
	return { name, type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} };
}

/** A reference to an imported credential; its name is its id unless given. */
export function credential(id: string, name = id): { gmailSmtpApi: CredentialRef } {
	return { gmailSmtpApi: { id, name } };
}

/**
 * The Gmail SMTP node on a credential (an id, or `{ id, name }`). `continueOnFail`: On Error
 * "Continue (using regular output)", failures become error items.
 */
export function gmailSmtp(
	name: string,
	credentialId: string | CredentialRef,
	parameters: Record<string, unknown>,
	{ continueOnFail = false }: { continueOnFail?: boolean } = {},
): NodeSpec {
	const { id, name: credentialName } =
		typeof credentialId === 'string' ? { id: credentialId, name: credentialId } : credentialId;
	return {
		name,
		type: GMAIL_SMTP_TYPE,
		typeVersion: 1,
		parameters,
		credentials: credential(id, credentialName),
		...(continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
}

/** A Gmail SMTP credential as `n8n import:credentials` takes it. */
export interface ImportedCredential {
	id: string;
	name: string;
	type: 'gmailSmtpApi';
	data: Record<string, unknown>;
}

export function gmailSmtpCredential(
	id: string,
	data: Record<string, unknown>,
	name = id,
): ImportedCredential {
	return { id, name, type: 'gmailSmtpApi', data };
}
