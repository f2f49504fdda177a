import { BENCH_CA, BENCH_PASSWORD, BENCH_USER, type BenchServer } from './benchServer';

/** The send node's name in every workflow: its time is read from each execution by this name. */
export const SEND_NODE = 'Send';

/**
 * The bursts, in the order they run. `ours-uncounted` is a diagnosis, not a setting anyone
 * should use on Gmail: the same node with Daily Limit and Daily Recipient Limit 0, so that the
 * embedded ledger counts nothing; it shows what counting costs per execution in the same run.
 */
export const BURSTS = ['built-in', 'ours', 'ours-uncounted'] as const;
export type Burst = (typeof BURSTS)[number];

export const BURST_LABELS: Record<Burst, string> = {
	'built-in': 'built-in Send Email',
	ours: 'Gmail SMTP (this node)',
	'ours-uncounted': 'Gmail SMTP, Daily Limits 0 (diagnosis)',
};

export const BURST_WORKFLOWS: Record<Burst | 'warmUp', { id: string; path: string }> = {
	'built-in': { id: 'benchBurstBuiltIn', path: 'bench-burst-built-in' },
	ours: { id: 'benchBurstOurs', path: 'bench-burst-ours' },
	'ours-uncounted': { id: 'benchBurstUncounted', path: 'bench-burst-uncounted' },
	warmUp: { id: 'benchBurstWarmUp', path: 'bench-burst-warm-up' },
};

const OURS = { id: 'benchGmailSmtp', name: 'Gmail SMTP (bench server)' };
const UNCOUNTED = { id: 'benchGmailUncounted', name: 'Gmail SMTP (bench server, no limits)' };
const BUILT_IN = { id: 'benchSmtp', name: 'SMTP (bench server)' };

/** Our credentials as a user of a local relay sets them, and the built-in node's. */
export function burstCredentials(server: BenchServer) {
	const ours = {
		user: BENCH_USER,
		appPassword: BENCH_PASSWORD,
		host: '127.0.0.1',
		port: server.port,
		security: 'tls',
		caCertificate: BENCH_CA,
		// A local server: the credential's default of 5 messages per second is Gmail's pace.
		maxPerSecond: 0,
	};
	return [
		{ ...OURS, type: 'gmailSmtpApi', data: ours },
		{
			...UNCOUNTED,
			type: 'gmailSmtpApi',
			data: { ...ours, dailyLimit: 0, dailyRecipientLimit: 0 },
		},
		{
			...BUILT_IN,
			type: 'smtp',
			data: {
				user: BENCH_USER,
				password: BENCH_PASSWORD,
				host: '127.0.0.1',
				port: server.port,
				secure: true,
			},
		},
	];
}

/** bench/senders.ts's templates, over the webhook's body. */
const SUBJECT = 'Your order {{orderId}} is confirmed, {{firstName}}';
const HTML =
	'<h1>Thanks, {{firstName}}!</h1><p>Order {{orderId}}: {{#each lines}}<li>{{qty}} × {{name}}</li>{{/each}}</p><p>Total {{total}}</p>';
const TEXT = 'Thanks, {{firstName}}! Order {{orderId}}, total {{total}}.';

/** Handlebars for our node: the order is the item's `body`. */
const handlebars = (template: string) =>
	template
		.replace('{{#each lines}}', '{{#each body.lines}}')
		.replace(/\{\{(firstName|orderId|total)\}\}/g, '{{body.$1}}');

/** The same message as n8n expressions, for the built-in node. */
const expression = (template: string) =>
	'=' +
	template
		.replace(
			/\{\{#each lines\}\}(.*)\{\{\/each\}\}/,
			(_all, line: string) =>
				`{{ $json.body.lines.map((line) => \`${line.replace(/\{\{(\w+)\}\}/g, '${line.$1}')}\`).join('') }}`,
		)
		.replace(/\{\{(\w+)\}\}/g, '{{ $json.body.$1 }}');

const ourNode = (credential: { id: string; name: string }) => ({
	type: 'n8n-nodes-gmail-smtp.gmailSmtp',
	typeVersion: 1,
	parameters: {
		operation: 'send',
		toEmail: '={{ $json.body.email }}',
		subject: handlebars(SUBJECT),
		html: handlebars(HTML),
		text: handlebars(TEXT),
	},
	credentials: { gmailSmtpApi: credential },
});

const SEND_NODES: Record<Burst | 'warmUp', Record<string, unknown>> = {
	'built-in': {
		type: 'n8n-nodes-base.emailSend',
		typeVersion: 2.1,
		parameters: {
			resource: 'email',
			operation: 'send',
			fromEmail: BENCH_USER,
			toEmail: '={{ $json.body.email }}',
			subject: expression(SUBJECT),
			emailFormat: 'both',
			html: expression(HTML),
			text: expression(TEXT),
			options: { appendAttribution: false },
		},
		credentials: { smtp: BUILT_IN },
	},
	ours: ourNode(OURS),
	'ours-uncounted': ourNode(UNCOUNTED),
	warmUp: { type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} },
};

/** Webhook (answering once the last node finished) → the send node, one workflow per burst. */
export function burstWorkflows() {
	return Object.entries(BURST_WORKFLOWS).map(([burst, { id, path }], index) => ({
		id,
		name: `bench ${path}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: `${id}-webhook`,
				name: 'Order',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `6f1c2a3b-4d5e-4f60-8a71-${String(index).padStart(12, '0')}`,
				parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', options: {} },
			},
			{
				id: `${id}-send`,
				name: SEND_NODE,
				position: [200, 0],
				...SEND_NODES[burst as Burst | 'warmUp'],
			},
		],
		connections: { Order: { main: [[{ node: SEND_NODE, type: 'main', index: 0 }]] } },
	}));
}
