// Agent use without a language model: a workflow whose MCP Server Trigger exposes the Gmail SMTP
// Tool (this node on the trigger's `ai_tool` input), published in a running `n8n start`. The test
// is the MCP client a model would sit behind: it lists the tools and calls ours with the values a
// model would fill through `$fromAI(...)`; the local SMTP server shows what was sent. The author's
// templates stay fixed: a `{{...}}` inside a value the model gave is data, never a template.
import { join, sep } from 'node:path';

import type { SmtpTestServer } from '../../testkit/smtpTestServer';
import { CheckFailed, check, waitFor, type Case } from '../check';
import type { N8nRest } from '../n8n/rest';
import type { N8nRuntime } from '../n8n/runtime';
import { credential, GMAIL_SMTP_TYPE, workflow, type Workflow } from '../workflow';

export const MCP = {
	workflowId: 'e2eMcpTool',
	path: 'gmail-smtp-tool',
	webhookId: '4d7e2a91-6c3b-4f58-a0d2-8b1e5f7c9a36',
};
/** `nodeNameToToolName` of the tool node's name: what the MCP client calls. */
const TOOL_NODE_NAME = 'Send order email';
const TOOL_NAME = 'Send_order_email';
const TOOL_DESCRIPTION =
	"Emails a customer that their order ships today. Give the customer's address, their first name and order ID, and the subject line.";
/** What the workflow's author wrote; the model never sees or changes it. */
const HTML_TEMPLATE = '<p>Hi {{firstName}}, your order {{orderId}} ships today.</p>';
const TEXT_TEMPLATE = 'Hi {{firstName}}, your order {{orderId}} ships today.';
/** The keys of the `$fromAI(...)` expressions below: the tool's input schema. */
const TOOL_ARGUMENTS = ['to', 'values', 'subject'];
const CALL_TIMEOUT_MS = 60_000;
const EXECUTIONS_TIMEOUT_MS = 30_000;

/** MCP Server Trigger ← Gmail SMTP Tool (To, Template Data and Subject Text from the model). */
function mcpToolWorkflow(credentialId: string, triggerVersion: number): Workflow {
	return workflow(
		MCP.workflowId,
		[
			{
				name: 'MCP Server Trigger',
				type: '@n8n/n8n-nodes-langchain.mcpTrigger',
				typeVersion: triggerVersion,
				webhookId: MCP.webhookId,
				parameters: { authentication: 'none', path: MCP.path },
			},
			{
				name: TOOL_NODE_NAME,
				// n8n's tool variant of a node with `usableAsTool`: the node's type + "Tool".
				type: `${GMAIL_SMTP_TYPE}Tool`,
				typeVersion: 1,
				position: [0, 200],
				parameters: {
					descriptionType: 'manual',
					toolDescription: TOOL_DESCRIPTION,
					operation: 'send',
					toEmail: "={{ $fromAI('to', 'The customer email address') }}",
					// Required by the node; with the model's Subject Text it is not rendered at all.
					subject: 'Your order {{orderId}}',
					html: HTML_TEMPLATE,
					text: TEXT_TEMPLATE,
					options: {
						templateData:
							"={{ $fromAI('values', 'The values the email needs: firstName, orderId', 'json') }}",
						subjectText: "={{ $fromAI('subject', 'The subject line') }}",
					},
				},
				credentials: credential(credentialId),
			},
		],
		{
			connections: {
				[TOOL_NODE_NAME]: {
					ai_tool: [[{ node: 'MCP Server Trigger', type: 'ai_tool', index: 0 }]],
				},
			},
		},
	);
}

/**
 * The MCP Server Trigger version a user adding it today gets: 2.1 in n8n 2.41, 2 in 1.123. From
 * version 2 on, its production URL is `/mcp/<path>` for Streamable HTTP (and SSE by GET).
 */
function mcpTriggerVersion(runtime: N8nRuntime): number {
	return runtime.major >= 2 ? 2.1 : 2;
}

/** Workflows of this check, imported with the others in one n8n boot. */
export function mcpToolFixtures({
	credentialId,
	runtime,
}: {
	credentialId: string;
	runtime: N8nRuntime;
}): { workflows: Workflow[] } {
	return { workflows: [mcpToolWorkflow(credentialId, mcpTriggerVersion(runtime))] };
}

