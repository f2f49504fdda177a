// The account guard in a real n8n: an account's budget kept where every n8n process sees it.
// Plain n8n: each `n8n execute` is a process of its own, so a second run only knows the first
// through the embedded ledger file. Queue mode: a main and two workers, restarted in between,
// share one budget in n8n's own Redis (Limit Store "auto" finds it without any set-up).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import Redis from 'ioredis';

import { startRedisServer, type RedisTestServer } from '../../testkit/redisServer';
import { credentialData, type SmtpTestServer } from '../../testkit/smtpTestServer';
import { check, timedSteps, type BootedCheckOptions, type Log } from '../check';
import { nodeOutput, type ExecuteWorkflow, type OutputItem } from '../n8n/execution';
import { cleanUpOnInterrupt, runN8n, tail } from '../n8n/processes';
import { callWebhook, startQueueCluster, type QueueCluster } from '../n8n/queueMode';
import { n8nEnvironment } from '../n8n/runtime';
import { accountKey, embeddedCounted, embeddedLedgerExists } from '../packageState';
import {
	code,
	gmailSmtp,
	gmailSmtpCredential,
	jsonItems,
	manualTrigger,
	webhook,
	workflow,
	type ImportedCredential,
	type Workflow,
} from '../workflow';

/** Separate accounts (the budget is per account), so no other check spends from them. */
export const DAILY_LIMIT_USER = 'daily.limit@example.com';
export const QUEUE_USER = 'queue.sender@example.com';

const DAILY_LIMIT = { credentialId: 'dailyLimitThree', workflowId: 'e2eDailyLimit', limit: 3 };
const QUEUE = {
	credentialId: 'queueAccount',
	workflowId: 'e2eQueueOrders',
	webhookPath: 'gmail-smtp-queue-orders',
	webhookId: '5d0f7c1e-2b8a-4f3e-9c61-0a7b3e94d2c5',
	/** Not n8n's default `bull`: the budget's keys do not depend on it. */
	prefix: 'gmail-e2e',
	workers: 2,
	ordersPerCall: 20,
	callsBefore: 4,
	callsAfterRestart: 2,
	dailyLimit: 30,
	maxConnections: 3,
	maxPerSecond: 10,
};

const DAILY_LIMIT_TITLE = 'Daily limit of this account reached';
/** The rate is counted to completion; this margin only absorbs clock rounding. */
const RATE_WINDOW_MS = 990;

/** A Gmail SMTP node that sends one message per item and returns failures as error items. */
function sendOrders(credentialId: string) {
	return gmailSmtp(
		'Gmail SMTP',
		credentialId,
		{
			operation: 'send',
			toEmail: '={{ $json.email }}',
			subject: 'Order {{order}} confirmed',
			html: '<p>Thank you for order {{order}}.</p>',
			text: 'Thank you for order {{order}}.',
		},
		{ continueOnFail: true },
	);
}

/** Manual Trigger → three orders → Gmail SMTP on the Daily Limit 3 account. */
function dailyLimitWorkflow(): Workflow {
	const orders = Array.from({ length: 3 }, (_, index) => ({
		email: `buyer${index + 1}@example.com`,
		order: `D-${index + 1}`,
	}));
	return workflow(DAILY_LIMIT.workflowId, [
		manualTrigger(),
		jsonItems('Orders', orders),
		sendOrders(DAILY_LIMIT.credentialId),
	]);
}

/** Webhook (answers with every item of the last node) → 20 orders of the call's batch → Gmail SMTP. */
function queueWorkflow(): Workflow {
	const makeOrders = [
		'const batch = $input.first().json.body.batch;',
		`return Array.from({ length: ${QUEUE.ordersPerCall} }, (_, index) => ({`,
		'\tjson: { email: `customer-${batch}-${index + 1}@example.com`, order: `Q-${batch}-${index + 1}` },',
		'}));',
	].join('\n');
	return workflow(QUEUE.workflowId, [
		webhook('Orders webhook', { path: QUEUE.webhookPath, webhookId: QUEUE.webhookId }, 'lastNode'),
		code('Orders', makeOrders),
		sendOrders(QUEUE.credentialId),
	]);
}

/**
 * Credentials and workflows of these checks, imported with the others in one n8n boot. Both
 * credentials leave Limit Store on "auto": the process decides where the budget is kept.
 */
