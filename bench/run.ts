/*
 * npm run bench [-- --delay 30 --sizes 100,1000,10000 --builtin-max 1000
 *                  --senders A,A-memory,A-embedded,A-redis,B,C --repeat 3 --cpu-prof --write]
 *
 * The SMTP server runs in this process, which also starts a redis-server for A-redis; every sender
 * runs in a child process of its own, with a fresh N8N_USER_FOLDER, so each gets a clean heap and
 * an empty ledger and its peak RSS is its own. Figures are ratios against baselines measured in the
 * same run: B is n8n's built-in Send Email pattern, C is raw pooled nodemailer. With --repeat, the
 * senders take turns round by round and each figure is the median of its runs.
 */
import { execFileSync, fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

import { CREDENTIAL_DEFAULTS } from '../nodes/GmailSmtp/defaults';
import { startBenchRedis, type BenchRedis, type CommandStats } from './benchRedis';
import { startBenchServer } from './benchServer';
import { keepLedgersInMemory } from './inMemoryLedger';
import { measureRenderCost } from './renderCost';
import { formatResponsiveCost, measureResponsiveCost } from './responsiveCost';
import {
	orderItems,
	OUR_NODE_GUARDS,
	sendLikeBuiltInNode,
	sendRawPooled,
	sendWithOurNode,
} from './senders';

const SENDERS = ['A', 'A-memory', 'A-embedded', 'A-redis', 'B', 'C'] as const;
type Sender = (typeof SENDERS)[number];

/** The issue's bar: the Redis store keeps at least this share of the in-process throughput. */
const REDIS_BAR = { items: 1000, ratio: 0.9 };

const REPO = join(__dirname, '..', '..');

interface ChildResult {
	elapsedMs: number;
	peakRssMb: number;
}

interface Row {
	sender: Sender;
	items: number;
	round: number;
	perSecond: number;
	connections: number;
	logins: number;
	peakRssMb: number;
	/** What the Redis store asked of Redis during the run (A-redis only). */
	redis?: CommandStats;
}

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
	const index = args.indexOf(`--${name}`);
	return index >= 0 ? args[index + 1] : fallback;
};

async function child(sender: Sender, port: number, count: number, redisUrl: string) {
	const items = orderItems(count);
	if (sender === 'A-memory') keepLedgersInMemory();
	const start = process.hrtime.bigint();
	if (sender === 'B') await sendLikeBuiltInNode(port, items);
	else if (sender === 'C') await sendRawPooled(port, items, CREDENTIAL_DEFAULTS.maxConnections);
	else await sendWithOurNode(port, items, OUR_NODE_GUARDS[sender], redisUrl);
	const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
	const result: ChildResult = { elapsedMs, peakRssMb: process.resourceUsage().maxRSS / 1024 };
	process.send!(result);
	// The built-in pattern never closes its transports; do not wait for them (or for Redis).
	setImmediate(() => process.exit(0));
}

function runChild(
	sender: Sender,
	port: number,
	count: number,
	redisUrl: string,
	profileName?: string,
): Promise<ChildResult> {
	// A fresh user folder per run: the embedded ledger of one run never counts in the next.
	const userFolder = mkdtempSync(join(tmpdir(), 'gmail-smtp-bench-'));
	const profile = profileName
		? ['--cpu-prof', `--cpu-prof-dir=${profileDir()}`, `--cpu-prof-name=${profileName}`]
		: [];
	return new Promise<ChildResult>((resolve, reject) => {
		let result: ChildResult | undefined;
		const worker = fork(__filename, ['--child', sender, String(port), String(count), redisUrl], {
			env: { ...process.env, N8N_USER_FOLDER: userFolder },
			execArgv: [...process.execArgv, ...profile],
		});
		worker.once('message', (message) => (result = message as ChildResult));
		worker.once('error', reject);
		worker.once('exit', (code) => {
			if (code === 0 && result) resolve(result);
			else reject(new Error(`${sender} with ${count} items exited with ${code}`));
		});
	}).finally(() => rmSync(userFolder, { recursive: true, force: true }));
}