/** What the checks use of the MCP SDK's client (the SDK n8n ships, loaded at run time). */
interface McpTool {
	name: string;
	description?: string;
	inputSchema: {
		type?: string;
		properties?: Record<string, { description?: string }>;
		required?: string[];
	};
}
interface McpToolResult {
	isError?: boolean;
	content?: Array<{ type: string; text?: string }>;
}
interface McpClient {
	connect(transport: McpTransport, options: { timeout: number }): Promise<void>;
	listTools(params: undefined, options: { timeout: number }): Promise<{ tools: McpTool[] }>;
	callTool(
		params: { name: string; arguments: Record<string, unknown> },
		resultSchema: undefined,
		options: { timeout: number },
	): Promise<McpToolResult>;
	getServerVersion(): unknown;
	close(): Promise<void>;
}
interface McpTransport {
	sessionId?: string;
	terminateSession(): Promise<void>;
}
interface McpSdk {
	Client: new (info: { name: string; version: string }) => McpClient;
	StreamableHTTPClientTransport: new (url: URL) => McpTransport;
	version: string;
}

/** The MCP SDK client the installed n8n ships (its MCP Server Trigger's own dependency). */
function loadMcpClient(installDir: string): McpSdk {
	const paths = [join(installDir, 'node_modules', '@n8n', 'n8n-nodes-langchain')];
	const load = (module: string): unknown => {
		const file = require.resolve(`@modelcontextprotocol/sdk/${module}`, { paths });
		// eslint-disable-next-line @typescript-eslint/no-require-imports -- n8n's copy, found at run time
		return require(file);
	};
	const { Client } = load('client/index.js') as Pick<McpSdk, 'Client'>;
	const { StreamableHTTPClientTransport } = load('client/streamableHttp.js') as Pick<
		McpSdk,
		'StreamableHTTPClientTransport'
	>;
	// Its exports map `./*` into dist/, so the package's own package.json is found from an entry.
	const entry = require.resolve('@modelcontextprotocol/sdk/client/index.js', { paths });
	const root = entry.slice(0, entry.lastIndexOf(`${sep}dist${sep}`));
	// eslint-disable-next-line @typescript-eslint/no-require-imports -- n8n's copy, found at run time
	const { version } = require(join(root, 'package.json')) as { version: string };
	return { Client, StreamableHTTPClientTransport, version };
}

