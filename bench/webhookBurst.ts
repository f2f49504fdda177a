import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runN8n, startN8n } from '../e2e/n8n/processes';
import { signInAsOwner, type N8nRest } from '../e2e/n8n/rest';
import {
	installN8n,
	installPackageLikeN8n,
	n8nEnvironment,
	type N8nRuntime,
} from '../e2e/n8n/runtime';
import { reservePorts } from '../testkit/freePort';
import { TLS_DIR } from '../testkit/testTls';
import type { BenchServer } from './benchServer';
import {
	BURST_LABELS,
	BURST_WORKFLOWS,
	BURSTS,
	burstCredentials,
	burstWorkflows,
	SEND_NODE,
	type Burst,
} from './burstWorkflows';
import { met, milliseconds, percentile, table } from './report';
import { orderItems } from './senders';
import type { BenchStage } from './stage';

const N8N_VERSION = '2.41.1';
const BOOT_TIMEOUT_MS = 180_000;

export interface BurstSettings {
	calls: number;
	/** Each round runs every burst once, in the opposite order to the round before. */
	rounds: number;
	/** Webhook calls in flight at once. */
	concurrency: number;
	log: (line: string) => void;
}

/** One burst: every figure from this run. */
export interface BurstResult {
	sender: Burst;
	round: number;
	/** The send node's own time in each execution (n8n's `executionTime`), in milliseconds. */
	nodeMs: number[];
	/** Each webhook call as the caller saw it, answered once the send node finished. */
	requestMs: number[];
	wallMs: number;
	logins: number;
	connections: number;
	maxOpen: number;
}

export interface BurstRun {
	/** n8n's version and the Node it ran on. */
	n8n: string;
	results: BurstResult[];
}

/** The goal: ours at least this many times faster than the built-in node at p50, and few logins. */
const GOAL = { p50Ratio: 5, logins: 3 };

export const webhookBurst: BenchStage = {
	name: 'burst',
	byDefault: true,
	async run(bench) {
		const settings: BurstSettings = {
			calls: Number(bench.option('burst-calls', '200')),
			rounds: Math.max(1, Number(bench.option('burst-rounds', '2'))),
			concurrency: Number(bench.option('burst-concurrency', '10')),
			log: bench.log,
		};
		return reportBurst(await measureWebhookBurst(bench.server, settings), settings);
	},
};