function profileDir(): string {
	const dir = join(REPO, '.bench-build', 'profiles');
	mkdirSync(dir, { recursive: true });
	return dir;
}

async function main(): Promise<void> {
	const delayMs = Number(option('delay', '0'));
	const sizes = option('sizes', '100,1000,10000').split(',').map(Number);
	const builtinMax = Number(option('builtin-max', '1000'));
	const rounds = Math.max(1, Number(option('repeat', '1')));
	const senders = option('senders', SENDERS.join(',')).split(',') as Sender[];
	const unknown = senders.filter((sender) => !SENDERS.includes(sender));
	if (unknown.length > 0) throw new Error(`unknown senders ${unknown.join(', ')}`);
	const profile = args.includes('--cpu-prof');

	const loadBefore = loadavg()[0];
	// Before the first run: others may commit while it lasts.
	const code = codeVersion();
	const server = await startBenchServer(delayMs);
	const redis = senders.includes('A-redis') ? await startBenchRedis() : undefined;
	const rows: Row[] = [];
	try {
		for (const items of sizes) {
			for (let round = 1; round <= rounds; round++) {
				for (const sender of senders) {
					if (sender === 'B' && items > builtinMax) continue;
					rows.push(await measure(sender, items, round, server, redis, profile));
					const row = rows[rows.length - 1];
					process.stderr.write(`${sender} ${items} #${round}: ${row.perSecond.toFixed(1)}/s\n`);
				}
			}
		}
	} finally {
		await server.close();
		await redis?.stop();
	}
	const render = measureRenderCost(10_000);
	const responsive = formatResponsiveCost(await measureResponsiveCost(1000));
	const report = formatReport(rows, render, {
		delayMs,
		builtinMax,
		rounds,
		redis,
		loadBefore,
		code,
	}).concat(responsive);
	process.stdout.write(report);
	if (args.includes('--write')) {
		const file = join(REPO, 'bench', delayMs > 0 ? `RESULTS-${delayMs}ms.md` : 'RESULTS.md');
		writeFileSync(file, report);
		process.stdout.write(`\nwritten to ${file}\n`);
	}
}