export function accountGuardFixtures({
	dailyLimitServer,
	queueServer,
}: {
	dailyLimitServer: SmtpTestServer;
	queueServer: SmtpTestServer;
}): { credentials: ImportedCredential[]; workflows: Workflow[] } {
	const credential = (id: string, server: SmtpTestServer, data: Record<string, unknown>) =>
		gmailSmtpCredential(id, credentialData(server, { limitStore: 'auto', ...data }));
	return {
		credentials: [
			credential(DAILY_LIMIT.credentialId, dailyLimitServer, {
				user: DAILY_LIMIT_USER,
				dailyLimit: DAILY_LIMIT.limit,
				maxPerSecond: 0,
			}),
			credential(QUEUE.credentialId, queueServer, {
				user: QUEUE_USER,
				dailyLimit: QUEUE.dailyLimit,
				maxConnections: QUEUE.maxConnections,
				maxPerSecond: QUEUE.maxPerSecond,
			}),
		],
		workflows: [dailyLimitWorkflow(), queueWorkflow()],
	};
}

/** Every item a daily-limit quota error, and nothing sent for it. */
function checkAllQuotaErrors(items: OutputItem[], label: string): void {
	for (const [index, item] of items.entries()) {
		check(
			item.messageId === undefined &&
				item.error?.kind === 'quota' &&
				item.error.message === DAILY_LIMIT_TITLE,
			`${label}: item ${index} is not the "${DAILY_LIMIT_TITLE}" quota error: ${JSON.stringify(item)}`,
		);
	}
}

/** Every messageId is the Message-ID of exactly one message the server received, and vice versa. */
function checkSentMatchReceived(sent: OutputItem[], server: SmtpTestServer, label: string): void {
	const received = server.messages.map((message) => message.messageId).sort();
	const ids = sent.map((item) => item.messageId).sort();
	check(
		ids.length === received.length && ids.every((id, index) => id === received[index]),
		`${label}: the ${ids.length} messageIds of the items are not the ${received.length} Message-IDs the server received`,
	);
}

/**
 * Plain n8n (no queue mode), Daily Limit 3: the first `n8n execute` sends three orders; the
 * second, a new process, finds them in the ledger file and sends nothing.
 */
export async function checkDailyLimitAcrossRestarts({
	execute,
	server,
	userFolder,
}: {
	execute: ExecuteWorkflow;
	server: SmtpTestServer;
	userFolder: string;
}): Promise<void> {
	const label = 'daily limit across restarts';
	const first = nodeOutput((await execute(DAILY_LIMIT.workflowId)).execution, 'Gmail SMTP');
	check(
		first !== undefined && first.length === 3,
		`${label}: first run returned ${first?.length} items, expected 3`,
	);
	for (const [index, item] of first.entries()) {
		check(
			typeof item.messageId === 'string',
			`${label}: first run, item ${index} was not sent: ${JSON.stringify(item)}`,
		);
	}
	check(server.messages.length === 3, `first run: server received ${server.messages.length}`);
	checkSentMatchReceived(first, server, `${label}, first run`);

	const account = accountKey({ user: DAILY_LIMIT_USER, host: server.host });
	const counted = (await embeddedCounted(userFolder, account)).sort();
	const sentIds = first.map((item) => item.messageId).sort();
	check(
		counted.join() === sentIds.join(),
		`${label}: the ledger counts ${JSON.stringify(counted)}, sent ${JSON.stringify(sentIds)}`,
	);

	const second = nodeOutput((await execute(DAILY_LIMIT.workflowId)).execution, 'Gmail SMTP');
	check(
		second !== undefined && second.length === 3,
		`${label}: second run returned ${second?.length} items, expected 3`,
	);
	checkAllQuotaErrors(second, `${label}, second run`);
	check(
		second.every((item) =>
			item.error?.description?.includes('sent 3 messages in the last 24 hours'),
		),
		`${label}: the quota error does not say 3 were sent: ${second[0].error?.description}`,
	);
	check(
		server.messages.length === 3,
		`${label}: the server received ${server.messages.length - 3} more after the restart`,
	);
}