function reportBurst(run: BurstRun, { calls, concurrency, rounds }: BurstSettings): string[] {
	const of = (sender: Burst) => run.results.filter((result) => result.sender === sender);
	/** Over every round's executions of a burst. */
	const pooled = (sender: Burst, pick: (result: BurstResult) => number[], share: number) =>
		percentile(of(sender).flatMap(pick), share);
	const nodeP50 = (sender: Burst) => pooled(sender, (result) => result.nodeMs, 0.5);
	const roundP50 = (sender: Burst, round: number) =>
		percentile(of(sender).find((result) => result.round === round)!.nodeMs, 0.5);
	const perRound = (sender: Burst) =>
		Array.from({ length: rounds }, (_, index) =>
			(roundP50('built-in', index + 1) / roundP50(sender, index + 1)).toFixed(1),
		).join('×, ') + '×';
	const speedUp = nodeP50('built-in') / nodeP50('ours');
	const logins = Math.max(...of('ours').map((result) => result.logins));
	const maxOpen = (sender: Burst) => Math.max(...of(sender).map((result) => result.maxOpen));
	const sorted = [...run.results].sort((a, b) => a.round - b.round);
	const countingCost = nodeP50('ours') - nodeP50('ours-uncounted');
	return [
		`## One order per execution: a webhook burst in real n8n (${calls} calls, ${concurrency} at a time)`,
		'',
		`${run.n8n}, \`n8n start\` (regular mode, SQLite), this package installed as n8n's installer does. One workflow per burst, Webhook (answering once the last node finished) → send node: n8n's built-in Send Email node (v2.1) with an SMTP credential; this node with the bench credential (Max Messages per Second 0 for a local server, every other setting its default: Daily Limit 500 counted in the embedded ledger, 3 connections); and, as a diagnosis of what counting costs, this node with Daily Limit and Daily Recipient Limit 0 (a credential of its own, so a pool of its own). Both nodes verify the server's certificate. The same order JSON is POSTed ${calls} times to a workflow, ${concurrency} calls in flight at once; each of ${rounds} round${rounds > 1 ? 's' : ''} runs every burst once, one after the other, the second round in the opposite order (n8n gets slower as its execution history grows), after a warm-up burst on a Webhook → No Op workflow. Node time is the send node's \`executionTime\` in each execution's data, read back through n8n's REST API; logins and connections are counted at the server over each burst.`,
		'',
		...table(
			[
				'round',
				'send node',
				'node time p50',
				'p95',
				'webhook call p50',
				'p95',
				'logins',
				'connections',
				'open at once (max)',
				'burst took',
			],
			'rlrrrrrrrr',
			sorted.map((result) => [
				result.round,
				BURST_LABELS[result.sender],
				milliseconds(percentile(result.nodeMs, 0.5)),
				milliseconds(percentile(result.nodeMs, 0.95)),
				milliseconds(percentile(result.requestMs, 0.5)),
				milliseconds(percentile(result.requestMs, 0.95)),
				result.logins,
				result.connections,
				result.maxOpen,
				`${(result.wallMs / 1000).toFixed(1)} s`,
			]),
		),
		'',
		`Per execution at p50 over all ${rounds * calls} executions of each, this node's send took ${milliseconds(nodeP50('ours'))} and the built-in node's ${milliseconds(nodeP50('built-in'))}: ${speedUp.toFixed(1)}× faster (per round ${perRound('ours')}; goal at least ${GOAL.p50Ratio}×: ${met(speedUp >= GOAL.p50Ratio)}). It logged in at most ${logins} time(s) for a whole burst (goal at most ${GOAL.logins}: ${met(logins <= GOAL.logins)}), the built-in node once per order; at most ${maxOpen('ours')} of this node's connections were open at once, against ${maxOpen('built-in')} of the built-in node's.`,
		'',
		`Without counting in the ledger, this node's send took ${milliseconds(nodeP50('ours-uncounted'))} at p50 (${(nodeP50('built-in') / nodeP50('ours-uncounted')).toFixed(1)}× faster than the built-in node; per round ${perRound('ours-uncounted')}): ${countingCost > 0 ? `counting each message in the embedded ledger cost about ${milliseconds(countingCost)} per execution at p50` : 'counting in the embedded ledger cost nothing measurable above the noise of this run'}.`,
		'',
	];
}

/**
 * The commonest real workload: a shop's webhook fires once per order, one item per execution,
 * several at once. Real n8n (`n8n start`, regular mode) with this package installed as n8n's
 * installer would, against the bench's TLS + AUTH server: the same burst through a Webhook → Gmail
 * SMTP workflow and through a Webhook → built-in Send Email workflow, one after the other.
 */
