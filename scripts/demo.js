'use strict';
// `npm run demo`: sends the sample orders in examples/ through the built Gmail SMTP node.
// By default to an embedded Gmail-like SMTP server (TLS on connect, test CA made at run time,
// AUTH required), saving each received message in demo-output/. With GMAIL_USER,
// GMAIL_APP_PASSWORD and DEMO_TO set, through smtp.gmail.com to DEMO_TO instead.
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');

const { generateTestCa } = require('./lib/generateTestCa');
const { localCredentialData, startLocalSmtpServer } = require('./lib/localSmtpServer');
const { loadGmailSmtpNode, runBuiltNode } = require('./lib/runBuiltNode');

const ROOT = path.join(__dirname, '..');
const EXAMPLES = path.join(ROOT, 'examples');

/** `mjml` (the default): the responsive MJML version of the template; `html`: plain HTML. */
function readTemplates(format) {
	const read = (file) => fs.readFileSync(path.join(EXAMPLES, 'order-confirmation', file), 'utf8');
	return {
		subject: read('subject.hbs').trim(),
		templateFormat: format,
		html: read(format === 'mjml' ? 'html.mjml' : 'html.hbs'),
		text: read('text.hbs'),
	};
}

function gmailFromEnvironment(env) {
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

function printTable(rows, log) {
	const headers = ['Recipient', 'Subject', 'Message ID'];
	const widths = headers.map((header, column) =>
		Math.max(header.length, ...rows.map((row) => row[column].length)),
	);
	const line = (cells) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ');
	log(line(headers));
	log(line(widths.map((width) => '-'.repeat(width))));
	for (const row of rows) log(line(row));
}

function saveReceived(messages, outDir) {
	fs.mkdirSync(outDir, { recursive: true });
	for (const file of fs.readdirSync(outDir)) {
		if (/\.(eml|html)$/.test(file)) fs.rmSync(path.join(outDir, file));
	}
	return messages.map((message, index) => {
		const base = path.join(
			outDir,
			`${String(index + 1).padStart(2, '0')}-${message.envelope.to[0]}`,
		);
		fs.writeFileSync(`${base}.eml`, message.raw);
		fs.writeFileSync(`${base}.html`, message.parsed.html || '');
		return `${base}.eml`;
	});
}

async function runDemo({ outDir, distDir, format = 'mjml', env = process.env, log = console.log }) {
	if (!['mjml', 'html'].includes(format)) throw new Error('--format takes mjml or html');
	const orders = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'orders.json'), 'utf8'));
	const templates = readTemplates(format);
	log(
		`Template: examples/order-confirmation/${format === 'mjml' ? 'html.mjml (MJML, CSS inlined)' : 'html.hbs (HTML)'}`,
	);
	const gmail = gmailFromEnvironment(env);
	let server;
	let credentials;
	if (gmail) {
		credentials = gmail.credentials;
		log(`Sending ${orders.length} order confirmations through smtp.gmail.com to ${gmail.to}`);
	} else {
		const tls = await generateTestCa();
		server = await startLocalSmtpServer({ security: 'tls', tls });
		credentials = localCredentialData(server, tls.caCert);
		log(
			`Embedded SMTP server on ${server.host}:${server.port} (TLS on connect, AUTH required, test CA made now)`,
		);
	}
	try {
		const output = await runBuiltNode({
			node: loadGmailSmtpNode(distDir),
			items: orders,
			credentials,
			parameters: {
				operation: 'send',
				toEmail: (order) => (gmail ? gmail.to : order.email),
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
			const inItemOrder = output.map((item) =>
				server.messages.find((message) => message.messageId === item.json.messageId),
			);
			const files = saveReceived(inItemOrder.filter(Boolean), outDir);
			log(`${files.length} messages received; saved as .eml and .html in ${outDir}`);
		}
		return { output, messages: server ? server.messages : [] };
	} finally {
		if (server) await server.close();
	}
}

function renderedSubject(server, item) {
	if (!server) return undefined;
	const received = server.messages.find((message) => message.messageId === item.json.messageId);
	return received ? received.parsed.subject : '(not received!)';
}

async function main() {
	const { values } = parseArgs({
		options: { out: { type: 'string' }, dist: { type: 'string' }, format: { type: 'string' } },
	});
	await runDemo({
		outDir: path.resolve(values.out || path.join(ROOT, 'demo-output')),
		distDir: values.dist ? path.resolve(values.dist) : undefined,
		format: values.format,
	});
}

if (require.main === module) {
	main().catch((error) => {
		console.error(`Demo failed: ${error.message}`);
		if (error.description) console.error(error.description);
		process.exitCode = 1;
	});
}

module.exports = { runDemo };
