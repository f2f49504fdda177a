// The account guard's set-up errors in a real n8n: a Redis URL with a broken %-escape on the
// credential, and n8n's own QUEUE_BULL_REDIS_PASSWORD_FILE gone unreadable after n8n started (a
// secret unmounted or rotated; n8n itself refuses to start when the file is unreadable at boot).
// Each with Continue On Fail (an error item per item) and without (the node's error in the
// execution, with the fix). One `n8n start`, webhooks to trigger, the REST API to read executions.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { credentialData, type SmtpTestServer } from '../../testkit/smtpTestServer';
import { check, secondsSince, waitFor, type BootedCheckOptions } from '../check';
import type { OutputItem } from '../n8n/execution';
import { N8N_READY, startN8nMain } from '../n8n/processes';
import { signInAsOwner, type N8nRest } from '../n8n/rest';
import {
	gmailSmtp,
	gmailSmtpCredential,
	jsonItems,
	webhook,
	workflow,
	type ImportedCredential,
	type Workflow,
} from '../workflow';

const BOOT_TIMEOUT_MS = 120_000;
const BROKEN_URL_PASSWORD = 'ab%zz-secret';

interface GuardErrorCase {
	name: string;
	credentialId: string;
	data: Record<string, unknown>;
	title: string;
	fix: RegExp;
}

const CASES: GuardErrorCase[] = [
	{
		name: 'broken Redis URL',
		credentialId: 'guardBrokenRedisUrl',
		data: { limitStore: 'redis', redisUrl: `redis://:${BROKEN_URL_PASSWORD}@127.0.0.1:6390` },
		title: 'Invalid Redis URL',
		fix: /Write a % in a password as %25/,
	},
	{
		name: 'unreadable QUEUE_BULL_REDIS_PASSWORD_FILE',
		credentialId: 'guardQueueRedisFile',
		// Limit Store "Redis" without a URL: n8n's queue Redis settings, as in queue mode.
		data: { limitStore: 'redis', redisUrl: '' },
		title: "n8n's queue Redis settings unreadable",
		fix: /QUEUE_BULL_REDIS_PASSWORD_FILE names .*cannot read \(ENOENT\)/,
	},
];

const workflowId = (index: number, continueOnFail: boolean) =>
	`e2eGuardErr${index}${continueOnFail ? 'C' : 'S'}`;
const webhookPath = (index: number, continueOnFail: boolean) =>
	`gmail-smtp-guard-error-${index}-${continueOnFail ? 'continue' : 'stop'}`;

/** Webhook (answers with the last node's items) → two orders → Gmail SMTP on the case's credential. */
function guardErrorWorkflow(
	index: number,
	{ credentialId }: GuardErrorCase,
	continueOnFail: boolean,
): Workflow {
	const orders = [1, 2].map((n) => ({ email: `guard${n}@example.com`, order: `G-${n}` }));
	const hook = {
		path: webhookPath(index, continueOnFail),
		webhookId: `0a1b2c3d-4e5f-4a6b-8c7d-${String(index).padStart(2, '0')}${continueOnFail ? 'c' : 's'}000000000`,
	};
	return workflow(workflowId(index, continueOnFail), [
		webhook('Webhook', hook, 'lastNode'),
		jsonItems('Orders', orders),
		gmailSmtp(
			'Gmail SMTP',
			credentialId,
			{
				operation: 'send',
				toEmail: '={{ $json.email }}',
				subject: 'Order {{order}}',
				text: 'Order {{order}}',
			},
			{ continueOnFail },
		),
	]);
}

export function accountGuardErrorFixtures({ server }: { server: SmtpTestServer }): {
	credentials: ImportedCredential[];
	workflows: Workflow[];
} {
	return {
		credentials: CASES.map(({ credentialId, data }) =>
			gmailSmtpCredential(
				credentialId,
				credentialData(server, { user: 'guard.errors@example.com', ...data }),
			),
		),
		workflows: CASES.flatMap((guardCase, index) =>
			[true, false].map((continueOnFail) => guardErrorWorkflow(index, guardCase, continueOnFail)),
		),
	};
}

async function post(url: string): Promise<{ status: number; text: string }> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: '{}',
		signal: AbortSignal.timeout(60_000),
	});
	return { status: response.status, text: await response.text() };
}