export async function measureWebhookBurst(
	server: BenchServer,
	settings: BurstSettings,
): Promise<BurstRun> {
	const { log } = settings;
	const runtime = installN8n(N8N_VERSION);
	const workDir = mkdtempSync(join(tmpdir(), 'gmail-smtp-bench-n8n-'));
	const userFolder = join(workDir, 'user');
	try {
		installPackageLikeN8n(userFolder, workDir);
		writeFileSync(join(workDir, 'credentials.json'), JSON.stringify(burstCredentials(server)));
		writeFileSync(join(workDir, 'workflows.json'), JSON.stringify(burstWorkflows()));
		const [port, brokerPort] = await reservePorts(2);
		const env = await n8nEnvironment(runtime, userFolder, {
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			// Published workflows answer at once, not after the publication outbox's next poll.
			N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'false',
			// The built-in node's SMTP credential has no CA field: n8n's Node trusts the bench CA,
			// so both nodes verify the server's certificate.
			NODE_EXTRA_CA_CERTS: join(TLS_DIR, 'ca.pem'),
		});
		for (const [command, file] of [
			['import:credentials', 'credentials.json'],
			['import:workflow', 'workflows.json'],
		]) {
			const result = await runN8n(runtime, [command, `--input=${join(workDir, file)}`], env);
			if (result.code !== 0) throw new Error(`n8n ${command} failed:\n${result.stderr}`);
		}
		const n8n = startN8n(runtime, ['start'], env, {
			label: 'n8n start',
			logFile: join(workDir, 'n8n.log'),
		});
		try {
			await n8n.waitForLog(/Editor is now accessible/, BOOT_TIMEOUT_MS);
			const base = `http://127.0.0.1:${port}`;
			const rest = await signInAsOwner(base, runtime.installDir);
			for (const { id } of Object.values(BURST_WORKFLOWS)) await rest.activateWorkflow(id);
			log(`n8n ${runtime.version} started, workflows published`);
			// n8n's own first-request costs (JIT, caches) are paid before either burst.
			await burst(`${base}/webhook/${BURST_WORKFLOWS.warmUp.path}`, settings);
			const measureBurst = async (sender: Burst, round: number): Promise<BurstResult> => {
				await connectionsClosed(server);
				server.reset();
				const url = `${base}/webhook/${BURST_WORKFLOWS[sender].path}`;
				const { wallMs, requestMs } = await burst(url, settings);
				const { logins, connections, maxOpen, messages } = server.counts;
				if (messages !== settings.calls) {
					throw new Error(`${sender}: the server received ${messages} of ${settings.calls}`);
				}
				const nodeMs = await nodeTimes(rest, BURST_WORKFLOWS[sender].id, settings.calls);
				log(`webhook burst ${sender}, round ${round}: ${(wallMs / 1000).toFixed(1)} s`);
				return { sender, round, nodeMs, requestMs, wallMs, logins, connections, maxOpen };
			};
			const results: BurstResult[] = [];
			const order = (round: number) => (round % 2 === 1 ? [...BURSTS] : [...BURSTS].reverse());
			for (let round = 1; round <= settings.rounds; round++) {
				for (const sender of order(round)) {
					results.push(await measureBurst(sender, round));
				}
			}
			return { n8n: `n8n ${runtime.version} on Node ${nodeVersion(runtime)}`, results };
		} finally {
			await n8n.stop();
		}
	} finally {
		rmSync(workDir, { recursive: true, force: true });
	}
}
/** `calls` POSTs of one order each, `concurrency` at a time. */
async function burst(url: string, { calls, concurrency }: BurstSettings) {
	const orders = orderItems(calls).map((item) => item.json);
	const requestMs: number[] = [];
	let next = 0;
	const started = performance.now();
	const caller = async () => {
		while (next < orders.length) {
			const order = orders[next++];
			const sentAt = performance.now();
			const response = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(order),
				signal: AbortSignal.timeout(120_000),
			});
			const text = await response.text();
			if (!response.ok) throw new Error(`POST ${url} answered ${response.status}: ${text}`);
			requestMs.push(performance.now() - sentAt);
		}
	};
	await Promise.all(Array.from({ length: concurrency }, caller));
	return { wallMs: performance.now() - started, requestMs };
}

/**
 * The send node's time in each of the workflow's last `count` executions, read through n8n's REST
 * API. Execution IDs count up, and the bursts run one after the other, so they are the newest
 * `count` IDs; each is checked to belong to the workflow and to have succeeded.
 */
async function nodeTimes(rest: N8nRest, workflowId: string, count: number): Promise<number[]> {
	const newest = Math.max(...(await rest.executions(workflowId)).map(({ id }) => Number(id)));
	const times: number[] = [];
	for (let id = newest - count + 1; id <= newest; id++) {
		const execution = await rest.execution(String(id));
		const run = execution.data.resultData.runData[SEND_NODE]?.[0];
		if (
			execution.workflowId !== workflowId ||
			execution.status !== 'success' ||
			run?.executionTime === undefined
		) {
			throw new Error(`execution ${id} is not a successful run of ${workflowId}`);
		}
		times.push(run.executionTime);
	}
	return times;
}

/** The built-in node's connections from the burst before are gone. */
async function connectionsClosed(server: BenchServer): Promise<void> {
	const deadline = Date.now() + 30_000;
	while (server.counts.open > 0 && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

function nodeVersion(runtime: N8nRuntime): string {
	return execFileSync(runtime.nodeBinary, ['--version']).toString().trim();
}
