/*
 * npm run bench [-- --delay 30 --sizes 100,1000,10000 --builtin-max 1000 --write]
 *
 * The SMTP server runs in this process; every sender runs in a child process of its own, so each
 * gets a clean heap and its peak RSS is its own. Figures are ratios against baselines measured in
 * the same run: B is n8n's built-in Send Email pattern, C is raw pooled nodemailer.
 */
import { execFileSync, fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

import { POOL_DEFAULTS } from '../nodes/GmailSmtp/transport/smtpTransport';
import { startBenchServer } from './benchServer';
import { measureRenderCost } from './renderCost';
import { orderItems, sendLikeBuiltInNode, sendRawPooled, sendWithOurNode } from './senders';

type Sender = 'A' | 'B' | 'C';

interface ChildResult {
	elapsedMs: number;
	peakRssMb: number;
}

interface Row {
	sender: Sender;
	items: number;
	perSecond: number;
	connections: number;
	logins: number;
	messages: number;
	peakRssMb: number;
}

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
	const index = args.indexOf(`--${name}`);
	return index >= 0 ? args[index + 1] : fallback;
};

async function child(sender: Sender, port: number, count: number): Promise<void> {
	const items = orderItems(count);
	const start = process.hrtime.bigint();
	if (sender === 'A') await sendWithOurNode(port, items);
	if (sender === 'B') await sendLikeBuiltInNode(port, items);
	if (sender === 'C') await sendRawPooled(port, items, POOL_DEFAULTS.maxConnections);
	const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
	const result: ChildResult = { elapsedMs, peakRssMb: process.resourceUsage().maxRSS / 1024 };
	process.send!(result);
	// The built-in pattern never closes its transports; do not wait for them.
	setImmediate(() => process.exit(0));
}

function runChild(sender: Sender, port: number, count: number): Promise<ChildResult> {
	return new Promise((resolve, reject) => {
		const worker = fork(__filename, ['--child', sender, String(port), String(count)]);
		worker.once('message', (message) => resolve(message as ChildResult));
		worker.once('error', reject);
		worker.once('exit', (code) => {
			if (code !== 0) reject(new Error(`${sender} with ${count} items exited with ${code}`));
		});
	});
}

async function main(): Promise<void> {
	const delayMs = Number(option('delay', '0'));
	const sizes = option('sizes', '100,1000,10000').split(',').map(Number);
	const builtinMax = Number(option('builtin-max', '1000'));
	const server = await startBenchServer(delayMs);
	const rows: Row[] = [];
	try {
		for (const items of sizes) {
			for (const sender of ['A', 'B', 'C'] as Sender[]) {
				if (sender === 'B' && items > builtinMax) continue;
				server.reset();
				const result = await runChild(sender, server.port, items);
				rows.push({
					sender,
					items,
					perSecond: (items / result.elapsedMs) * 1000,
					...server.counts,
					peakRssMb: result.peakRssMb,
				});
				const row = rows[rows.length - 1];
				process.stderr.write(`${sender} ${items}: ${row.perSecond.toFixed(1)}/s\n`);
			}
		}
	} finally {
		await server.close();
	}
	const render = measureRenderCost(10_000);
	const report = formatReport(rows, render, delayMs, builtinMax);
	process.stdout.write(report);
	if (args.includes('--write')) {
		const file = join(
			__dirname,
			'..',
			'..',
			'bench',
			delayMs > 0 ? `RESULTS-${delayMs}ms.md` : 'RESULTS.md',
		);
		writeFileSync(file, report);
		process.stdout.write(`\nwritten to ${file}\n`);
	}
}

function formatReport(
	rows: Row[],
	render: ReturnType<typeof measureRenderCost>,
	delayMs: number,
	builtinMax: number,
): string {
	const find = (sender: Sender, items: number) =>
		rows.find((row) => row.sender === sender && row.items === items);
	const ratio = (a?: Row, b?: Row) =>
		a && b ? `${(a.perSecond / b.perSecond).toFixed(2)}×` : 'n/a';
	const lines = [
		`# Benchmark — ${new Date().toISOString().slice(0, 10)}`,
		'',
		`Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${osName()}.`,
		`Server: stock smtp-server, implicit TLS + AUTH on 127.0.0.1, ${delayMs ? `${delayMs} ms added before every reply` : 'no injected delay'} (plus smtp-server's own greeting delay).`,
		`A = this node's execute (${POOL_DEFAULTS.maxConnections} pooled connections by default); B = n8n's built-in Send Email pattern (new unpooled transport per item, nodemailer 8.0.10); C = raw pooled nodemailer 10 with the same connection count.`,
		'',
		'| items | A msg/s | B msg/s | C msg/s | A/B | A/C | A conns / logins | B conns / logins | C conns / logins | A peak RSS | B peak RSS | C peak RSS |',
		'|---:|---:|---:|---:|---:|---:|---|---|---|---:|---:|---:|',
	];
	for (const items of [...new Set(rows.map((row) => row.items))]) {
		const [a, b, c] = (['A', 'B', 'C'] as Sender[]).map((sender) => find(sender, items));
		const rate = (row?: Row) => (row ? row.perSecond.toFixed(1) : `not run (> ${builtinMax})`);
		const conns = (row?: Row) => (row ? `${row.connections} / ${row.logins}` : '–');
		const rss = (row?: Row) => (row ? `${row.peakRssMb.toFixed(0)} MB` : '–');
		lines.push(
			`| ${items} | ${rate(a)} | ${rate(b)} | ${rate(c)} | ${ratio(a, b)} | ${ratio(a, c)} | ${conns(a)} | ${conns(b)} | ${conns(c)} | ${rss(a)} | ${rss(b)} | ${rss(c)} |`,
		);
	}
	lines.push(
		'',
		`Rendering (10,000 items, subject + HTML with #each + text): ${render.ourMicrosPerItem.toFixed(1)} µs/item through the node's renderer, ${render.rawHandlebarsMicrosPerItem.toFixed(1)} µs/item raw Handlebars compiled once (ratio ${(render.ourMicrosPerItem / render.rawHandlebarsMicrosPerItem).toFixed(2)}); templates compiled for all 10,000 items: ${render.compilesForAllItems}.`,
		'',
	);
	return lines.join('\n');
}

function osName(): string {
	try {
		return execFileSync('uname', ['-sr']).toString().trim();
	} catch {
		return process.platform;
	}
}

if (process.argv[2] === '--child') {
	void child(process.argv[3] as Sender, Number(process.argv[4]), Number(process.argv[5]));
} else {
	main().catch((error: unknown) => {
		process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
		process.exit(1);
	});
}
