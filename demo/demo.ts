// `npm run demo`: sends the sample orders in examples/ through the built Gmail SMTP node.
// By default to the Gmail-like test SMTP server (TLS on connect with the test CA's certificate,
// AUTH required), saving each received message in demo-output/. With GMAIL_USER,
// GMAIL_APP_PASSWORD and DEMO_TO set, through smtp.gmail.com to DEMO_TO instead.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import type { INodeExecutionData } from 'n8n-workflow';

import { REPO_ROOT } from '../testkit/repoRoot';
import {
	credentialData,
	startSmtpTestServer,
	type ReceivedMessage,
	type SmtpTestServer,
} from '../testkit/smtpTestServer';
import { loadGmailSmtpNode, runBuiltNode } from './runBuiltNode';

const EXAMPLES = join(REPO_ROOT, 'examples');

interface Order {
	email: string;
	[field: string]: unknown;
}

/** `mjml` (the default): the responsive MJML version of the template; `html`: plain HTML. */
function readTemplates(format: string) {
	const read = (file: string) => readFileSync(join(EXAMPLES, 'order-confirmation', file), 'utf8');
	return {
		subject: read('subject.hbs').trim(),
		templateFormat: format,
		html: read(format === 'mjml' ? 'html.mjml' : 'html.hbs'),
		text: read('text.hbs'),
	};
}

function gmailFromEnvironment(env: NodeJS.ProcessEnv) {
	const { GMAIL_USER, GMAIL_APP_PASSWORD, DEMO_TO } = env;
	if (!GMAIL_USER && !GMAIL_APP_PASSWORD && !DEMO_TO) return undefined;
	if (!GMAIL_USER || !GMAIL_APP_PASSWORD || !DEMO_TO) {
		throw new Error(
			'To send through Gmail, set all three: GMAIL_USER, GMAIL_APP_PASSWORD, DEMO_TO',
		);
	}
	return {
		credentials: {
			user: GMAIL_USER,
			appPassword: GMAIL_APP_PASSWORD,
			host: 'smtp.gmail.com',
			port: 465,
			security: 'tls',
		},
		to: DEMO_TO,
	};
}

function printTable(rows: string[][], log: (line: string) => void): void {
	const headers = ['Recipient', 'Subject', 'Message ID'];
	const widths = headers.map((header, column) =>
		Math.max(header.length, ...rows.map((row) => row[column].length)),
	);
	const line = (cells: string[]) =>
		cells.map((cell, column) => cell.padEnd(widths[column])).join('  ');
	log(line(headers));
	log(line(widths.map((width) => '-'.repeat(width))));
	for (const row of rows) log(line(row));
}

function saveReceived(messages: ReceivedMessage[], outDir: string): string[] {
	mkdirSync(outDir, { recursive: true });
	for (const file of readdirSync(outDir)) {
		if (/\.(eml|html)$/.test(file)) rmSync(join(outDir, file));
	}
	return messages.map((message, index) => {
		const base = join(outDir, `${String(index + 1).padStart(2, '0')}-${message.envelope.to[0]}`);
		writeFileSync(`${base}.eml`, message.raw);
		writeFileSync(`${base}.html`, message.parsed.html || '');
		return `${base}.eml`;
	});
}

export async function runDemo({
	outDir,
	distDir,
	format = 'mjml',
	env = process.env,
	log = console.log,
}: {
	outDir: string;
	distDir?: string;
	format?: string;
	env?: NodeJS.ProcessEnv;
	log?: (line: string) => void;
}): Promise<{ output: INodeExecutionData[]; messages: ReceivedMessage[] }> {
	if (!['mjml', 'html'].includes(format)) throw new Error('--format takes mjml or html');
	const orders = JSON.parse(readFileSync(join(EXAMPLES, 'orders.json'), 'utf8')) as Order[];
	const templates = readTemplates(format);
	log(
		`Template: examples/order-confirmation/${format === 'mjml' ? 'html.mjml (MJML, CSS inlined)' : 'html.hbs (HTML)'}`,
	);
	const gmail = gmailFromEnvironment(env);
	let server: SmtpTestServer | undefined;
	let credentials: Record<string, unknown>;
	if (gmail) {
		credentials = gmail.credentials;
		log(`Sending ${orders.length} order confirmations through smtp.gmail.com to ${gmail.to}`);
	} else {
		server = await startSmtpTestServer({ security: 'tls' });
		credentials = credentialData(server, { fromName: 'Acme Shop (demo)' });
		log(
			`Gmail-like test SMTP server on ${server.host}:${server.port} (TLS on connect, AUTH required, the test CA)`,
		);
	}
	try {
		const output = await runBuiltNode({
			node: loadGmailSmtpNode(distDir),
			items: orders,
			credentials,
			parameters: {
				operation: 'send',
				toEmail: (order: Order) => (gmail ? gmail.to : order.email),
				subject: templates.subject,
				templateFormat: templates.templateFormat,
				html: templates.html,
				text: templates.text,
				options: {
					replyTo: 'support@example.com',
					preheader: 'Order {{order.id}}: {{order.total}} {{order.currency}}',
				},
			},
		});
		log('');
		printTable(
			output.map((item, index) => [
				gmail ? gmail.to : orders[index].email,
				renderedSubject(server, item) ?? '(see your inbox)',
				String(item.json.messageId),
			]),
			log,
		);
		log('');
		if (server) {
			const { messages } = server;
			const inItemOrder = output.flatMap(
				(item) => messages.find((message) => message.messageId === item.json.messageId) ?? [],
			);
			const files = saveReceived(inItemOrder, outDir);
			log(`${files.length} messages received; saved as .eml and .html in ${outDir}`);
		}
		return { output, messages: server ? server.messages : [] };
	} finally {
		if (server) await server.close();
	}
}

function renderedSubject(
	server: SmtpTestServer | undefined,
	item: INodeExecutionData,
): string | undefined {
	if (!server) return undefined;
	const received = server.messages.find((message) => message.messageId === item.json.messageId);
	return received ? received.parsed.subject : '(not received!)';
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: { out: { type: 'string' }, dist: { type: 'string' }, format: { type: 'string' } },
	});
	await runDemo({
		outDir: resolve(values.out || join(REPO_ROOT, 'demo-output')),
		distDir: values.dist ? resolve(values.dist) : undefined,
		format: values.format,
	});
}

if (require.main === module) {
	main().catch((error: Error & { description?: string }) => {
		console.error(`Demo failed: ${error.message}`);
		if (error.description) console.error(error.description);
		process.exitCode = 1;
	});
}