/** What Handlebars prints for a value in `{{...}}`: the HTML part escapes it like this. */
function escapeLikeHandlebars(text: string): string {
	const entities: Record<string, string> = {
		'&': '&amp;',
		'<': '&lt;',
		'>': '&gt;',
		'"': '&quot;',
		"'": '&#x27;',
		'`': '&#x60;',
		'=': '&#x3D;',
	};
	return text.replace(/[&<>"'`=]/g, (character) => entities[character]);
}

/** The tool's answer as JSON: n8n gives the node's output items as the text of the result. */
function toolOutput(result: McpToolResult): Array<{ messageId?: string }> {
	const text = result.content?.find((part) => part.type === 'text')?.text;
	check(
		!result.isError && typeof text === 'string',
		`the tool call failed: ${JSON.stringify(result)}`,
	);
	let output: unknown;
	try {
		output = JSON.parse(text);
	} catch {
		throw new CheckFailed(`the tool answered text that is not JSON: ${text}`);
	}
	return (Array.isArray(output) ? output : [output]) as Array<{ messageId?: string }>;
}

/**
 * The MCP checks against a running n8n (`base`: its URL, `rest`: the owner's REST client) as
 * `[label, run]` sub-cases; they share one MCP session, opened by the first and closed by the last.
 */
export function mcpToolCases({
	base,
	rest,
	runtime,
	server,
}: {
	base: string;
	rest: N8nRest;
	runtime: N8nRuntime;
	server: SmtpTestServer;
}): Case[] {
	const url = `${base}/mcp/${MCP.path}`;
	let session: { client: McpClient; transport: McpTransport } | undefined;
	/** Tool calls made, by outcome: n8n records them as executions of the workflow. */
	const toolCalls = { succeeded: 0, failed: 0 };
	// n8n 1.x's trigger finishes the webhook (and starts the execution) only after a call that
	// succeeded: a failed one leaves no execution behind. n8n 2.x records both.
	const recordsFailedCalls = runtime.major >= 2;

	/** Calls the tool; resolves with its MCP result and the messages the server got meanwhile. */
	const callTool = async (args: Record<string, unknown>) => {
		check(session, 'needs the MCP session the first case opened');
		const before = server.messages.length;
		const result = await session.client.callTool({ name: TOOL_NAME, arguments: args }, undefined, {
			timeout: CALL_TIMEOUT_MS,
		});
		toolCalls[result.isError ? 'failed' : 'succeeded']++;
		return { result, received: server.messages.slice(before) };
	};

	/** Exactly one message, to `to`, the one the tool's output names. */
	const onlyMessage = ({ result, received }: Awaited<ReturnType<typeof callTool>>, to: string) => {
		const items = toolOutput(result);
		check(
			received.length === 1,
			`expected one message, the server received ${received.length}: ${received.map((message) => `${message.envelope.to} "${message.parsed.subject}"`).join('; ')}`,
		);
		const [message] = received;
		check(message.envelope.to.join() === to, `sent to ${message.envelope.to}, not ${to}`);
		check(
			items.length === 1 && items[0].messageId === message.messageId,
			`the tool's output ${JSON.stringify(items)} does not name the delivered Message-ID ${message.messageId}`,
		);
		return message;
	};

	return [
		[
			`the MCP client connects to ${url} (Streamable HTTP) and lists the Gmail SMTP Tool with its input schema`,
			async () => {
				const { Client, StreamableHTTPClientTransport, version } = loadMcpClient(
					runtime.installDir,
				);
				const client = new Client({ name: 'gmail-smtp-e2e', version: '1.0.0' });
				const transport = new StreamableHTTPClientTransport(new URL(url));
				await client.connect(transport, { timeout: CALL_TIMEOUT_MS });
				session = { client, transport };
				const { tools } = await client.listTools(undefined, { timeout: CALL_TIMEOUT_MS });
				check(
					tools.length === 1 && tools[0].name === TOOL_NAME,
					`expected the one tool ${TOOL_NAME}, listed: ${tools.map((tool) => tool.name).join(', ') || 'none'}`,
				);
				const [tool] = tools;
				check(
					tool.description === TOOL_DESCRIPTION,
					`the tool's description is ${JSON.stringify(tool.description)}, not the one set on the node`,
				);
				const schema = tool.inputSchema;
				const schemaProperties = schema?.properties ?? {};
				const properties = Object.keys(schemaProperties).sort();
				check(
					schema?.type === 'object' &&
						properties.join() === [...TOOL_ARGUMENTS].sort().join() &&
						TOOL_ARGUMENTS.every((name) => schema.required?.includes(name)),
					`the input schema does not ask for exactly ${TOOL_ARGUMENTS.join(', ')}: ${JSON.stringify(schema)}`,
				);
				for (const name of TOOL_ARGUMENTS) {
					check(
						schemaProperties[name]?.description,
						`argument ${name} has no description: ${JSON.stringify(schemaProperties[name])}`,
					);
				}
				return `server ${JSON.stringify(client.getServerVersion())}, SDK client ${version}; ${tool.name}: ${JSON.stringify(tool.description)}, input schema ${JSON.stringify(schema.properties)}`;
			},
		],
		[
			"a tool call sends one email: the author's template rendered with the model's values, the model's subject",
			async () => {
				const outcome = await callTool({
					to: 'ada@example.com',
					values: { firstName: 'Ada', orderId: 'A-7' },
					subject: 'Your order A-7',
				});
				const message = onlyMessage(outcome, 'ada@example.com');
				const { subject, html, text = '' } = message.parsed;
				check(subject === 'Your order A-7', `subject ${JSON.stringify(subject)}`);
				check(
					html === '<p>Hi Ada, your order A-7 ships today.</p>',
					`HTML ${JSON.stringify(html)} is not the author's template with the model's values`,
				);
				check(
					text.trim() === 'Hi Ada, your order A-7 ships today.',
					`text ${JSON.stringify(text)}`,
				);
				return `${message.messageId} to ${message.envelope.to}, "${subject}", ${html}`;
			},
		],
		[
			"{{...}} in the model's values and subject is printed as written, never compiled",
			async () => {
				const values = { firstName: '{{7*7}}', orderId: '{{ $execution.id }} {{> layout}}' };
				const subject = 'About {{orderId}} {{#each x}}';
				const outcome = await callTool({ to: 'eve@example.com', values, subject });
				const message = onlyMessage(outcome, 'eve@example.com');
				const { html, text = '' } = message.parsed;
				check(
					message.parsed.subject === subject,
					`subject ${JSON.stringify(message.parsed.subject)}, expected the model's text as written`,
				);
				const escaped = Object.fromEntries(
					Object.entries(values).map(([name, value]) => [name, escapeLikeHandlebars(value)]),
				) as typeof values;
				check(
					html === `<p>Hi ${escaped.firstName}, your order ${escaped.orderId} ships today.</p>`,
					`HTML ${JSON.stringify(html)}: the model's {{...}} values were not printed as written (HTML-escaped)`,
				);
				check(
					text.trim() === `Hi ${values.firstName}, your order ${values.orderId} ships today.`,
					`text ${JSON.stringify(text)}`,
				);
				return `"${message.parsed.subject}", ${html}`;
			},
		],
		[
			'values missing what the template prints: the model gets the error naming it, nothing is sent',
			async () => {
				const { result, received } = await callTool({
					to: 'mallory@example.com',
					values: { firstName: 'Mallory' },
					subject: 'Your order',
				});
				const text = result.content?.find((part) => part.type === 'text')?.text ?? '';
				check(
					result.isError === true && /orderId/.test(text),
					`expected an error result naming orderId, got ${JSON.stringify(result)}`,
				);
				check(received.length === 0, `${received.length} messages were sent anyway`);
				return JSON.stringify(text);
			},
		],
		[
			'n8n recorded the tool calls as executions, each with one run of the tool; nothing else was sent',
			async () => {
				check(session, 'needs the MCP session the first case opened');
				const { client, transport } = session;
				const { sessionId } = transport;
				session = undefined;
				// DELETE: n8n forgets the session at once instead of at its idle sweep.
				await transport.terminateSession();
				await client.close();
				const expectedExecutions =
					toolCalls.succeeded + (recordsFailedCalls ? toolCalls.failed : 0);
				// n8n starts them once each call is answered: wait until they are done.
				const executions = await waitFor(
					async () => {
						const list = await rest.executions(MCP.workflowId);
						const done = list.filter((execution) => !['new', 'running'].includes(execution.status));
						return done.length >= expectedExecutions ? list : undefined;
					},
					EXECUTIONS_TIMEOUT_MS,
					`${expectedExecutions} finished executions of ${MCP.workflowId}`,
				);
				check(
					executions.length === expectedExecutions,
					`${executions.length} executions, expected ${expectedExecutions} for tool calls ${JSON.stringify(toolCalls)}`,
				);
				const recorded = [];
				for (const { id } of executions.sort((a, b) => Number(a.id) - Number(b.id))) {
					const execution = await rest.execution(id);
					const runs = execution.data.resultData.runData[TOOL_NODE_NAME]?.length ?? 0;
					check(runs === 1, `execution ${id} has ${runs} runs of ${TOOL_NODE_NAME}`);
					recorded.push(`${id} ${execution.status}`);
				}
				const expected = { 'ada@example.com': 1, 'eve@example.com': 1, 'mallory@example.com': 0 };
				const counts = Object.fromEntries(
					Object.keys(expected).map((to) => [
						to,
						server.messages.filter((message) => message.envelope.to.includes(to)).length,
					]),
				);
				check(
					JSON.stringify(counts) === JSON.stringify(expected),
					`messages per address: ${JSON.stringify(counts)}`,
				);
				return `session ${sessionId} deleted; executions ${recorded.join(', ')}; messages ${JSON.stringify(counts)}`;
			},
		],
	];
}