/** The most messages the server received within any `windowMs`. */
function mostWithinWindow(times: number[], windowMs: number): number {
	const sorted = [...times].sort((a, b) => a - b);
	let most = 0;
	for (let start = 0, end = 0; end < sorted.length; end++) {
		while (sorted[end] - sorted[start] >= windowMs) start++;
		most = Math.max(most, end - start + 1);
	}
	return most;
}

async function ledgerCountInRedis(redis: RedisTestServer, account: string): Promise<number> {
	const client = new Redis({ host: redis.host, port: redis.port, maxRetriesPerRequest: 1 });
	try {
		// The Redis store's key layout: gmail-smtp:{<account>}:ledger, whatever n8n's queue prefix.
		return await client.zcard(`gmail-smtp:{${account}}:ledger`);
	} finally {
		client.disconnect();
	}
}

async function fireCalls(cluster: QueueCluster, batches: number[]): Promise<OutputItem[]> {
	const url = cluster.webhookUrl(QUEUE.webhookPath);
	const responses = await Promise.all(
		batches.map((batch) => callWebhook<OutputItem[]>(url, { batch })),
	);
	for (const [index, response] of responses.entries()) {
		check(
			Array.isArray(response) && response.length === QUEUE.ordersPerCall,
			`webhook call ${batches[index]} answered ${JSON.stringify(response).slice(0, 300)}, expected ${QUEUE.ordersPerCall} items`,
		);
	}
	return responses.flat();
}

/**
 * The first round in queue mode: exactly the Daily Limit sent, every other item a quota error,
 * Max Connections and Max Messages per Second held at the server, the count in n8n's Redis.
 */
async function checkSharedBudget({
	items,
	perWorker,
	server,
	redis,
	userFolder,
	log,
}: {
	items: OutputItem[];
	perWorker: number[];
	server: SmtpTestServer;
	redis: RedisTestServer;
	userFolder: string;
	log: Log;
}): Promise<void> {
	const account = accountKey({ user: QUEUE_USER, host: server.host });
	const sent = items.filter((item) => typeof item.messageId === 'string');
	const refused = items.filter((item) => item.messageId === undefined);
	const mostInOneSecond = mostWithinWindow(
		server.messages.map((message) => message.receivedAt),
		RATE_WINDOW_MS,
	);
	const ledgerCount = await ledgerCountInRedis(redis, account);
	log(
		`  queue mode: ${items.length} items: ${sent.length} sent, ${refused.length} quota errors; server received ${server.messages.length}, at most ${server.maxOpenConnections} connections at once, at most ${mostInOneSecond} in any second; executions per worker: ${perWorker.join(' + ')}; Redis ledger: ${ledgerCount}`,
	);
	checkAllQuotaErrors(refused, 'queue mode');
	check(
		server.messages.length === QUEUE.dailyLimit,
		`queue mode: the server received ${server.messages.length} messages, the Daily Limit is ${QUEUE.dailyLimit}`,
	);
	check(
		sent.length === server.messages.length,
		`queue mode: ${sent.length} items have a messageId, the server received ${server.messages.length}`,
	);
	checkSentMatchReceived(sent, server, 'queue mode');
	check(
		server.maxOpenConnections >= 1 && server.maxOpenConnections <= QUEUE.maxConnections,
		`queue mode: ${server.maxOpenConnections} connections were open at once, Max Connections is ${QUEUE.maxConnections}`,
	);
	check(
		mostInOneSecond <= QUEUE.maxPerSecond,
		`queue mode: ${mostInOneSecond} messages arrived within one second, Max Messages per Second is ${QUEUE.maxPerSecond}`,
	);
	check(
		ledgerCount === QUEUE.dailyLimit,
		`queue mode: n8n's Redis counts ${ledgerCount} messages for ${account} (n8n's queue prefix ${QUEUE.prefix}), expected ${QUEUE.dailyLimit}`,
	);
	check(
		!embeddedLedgerExists(userFolder, account),
		`queue mode: the budget went to the embedded ledger in ${userFolder} instead of n8n's Redis`,
	);
	const executions = perWorker.reduce((sum, count) => sum + count, 0);
	check(
		executions === QUEUE.callsBefore,
		`queue mode: the workers started ${perWorker.join(' + ')} executions, expected ${QUEUE.callsBefore} (main must only queue them)`,
	);
	if (perWorker.some((count) => count === 0)) {
		log(
			`  queue mode: WARNING: a worker ran no execution (${perWorker.join(' + ')}); the budget was shared through Redis, but not between two workers`,
		);
	}
}