/** Every item an error item with the case's title and fix, nothing sent, no secret shown. */
function checkErrorItems(items: OutputItem[], { name, title, fix }: GuardErrorCase): void {
	check(
		Array.isArray(items) && items.length === 2,
		`${name}, Continue On Fail: expected 2 items, got ${JSON.stringify(items)}`,
	);
	for (const [index, item] of items.entries()) {
		check(
			item.error?.message === title && fix.test(item.error.description ?? ''),
			`${name}, Continue On Fail: item ${index} is not the "${title}" error with its fix: ${JSON.stringify(item)}`,
		);
		check(
			!JSON.stringify(item).includes(BROKEN_URL_PASSWORD),
			`${name}: the Redis password shows in ${JSON.stringify(item)}`,
		);
	}
}

/** The failed execution's error: the node's, with the case's title and fix. */
async function checkNodeError(
	rest: N8nRest,
	id: string,
	{ name, title, fix }: GuardErrorCase,
): Promise<string> {
	const failed = await waitFor(
		async () => (await rest.executions(id)).find((execution) => execution.status === 'error'),
		30_000,
		`${name}, without Continue On Fail: a failed execution`,
	);
	const { data } = await rest.execution(failed.id);
	const error = data.resultData.error;
	const shown = `${error?.message} ${error?.description ?? ''}`;
	check(
		error !== undefined &&
			error.message === title &&
			fix.test(error.description ?? '') &&
			error.node?.name === 'Gmail SMTP',
		`${name}, without Continue On Fail: the execution's error is not the node's "${title}" with its fix: ${shown}`,
	);
	check(!shown.includes(BROKEN_URL_PASSWORD), `${name}: the Redis password shows in ${shown}`);
	return error.message;
}

/**
 * Boots `n8n start` with QUEUE_BULL_REDIS_PASSWORD_FILE pointing at a readable file, removes the
 * file once n8n is up, then calls each case's two workflows.
 */
export async function checkAccountGuardErrors({
	runtime,
	userFolder,
	logDir,
	server,
	log,
}: BootedCheckOptions): Promise<void> {
	const secretDir = mkdtempSync(join(tmpdir(), 'gmail-smtp-secret-'));
	const passwordFile = join(secretDir, 'redis-password');
	writeFileSync(passwordFile, 'queue-secret\n');
	const { n8n, base } = await startN8nMain(runtime, userFolder, {
		label: 'n8n start (account guard errors)',
		logFile: join(logDir, 'account-guard-errors-n8n.log'),
		env: { QUEUE_BULL_REDIS_PASSWORD_FILE: passwordFile },
		unset: ['QUEUE_BULL_REDIS_PASSWORD'],
	});
	const startedAt = Date.now();
	try {
		await n8n.waitForLog(N8N_READY, BOOT_TIMEOUT_MS);
		const rest = await signInAsOwner(base, runtime.installDir);
		for (const [index] of CASES.entries()) {
			for (const continueOnFail of [true, false]) {
				await rest.activateWorkflow(workflowId(index, continueOnFail));
			}
		}
		rmSync(secretDir, { recursive: true, force: true });
		log(
			`  account guard errors: n8n started, the password file removed (${secondsSince(startedAt)})`,
		);
		for (const [index, guardCase] of CASES.entries()) {
			const withContinue = await post(`${base}/webhook/${webhookPath(index, true)}`);
			check(
				withContinue.status === 200,
				`${guardCase.name}, Continue On Fail: the webhook answered ${withContinue.status}: ${withContinue.text}`,
			);
			checkErrorItems(JSON.parse(withContinue.text) as OutputItem[], guardCase);
			const stopped = await post(`${base}/webhook/${webhookPath(index, false)}`);
			const message = await checkNodeError(rest, workflowId(index, false), guardCase);
			log(
				`  account guard errors: ${guardCase.name}: 2 error items with Continue On Fail; without, the webhook answered ${stopped.status} and the execution failed with "${message}"`,
			);
		}
		check(server.messages.length === 0, `${server.messages.length} messages were sent anyway`);
	} finally {
		await n8n.stop();
		rmSync(secretDir, { recursive: true, force: true });
	}
}