async function measure(
	sender: Sender,
	items: number,
	round: number,
	server: Awaited<ReturnType<typeof startBenchServer>>,
	redis: BenchRedis | undefined,
	profile: boolean,
): Promise<Row> {
	server.reset();
	if (sender === 'A-redis') await redis!.reset();
	const profileName = profile ? `${sender}-${items}-r${round}.cpuprofile` : undefined;
	const result = await runChild(sender, server.port, items, redis?.url ?? '', profileName);
	const { connections, logins, messages } = server.counts;
	if (messages !== items) {
		throw new Error(`${sender} with ${items} items: the server received ${messages} messages`);
	}
	return {
		sender,
		items,
		round,
		perSecond: (items / result.elapsedMs) * 1000,
		connections,
		logins,
		peakRssMb: result.peakRssMb,
		redis: sender === 'A-redis' ? await redis!.commandStats() : undefined,
	};
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function formatReport(
	rows: Row[],
	render: ReturnType<typeof measureRenderCost>,
	run: {
		delayMs: number;
		builtinMax: number;
		rounds: number;
		redis?: BenchRedis;
		/** Taken before the first run: other work on the machine skews every figure. */
		loadBefore: number;
		code: string;
	},
): string {
	const runsOf = (sender: Sender, items: number) =>
		rows.filter((row) => row.sender === sender && row.items === items);
	const rate = (sender: Sender, items: number) => {
		const runs = runsOf(sender, items);
		return runs.length > 0 ? median(runs.map((row) => row.perSecond)) : undefined;
	};
	const times = (value: number) => `${value.toFixed(2)}×`;
	const ratio = (a?: number, b?: number) => (a && b ? times(a / b) : 'n/a');
	/** The ratio within each round, where both senders ran: the spread shows the noise. */
	const pairedRatios = (a: Sender, b: Sender, items: number) =>
		runsOf(a, items).flatMap((row) => {
			const other = runsOf(b, items).find((candidate) => candidate.round === row.round);
			return other ? [row.perSecond / other.perSecond] : [];
		});
	const span = (values: number[], format: (value: number) => string) => {
		const low = Math.min(...values);
		const high = Math.max(...values);
		return low === high ? format(low) : `${format(low)}–${format(high)}`;
	};
	const sizes = [...new Set(rows.map((row) => row.items))];
	const senders = SENDERS.filter((sender) => rows.some((row) => row.sender === sender));
	const { delayMs, builtinMax, rounds, redis, loadBefore, code } = run;

	const lines = [
		`# Benchmark — ${new Date().toISOString().slice(0, 10)}`,
		'',
		`Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${osName()}; 1-minute load average ${loadBefore.toFixed(2)} before the run.`,
		`Code: ${code}.`,
		`Server: stock smtp-server, implicit TLS + AUTH on 127.0.0.1, ${delayMs ? `${delayMs} ms added before every reply` : 'no injected delay'} (plus smtp-server's own greeting delay).`,
	];
	if (redis) {
		lines.push(
			`Redis (A-redis): redis-server ${redis.version} on 127.0.0.1, started by the bench, without persistence (no RDB, no AOF); emptied before every A-redis run.`,
		);
	}
	lines.push(
		`Every run is a child process of its own with a fresh N8N_USER_FOLDER (so no ledger carries over); ${rounds > 1 ? `each figure is the median of ${rounds} runs, the senders taking turns round by round` : 'one run per figure'}. Ratios compare figures of this run.`,
		'',
		`Senders (at most ${CREDENTIAL_DEFAULTS.maxConnections} connections each, except B):`,
		"- **A**: this node's execute, as n8n calls it, with every limit of the account guard off (Daily Limit, Daily Recipient Limit and Max Messages per Second 0) and the embedded store: the guard still checks the ledger file for Gmail's push-back, but counts nothing in it.",
		"- **A-memory**: A with Daily Limit and Daily Recipient Limit 100,000 (never reached), still no rate cap, and the embedded store's ledger kept in the child's memory instead of its file (bench/inMemoryLedger.ts): the store's own decisions without lock or disk. The package has no such store (that budget would be neither shared nor kept); it is the in-process figure.",
		"- **A-embedded**: A-memory's limits with the embedded store as shipped, the default without queue mode: every message is counted in the ledger file (`N8N_USER_FOLDER/.n8n/gmail-smtp`), which is rewritten and flushed to disk under its lock.",
		'- **A-redis**: the same limits with Limit Store "Redis" on the bench\'s redis-server: the ledger, push-back and connection slots are kept in Redis and changed by Lua scripts.',
		"- **B**: n8n's built-in Send Email pattern, a new unpooled transport per item (nodemailer 8.0.10), never closed.",
		'- **C**: raw pooled nodemailer 10 with the same connection count, the ceiling for any sender.',
		'',
		'## Throughput',
		'',
		`| items | sender | msg/s | ${rounds > 1 ? 'runs (msg/s) | ' : ''}÷ C | ÷ B | conns / logins | peak RSS |`,
		`|---:|---|---:|${rounds > 1 ? '---|' : ''}---:|---:|---|---:|`,
	);
	for (const items of sizes) {
		for (const sender of senders) {
			const runs = runsOf(sender, items);
			if (runs.length === 0) {
				if (sender === 'B') lines.push(`| ${items} | B | not run (> ${builtinMax}) |`);
				continue;
			}
			const perSecond = rate(sender, items)!;
			const spread = runs.map((row) => row.perSecond.toFixed(1)).join(', ');
			const count = (pick: (row: Row) => number) => span(runs.map(pick), (value) => `${value}`);
			const cells = [
				items,
				sender,
				perSecond.toFixed(1),
				...(rounds > 1 ? [spread] : []),
				sender === 'C' ? '–' : ratio(perSecond, rate('C', items)),
				sender === 'B' ? '–' : ratio(perSecond, rate('B', items)),
				`${count((row) => row.connections)} / ${count((row) => row.logins)}`,
				`${median(runs.map((row) => row.peakRssMb)).toFixed(0)} MB`,
			];
			lines.push(`| ${cells.join(' | ')} |`);
		}
	}

	const inProcess = senders.filter((sender) => sender === 'A-memory' || sender === 'A-embedded');
	if (senders.includes('A-redis') && inProcess.length > 0) {
		const ours = senders.filter((sender) => sender.startsWith('A'));
		lines.push(
			'',
			'## Cost of the shared budget',
			'',
			`| items | ${inProcess.map((sender) => `A-redis ÷ ${sender} | per round`).join(' | ')} | ${ours.map((sender) => `${sender} ÷ C`).join(' | ')} | Redis requests / message | commands in scripts / message | Redis server time / message |`,
			`|---:|${inProcess.map(() => '---:|---|').join('')}${ours.map(() => '---:|').join('')}---:|---:|---:|`,
		);
		for (const items of sizes) {
			const redisRuns = runsOf('A-redis', items).filter((row) => row.redis);
			const perMessage = (pick: (stats: CommandStats) => number) =>
				median(redisRuns.map((row) => pick(row.redis!) / items));
			const cells = [
				items,
				...inProcess.flatMap((sender) => {
					const paired = pairedRatios('A-redis', sender, items);
					return [
						ratio(rate('A-redis', items), rate(sender, items)),
						paired.length > 0 ? paired.map(times).join(', ') : 'n/a',
					];
				}),
				...ours.map((sender) => ratio(rate(sender, items), rate('C', items))),
				redisRuns.length > 0 ? perMessage((stats) => stats.requests).toFixed(2) : 'n/a',
				redisRuns.length > 0 ? perMessage((stats) => stats.inScripts).toFixed(1) : 'n/a',
				redisRuns.length > 0 ? `${perMessage((stats) => stats.serverMicros).toFixed(1)} µs` : 'n/a',
			];
			lines.push(`| ${cells.join(' | ')} |`);
		}
		const redisRate = rate('A-redis', REDIS_BAR.items);
		if (redisRate) {
			lines.push(
				'',
				`The issue's bar, A-redis at least ${REDIS_BAR.ratio}× the in-process figure at ${REDIS_BAR.items.toLocaleString('en')} items, against each in-process sender:`,
			);
			for (const sender of inProcess) {
				const baseline = rate(sender, REDIS_BAR.items);
				if (!baseline) continue;
				const achieved = redisRate / baseline;
				lines.push(
					`- ${sender}: ${achieved >= REDIS_BAR.ratio ? '**met**' : '**not met**'} (${achieved.toFixed(3)}×)`,
				);
			}
			lines.push('');
		}
		const commands = runsOf('A-redis', sizes[sizes.length - 1]).find((row) => row.redis)?.redis;
		if (commands) {
			const breakdown = Object.entries(commands.byCommand)
				.sort((a, b) => b[1] - a[1])
				.map(([name, calls]) => `${name} ${calls}`)
				.join(', ');
			lines.push(
				`Redis commands of one A-redis run with ${sizes[sizes.length - 1]} items (requests and the commands their scripts ran): ${breakdown}.`,
			);
		}
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

/** The commit measured; the package's sources may have been changed since. */
function codeVersion(): string {
	try {
		const git = (...gitArgs: string[]) =>
			execFileSync('git', gitArgs, { cwd: REPO, stdio: ['ignore', 'pipe', 'ignore'] })
				.toString()
				.trim();
		const commit = git('rev-parse', '--short', 'HEAD');
		const changed = git('diff', 'HEAD', '--name-only', '--', 'nodes', 'credentials');
		const untracked = git('ls-files', '--others', '--exclude-standard', 'nodes', 'credentials');
		const files = [...changed.split('\n'), ...untracked.split('\n')].filter(Boolean);
		if (files.length === 0) return commit;
		const named = files.length <= 4 ? ` (${files.join(', ')})` : '';
		return `${commit} with uncommitted changes to ${files.length} files in nodes/ or credentials/${named}`;
	} catch {
		return 'unknown (not a git checkout)';
	}
}

if (process.argv[2] === '--child') {
	const [sender, port, count, redisUrl] = process.argv.slice(3);
	void child(sender as Sender, Number(port), Number(count), redisUrl);
} else {
	main().catch((error: unknown) => {
		process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
		process.exit(1);
	});
}