/** n8n's own shutdown must run to its end: nothing in the package may re-raise SIGTERM. */
function checkGracefulShutdown(
	exits: Array<{ label: string; code?: number | null; signal?: string | null }>,
): void {
	const abrupt = exits.filter((exit) => exit.code !== 0);
	const how = abrupt.map((exit) => `${exit.label}: ${exit.signal ?? `exit ${exit.code}`}`);
	check(
		abrupt.length === 0,
		`queue mode: not a graceful shutdown on SIGTERM after executions ran (${how.join(', ')})`,
	);
}

/**
 * Queue mode: Redis, a main and two workers on one user folder. Four concurrent webhook calls
 * (80 orders) against a Daily Limit of 30 send exactly 30, over at most 3 connections at once
 * and at most 10 a second; after restarting every n8n process, two calls send nothing.
 * `alongside`: more checks run in the restarted cluster, each `{ name, run }`.
 */
export async function checkQueueMode({
	runtime,
	userFolder,
	logDir,
	server,
	log,
	alongside = [],
}: BootedCheckOptions<{
	name: string;
	run(boot: { cluster: QueueCluster; redis: RedisTestServer; prefix: string }): Promise<void>;
}>): Promise<void> {
	const step = timedSteps(log, 'queue mode');
	const args = runtime.activateWorkflowArgs(QUEUE.workflowId);
	await step(`workflow activated (n8n ${args[0]})`, async () => {
		const result = await runN8n(runtime, args, await n8nEnvironment(runtime, userFolder));
		writeFileSync(join(logDir, 'activate-queue-workflow.log'), result.stdout + result.stderr);
		if (result.code !== 0) {
			throw new Error(
				`n8n ${args.join(' ')} exited ${result.code}:\n${tail(result.stdout + result.stderr)}`,
			);
		}
	});
	const redis = await step('Redis started', () => startRedisServer());
	const forgetRedis = cleanUpOnInterrupt(() => redis.stop('SIGKILL'));
	const boot = (name: string) =>
		startQueueCluster(runtime, {
			userFolder,
			redis,
			prefix: QUEUE.prefix,
			workers: QUEUE.workers,
			logDir,
			name,
		});
	let cluster: QueueCluster | undefined;
	try {
		const first = await step('main + 2 workers ready', () => boot('queue'));
		cluster = first;
		const batches = Array.from({ length: QUEUE.callsBefore }, (_, index) => index + 1);
		const items = await step(`${batches.length} concurrent webhook calls answered`, () =>
			fireCalls(first, batches),
		);
		const perWorker = first.executionsPerWorker();
		const exits = await step('main and workers stopped', () => first.stop());
		cluster = undefined;
		checkGracefulShutdown(exits);

		await checkSharedBudget({ items, perWorker, server, redis, userFolder, log });

		const restarted = await step('main + 2 workers restarted (Redis kept)', () =>
			boot('queue-restarted'),
		);
		cluster = restarted;
		const moreBatches = Array.from(
			{ length: QUEUE.callsAfterRestart },
			(_, index) => batches.length + index + 1,
		);
		const after = await step(`${moreBatches.length} webhook calls after the restart answered`, () =>
			fireCalls(restarted, moreBatches),
		);
		const perWorkerAfter = restarted.executionsPerWorker();
		check(
			perWorkerAfter.reduce((sum, count) => sum + count, 0) === moreBatches.length,
			`queue mode after restart: the workers started ${perWorkerAfter.join(' + ')} executions, expected ${moreBatches.length}`,
		);
		checkAllQuotaErrors(after, 'queue mode after restart');
		check(
			server.messages.length === QUEUE.dailyLimit,
			`queue mode: the server received ${server.messages.length - QUEUE.dailyLimit} more messages after the restart`,
		);
		// Further queue-mode checks share this boot: `run({ cluster, redis, prefix })`.
		for (const { name, run } of alongside) {
			await step(name, () => run({ cluster: restarted, redis, prefix: QUEUE.prefix }));
		}
	} finally {
		const running = cluster;
		if (running) await step('main and workers stopped', () => running.stop());
		await redis.stop();
		forgetRedis();
	}
}
