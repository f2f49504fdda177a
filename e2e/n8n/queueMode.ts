// n8n in queue mode, as it runs at scale: one main that takes webhooks and queues executions,
// workers that run them, all on one Redis and one user folder (same encryption key), each
// process with its own loopback ports.
import { join } from 'node:path';

import { reservePorts } from '../../testkit/freePort';
import { startN8n, type N8nProcess, type ProcessExit } from './processes';
import { n8nEnvironment, type N8nRuntime } from './runtime';

const BOOT_TIMEOUT_MS = 120_000;
/** Logged once webhooks of published workflows are registered (see below). */
const MAIN_READY = /Editor is now accessible/;
const WORKER_READY = /n8n worker is now ready/;
/** Logged by a worker for each execution it takes from the queue. */
const WORKER_STARTED_EXECUTION = /Worker started execution/g;

export interface QueueCluster {
	main: N8nProcess;
	workers: N8nProcess[];
	webhookUrl(webhookPath: string): string;
	/** Executions each worker took from the queue so far. */
	executionsPerWorker(): number[];
	/** Stops every process; resolves with how each one ended. */
	stop(): Promise<Array<{ label: string } & Partial<ProcessExit>>>;
}

/**
 * Starts a main (`n8n start`) and `workers` workers (`n8n worker --concurrency=10`) and resolves
 * once all of them are ready; stops whatever started if one does not come up. The user folder's
 * database must exist already (any n8n command ran there): processes booting together on a new
 * SQLite file race each other in its migrations.
 */
export async function startQueueCluster(
	runtime: N8nRuntime,
	options: {
		userFolder: string;
		redis: { host: string; port: number };
		prefix: string;
		workers: number;
		logDir: string;
		name: string;
	},
): Promise<QueueCluster> {
	const { userFolder, redis, prefix, workers, logDir, name } = options;
	const queue = {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		QUEUE_BULL_PREFIX: prefix,
		// A worker waits this long for running executions when stopped.
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
	};
	// Per process: its own task broker port; the main's HTTP port, a worker's health port.
	const ports = (await reservePorts(2 * (workers + 1))).map(String);
	const next = () => ports.pop() as string;
	const port = next();
	const mainEnv = await n8nEnvironment(runtime, userFolder, {
		...queue,
		N8N_RUNNERS_BROKER_PORT: next(),
		N8N_PORT: port,
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		// n8n 2.41's publication service registers published workflows from an outbox polled every
		// 10-15 s after boot; the classic activation registers their webhooks before the main says
		// "Editor is now accessible", so the first call does not get a 404.
		N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'false',
	});
	const workerEnvs = [];
	for (let index = 0; index < workers; index++) {
		workerEnvs.push(
			await n8nEnvironment(runtime, userFolder, {
				...queue,
				N8N_RUNNERS_BROKER_PORT: next(),
				QUEUE_HEALTH_CHECK_PORT: next(),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			}),
		);
	}
	const logFile = (role: string) => join(logDir, `${name}-${role}.log`);
	const main = startN8n(runtime, ['start'], mainEnv, { label: 'main', logFile: logFile('main') });
	const workerProcesses = workerEnvs.map((env, index) =>
		startN8n(runtime, ['worker', '--concurrency=10'], env, {
			label: `worker ${index + 1}`,
			logFile: logFile(`worker-${index + 1}`),
		}),
	);
	const all = [main, ...workerProcesses];
	const stop = async () => {
		const exits = await Promise.all(all.map((child) => child.stop()));
		return exits.map((exit, index) => ({ label: all[index].label, ...exit }));
	};
	try {
		await Promise.all([
			main.waitForLog(MAIN_READY, BOOT_TIMEOUT_MS),
			...workerProcesses.map((worker) => worker.waitForLog(WORKER_READY, BOOT_TIMEOUT_MS)),
		]);
	} catch (error) {
		await stop();
		throw error;
	}
	return {
		main,
		workers: workerProcesses,
		webhookUrl: (webhookPath) => `http://127.0.0.1:${port}/webhook/${webhookPath}`,
		executionsPerWorker: () =>
			workerProcesses.map((worker) => worker.count(WORKER_STARTED_EXECUTION)),
		stop,
	};
}

/** POSTs `body` as JSON to a production webhook and returns the parsed JSON answer. */
export async function callWebhook<T = unknown>(
	url: string,
	body: unknown,
	timeoutMs = 120_000,
): Promise<T> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
		signal: AbortSignal.timeout(timeoutMs),
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`POST ${url} answered ${response.status}: ${text}`);
	return JSON.parse(text) as T;
}
