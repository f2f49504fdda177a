/*
 * npm run bench [-- --stages stores,slowest,burst,render --write --delay 30
 *                  --sizes 1000,10000 --repeat 3 --senders A-memory,A-embedded,A-redis,C
 *                  --runs 30 --slowest-items 10000 --slowest-senders A,A-redis
 *                  --burst-calls 200 --burst-concurrency 10 --cpu-prof]
 * npm run bench:n8n runs the webhook burst alone (--stages burst).
 *
 * The SMTP server runs in this process, which also starts a redis-server when a stage needs one;
 * every sender runs in a child process of its own (senderRun.ts). Figures are ratios against
 * baselines measured in the same run. Each stage writes its own section (stages.ts lists them);
 * the time each stage took and the total are printed and written to the results.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

import { cleanUpOnInterrupt } from '../e2e/n8n/processes';
import { CREDENTIAL_DEFAULTS } from '../nodes/GmailSmtp/defaults';
import { startBenchRedis, type BenchRedis } from './benchRedis';
import { startBenchServer } from './benchServer';
import { runSender, SENDER_DESCRIPTIONS, type Sender } from './senderRun';
import type { BenchContext, MeasuredRun } from './stage';
import { STAGES } from './stages';

const REPO = join(__dirname, '..', '..');

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
	const index = args.indexOf(`--${name}`);
	return index >= 0 ? args[index + 1] : fallback;
};
const log = (line: string) => process.stderr.write(`[bench +${elapsed(started)}] ${line}\n`);
const started = Date.now();

async function main(): Promise<void> {
	const names = option(
		'stages',
		STAGES.filter((stage) => stage.byDefault)
			.map((s) => s.name)
			.join(','),
	);
	const stages = names.split(',').map((name) => {
		const stage = STAGES.find((candidate) => candidate.name === name);
		if (!stage) throw new Error(`unknown stage ${name} (${STAGES.map((s) => s.name).join(', ')})`);
		return stage;
	});
	const delayMs = Number(option('delay', '0'));
	const load = { before: loadavg()[0], highest: 0 };
	const sampler = setInterval(() => (load.highest = Math.max(load.highest, loadavg()[0])), 5000);
	// Before the first run: others may commit while it lasts.
	const code = codeVersion();
	const server = await startBenchServer(delayMs);
	let redis: Promise<BenchRedis> | undefined;
	const senders = new Set<Sender>();
	const bench: BenchContext = {
		server,
		redis: () => {
			if (!redis) {
				redis = startBenchRedis();
				cleanUpOnInterrupt(async () => (await redis)?.stop());
			}
			return redis;
		},
		option,
		log,
		async send(sender, items, label) {
			senders.add(sender);
			server.reset();
			const redisUrl = sender === 'A-redis' ? (await bench.redis()).url : '';
			if (sender === 'A-redis') await (await bench.redis()).reset();
			const profile = args.includes('--cpu-prof')
				? { dir: profileDir(), name: `${sender}-${items}-${Date.now()}.cpuprofile` }
				: undefined;
			const result = await runSender(sender, items, { port: server.port, redisUrl }, profile);
			const { connections, logins, messages } = server.counts;
			if (messages !== items) {
				throw new Error(`${sender} with ${items} items: the server received ${messages} messages`);
			}
			const run: MeasuredRun = {
				...result,
				sender,
				items,
				perSecond: (items / result.elapsedMs) * 1000,
				connections,
				logins,
				redis: sender === 'A-redis' ? await (await bench.redis()).commandStats() : undefined,
			};
			log(
				`${sender} ${items} (${label}): ${run.perSecond.toFixed(1)}/s, slowest message ${run.slowestMs.toFixed(0)} ms`,
			);
			return run;
		},
	};
	const sections: string[] = [];
	const took: Array<[string, number]> = [];
	try {
		for (const stage of stages) {
			const stageStarted = Date.now();
			log(`stage ${stage.name}`);
			sections.push(...(await stage.run(bench)));
			took.push([stage.name, Date.now() - stageStarted]);
			log(`stage ${stage.name} took ${elapsed(stageStarted)}`);
		}
	} finally {
		clearInterval(sampler);
		await server.close();
		await (await redis)?.stop();
	}
	load.highest = Math.max(load.highest, loadavg()[0]);
	const header = await headerLines({ code, delayMs, load, senders, redis: await redis, took });
	const report = [...header, ...sections].join('\n');
	process.stdout.write(report);
	if (args.includes('--write')) {
		const file = join(REPO, 'bench', delayMs > 0 ? `RESULTS-${delayMs}ms.md` : 'RESULTS.md');
		writeFileSync(file, report);
		log(`written to ${file}`);
	}
	log(`total ${elapsed(started)}`);
}

async function headerLines(run: {
	code: string;
	delayMs: number;
	load: { before: number; highest: number };
	senders: Set<Sender>;
	redis?: BenchRedis;
	took: Array<[string, number]>;
}): Promise<string[]> {
	const { code, delayMs, load, senders, redis, took } = run;
	const cores = cpus().length;
	const lines = [
		`# Benchmark — ${new Date().toISOString().slice(0, 10)}`,
		'',
		`Machine: ${cores} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${osName()}.`,
		`Load: 1-minute load average ${load.before.toFixed(2)} before the run (other work on the machine), at most ${load.highest.toFixed(2)} while it ran (the bench itself keeps about 2 busy). ${load.before >= 0.5 || args.includes('--shared') ? `The machine was shared with other work during this run, so absolute figures are noisy; compare the ratios, taken between senders of the same run that took turns.` : 'The machine was otherwise idle.'}`,
		`Code: ${code}.`,
		`Server: stock smtp-server, implicit TLS + AUTH on 127.0.0.1, ${delayMs ? `${delayMs} ms added before every reply` : 'no injected delay'} (plus smtp-server's own 100 ms greeting delay on every new connection).`,
	];
	if (redis) {
		lines.push(
			`Redis (A-redis): redis-server ${redis.version} on 127.0.0.1, started by the bench, without persistence (no RDB, no AOF); emptied before every A-redis run.`,
		);
	}
	lines.push(
		`Bench time: ${took.map(([name, ms]) => `${name} ${minutes(ms)}`).join(', ')}; total ${elapsed(started)}.`,
		'',
	);
	if (senders.size > 0) {
		lines.push(
			`Senders (each run a child process of its own with a fresh N8N_USER_FOLDER, so no ledger carries over; at most ${CREDENTIAL_DEFAULTS.maxConnections} connections each, except B):`,
		);
		for (const sender of Object.keys(SENDER_DESCRIPTIONS) as Sender[]) {
			if (senders.has(sender)) lines.push(`- **${sender}**: ${SENDER_DESCRIPTIONS[sender]}`);
		}
		lines.push('');
	}
	return lines;
}

function elapsed(since: number): string {
	return minutes(Date.now() - since);
}

function minutes(ms: number): string {
	const seconds = Math.round(ms / 1000);
	return seconds >= 60 ? `${Math.floor(seconds / 60)} min ${seconds % 60} s` : `${seconds} s`;
}

function profileDir(): string {
	const dir = join(REPO, '.bench-build', 'profiles');
	mkdirSync(dir, { recursive: true });
	return dir;
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
		const subject = git('log', '-1', '--format=%s', 'HEAD');
		// The results file itself is not code.
		const changed = git(
			'diff',
			'HEAD',
			'--name-only',
			'--',
			'nodes',
			'credentials',
			'bench',
			':!bench/RESULTS*.md',
		);
		const untracked = git('ls-files', '--others', '--exclude-standard', 'nodes', 'credentials');
		const files = [...changed.split('\n'), ...untracked.split('\n')].filter(Boolean);
		const named = `${commit} ("${subject.length > 90 ? `${subject.slice(0, 87)}…` : subject}")`;
		if (files.length === 0) return named;
		const list = files.length <= 4 ? ` (${files.join(', ')})` : '';
		return `${named} with uncommitted changes to ${files.length} files${list}`;
	} catch {
		return 'unknown (not a git checkout)';
	}
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
