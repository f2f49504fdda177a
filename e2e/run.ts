// `npm run test:n8n`: proves the packed package inside real n8n, once per version in
// N8N_VERSIONS (n8n/runtime.ts): n8n 2.41.1 on Node 24, then n8n 1.123.81 on the system Node 20,
// each installed by n8n/install-n8n.sh. N8N_E2E_VERSIONS=1.123.81 runs only the versions given;
// N8N_E2E_ONLY=<regular expression> only the checks whose label matches.
// Imports credentials and workflows with `n8n import:*`, runs them with `n8n execute`, and
// checks that every output item's messageId is the Message-ID the test SMTP server received,
// over implicit TLS and STARTTLS with certificate verification on, then runs the examples (the
// stop-on-reply one against Debian's Dovecot, its mailbox filled with a reply and a bounce while
// the execution runs).
// Then the account guard: a Daily Limit kept across n8n restarts (embedded ledger); Send and Wait
// for Response answered through n8n's signed links in a running `n8n start` (with the examples
// that wait for an answer), and in the same boot the node as an AI tool: an MCP client lists and
// calls the Gmail SMTP Tool behind an MCP Server Trigger, no language model needed; and one budget
// shared by a main and two workers in queue mode (n8n's Redis), restarted in between. One-click
// unsubscribes (checks/unsubscribeChecks.ts) run in those two boots, through an HTTPS reverse
// proxy. Prints a summary per version; logs of a failed version are kept.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startHttpsProxy, type HttpsProxy } from '../testkit/httpsProxy';
import {
	credentialData,
	startSmtpTestServer,
	type SmtpTestServer,
} from '../testkit/smtpTestServer';
import { CheckFailed, messageOf, secondsSince, type Log } from './check';
import {
	accountGuardFixtures,
	checkDailyLimitAcrossRestarts,
	checkQueueMode,
	DAILY_LIMIT_USER,
	QUEUE_USER,
} from './checks/accountGuardChecks';
import {
	accountGuardErrorFixtures,
	checkAccountGuardErrors,
} from './checks/accountGuardErrorChecks';
import { MCP, mcpToolCases, mcpToolFixtures } from './checks/mcpToolChecks';
import { checkSendAndWait } from './checks/sendAndWaitChecks';
import { SEND_AND_WAIT_EXAMPLES, sendAndWaitFixtures } from './checks/sendAndWaitWorkflows';
import { sendCases, sendWorkflow } from './checks/sendChecks';
import { checkStopOnReply, stopOnReplyFixtures } from './checks/stopOnReplyChecks';
import {
	checkUnsubscribesInQueueMode,
	UNSUBSCRIBE_WORKFLOW_IDS,
	unsubscribeCases,
	unsubscribeFixtures,
} from './checks/unsubscribeChecks';
import { exampleFiles, loadExampleWithShortWaits } from './examples';
import { parseExecution, type ExecuteWorkflow } from './n8n/execution';
import { leftoverProcesses, runN8n, tail } from './n8n/processes';
import {
	installN8n,
	installPackageLikeN8n,
	N8N_VERSIONS,
	n8nEnvironment,
	type N8nRuntime,
} from './n8n/runtime';
import { gmailSmtpCredential } from './workflow';

const EXAMPLE_CREDENTIAL_ID = 'localGmailSmtp';

const started = Date.now();
/** A logger whose lines name the n8n version they are about. */
const logger =
	(tag = ''): Log =>
	(message) =>
		console.log(`[test:n8n${tag} +${Math.round((Date.now() - started) / 1000)}s] ${message}`);
const log = logger();

/** The test servers of one version's run. */
interface Servers {
	tlsServer: SmtpTestServer;
	startTlsServer: SmtpTestServer;
	/** Its own server: the queue-mode check counts every message and connection it sees. */
	queueServer: SmtpTestServer;
	/** n8n's webhooks behind HTTPS, as unsubscribe links need. */
	proxy: HttpsProxy;
}

type Outcome = 'PASS' | 'FAIL' | 'SKIP';
interface CheckResult {
	label: string;
	outcome: Outcome;
	seconds: number;
}

/**
 * Every check against one installed n8n; returns each check's outcome. Throws only when the
 * set-up before the checks breaks.
 */
async function runChecks(
	runtime: N8nRuntime,
	workDir: string,
	servers: Servers,
	log: Log,
): Promise<CheckResult[]> {
	const { tlsServer, startTlsServer, queueServer, proxy } = servers;
	const userFolder = join(workDir, 'user');
	const packageDir = installPackageLikeN8n(userFolder, workDir);
	log(`package installed at ${packageDir}`);

	const accountGuard = accountGuardFixtures({ dailyLimitServer: tlsServer, queueServer });
	// The examples' credential also reaches the IMAP server the stop-on-reply check starts.
	const stopOnReply = await stopOnReplyFixtures({ credentialId: EXAMPLE_CREDENTIAL_ID });
	const accountGuardErrors = accountGuardErrorFixtures({ server: tlsServer });
	const unsubscribes = unsubscribeFixtures({ server: tlsServer, proxy });
	const credentials = [
		gmailSmtpCredential('tlsVerified', credentialData(tlsServer)),
		gmailSmtpCredential('starttlsVerified', credentialData(startTlsServer)),
		gmailSmtpCredential('tlsUntrusted', credentialData(tlsServer, { caCertificate: '' })),
		gmailSmtpCredential(
			EXAMPLE_CREDENTIAL_ID,
			credentialData(tlsServer, stopOnReply.credentialData),
		),
		...accountGuard.credentials,
		...accountGuardErrors.credentials,
		...unsubscribes.credentials,
	];
	// An example that waits for a person's answer cannot finish under `n8n execute`: the send and
	// wait check imports its own copy (started by a Webhook node) and answers it in `n8n start`.
	const examples = exampleFiles().filter((file) => !SEND_AND_WAIT_EXAMPLES.includes(file));
	const workflows = [
		sendWorkflow('e2eTls', 'tlsVerified'),
		sendWorkflow('e2eStartTls', 'starttlsVerified'),
		sendWorkflow('e2eUntrusted', 'tlsUntrusted'),
		...examples.map(loadExampleWithShortWaits),
		...accountGuard.workflows,
		...accountGuardErrors.workflows,
		...sendAndWaitFixtures({ credentialId: EXAMPLE_CREDENTIAL_ID }).workflows,
		...mcpToolFixtures({ credentialId: EXAMPLE_CREDENTIAL_ID, runtime }).workflows,
		...stopOnReply.workflows,
		...unsubscribes.workflows,
	];
	writeFileSync(join(workDir, 'credentials.json'), JSON.stringify(credentials));
	writeFileSync(join(workDir, 'workflows.json'), JSON.stringify(workflows));

	const env = await n8nEnvironment(runtime, userFolder);
	const n8n = async (label: string, args: string[]) => {
		const result = await runN8n(runtime, args, env);
		writeFileSync(
			join(workDir, `${label}.log`),
			`${result.stdout}\n--- stderr ---\n${result.stderr}`,
		);
		return result;
	};
	for (const [label, args] of [
		['import-credentials', ['import:credentials', `--input=${join(workDir, 'credentials.json')}`]],
		['import-workflows', ['import:workflow', `--input=${join(workDir, 'workflows.json')}`]],
	] as const) {
		const result = await n8n(label, [...args]);
		if (result.code !== 0) {
			throw new Error(
				`n8n ${args[0]} exited ${result.code}:\n${tail(result.stdout + result.stderr)}`,
			);
		}
		log(`n8n ${args[0]}: ok`);
	}

	const execute: ExecuteWorkflow = async (workflowId, { expectFailure = false } = {}) => {
		const result = await n8n(`execute-${workflowId}`, [
			'execute',
			`--id=${workflowId}`,
			'--rawOutput',
		]);
		const execution = parseExecution(result.stdout);
		const error = execution?.data?.resultData?.error;
		if (!expectFailure && (result.code !== 0 || !execution || error)) {
			throw new CheckFailed(
				`n8n execute --id=${workflowId} exited ${result.code}${error ? `: ${error.message} ${error.description ?? ''}` : ''}\n${tail(result.stdout + result.stderr)}`,
			);
		}
		return { execution: execution ?? { data: { resultData: { runData: {} } } }, error, result };
	};

	const cases: Array<[label: string, server: SmtpTestServer, run: () => Promise<void>]> = [
		...sendCases({ execute, tlsServer, startTlsServer }),
		[
			'example: CRM stop on reply or bounce (Dovecot IMAP; a reply and a DSN filed as the first emails arrive, wait 1 s, one threaded follow-up, mailbox unchanged); a search Dovecot is made to refuse becomes an error item',
			tlsServer,
			() =>
				checkStopOnReply({
					execute,
					server: tlsServer,
					imapPort: stopOnReply.imapPort,
					userFolder,
					log,
				}),
		],
		[
			'account guard, plain n8n: Daily Limit 3 kept across restarts in the embedded ledger',
			tlsServer,
			() => checkDailyLimitAcrossRestarts({ execute, server: tlsServer, userFolder }),
		],
		[
			'n8n start: send and wait answered in Chromium (Approve, a second click, Decline, Approve only, forged links, link fetchers, Confirm on Page, Free Text, Custom Form with every field type, Loop Over Items with a stale link, example: CRM discount approval); agent use through the MCP Server Trigger (tools listed, Gmail SMTP Tool called with $fromAI values, template injection, missing value); one-click unsubscribe through HTTPS (RFC 8058 POST, Chromium page)',
			tlsServer,
			() =>
				checkSendAndWait({
					runtime,
					userFolder,
					logDir: workDir,
					server: tlsServer,
					log,
					alongside: [
						{
							name: 'agent use (MCP)',
							workflowIds: [MCP.workflowId],
							cases: ({ base, rest }) => mcpToolCases({ base, rest, runtime, server: tlsServer }),
						},
						{
							name: 'unsubscribes',
							workflowIds: UNSUBSCRIBE_WORKFLOW_IDS,
							cases: ({ base, rest }) =>
								unsubscribeCases({ base, rest, server: tlsServer, proxy, userFolder, log }),
						},
					],
				}),
		],
		[
			'account guard errors: a broken Redis URL and an unreadable QUEUE_BULL_REDIS_PASSWORD_FILE give error items with Continue On Fail, the node error without',
			tlsServer,
			() =>
				checkAccountGuardErrors({ runtime, userFolder, logDir: workDir, server: tlsServer, log }),
		],
		[
			'account guard, queue mode: main + 2 workers share one budget in Redis, across a restart; an unsubscribe recorded by the main is honoured by both workers',
			queueServer,
			() =>
				checkQueueMode({
					runtime,
					userFolder,
					logDir: workDir,
					server: queueServer,
					log,
					alongside: [
						{
							name: 'unsubscribe recorded by the main, honoured by both workers',
							run: ({ cluster, redis }) =>
								checkUnsubscribesInQueueMode({
									cluster,
									redis,
									runtime,
									server: tlsServer,
									proxy,
									userFolder,
									log,
								}),
						},
					],
				}),
		],
	];

	// While developing, N8N_E2E_ONLY=<regular expression> runs only the checks whose label matches;
	// CI sets nothing and runs every check.
	const only = process.env.N8N_E2E_ONLY ? new RegExp(process.env.N8N_E2E_ONLY, 'i') : undefined;
	const results: CheckResult[] = [];
	for (const [label, server, run] of cases) {
		if (only && !only.test(label)) {
			results.push({ label, outcome: 'SKIP', seconds: 0 });
			continue;
		}
		tlsServer.messages.length = 0;
		startTlsServer.messages.length = 0;
		const caseStarted = Date.now();
		const seconds = () => (Date.now() - caseStarted) / 1000;
		try {
			await run();
			log(`PASS ${label} (${secondsSince(caseStarted)}, ${server.messages.length} received)`);
			results.push({ label, outcome: 'PASS', seconds: seconds() });
		} catch (error) {
			log(`FAIL ${label}\n    ${messageOf(error).replace(/\n/g, '\n    ')}`);
			if (!(error instanceof CheckFailed)) log(String((error as Error).stack));
			results.push({ label, outcome: 'FAIL', seconds: seconds() });
		}
	}
	return results;
}

/** The test servers of one version's run, with the test CA's certificate. */
async function startServers(log: Log): Promise<Servers> {
	const started: Array<{ close(): Promise<void> }> = [];
	const track = async <T extends { close(): Promise<void> }>(server: Promise<T>) => {
		const running = await server;
		started.push(running);
		return running;
	};
	try {
		const servers = {
			tlsServer: await track(startSmtpTestServer({ security: 'tls', users: [DAILY_LIMIT_USER] })),
			startTlsServer: await track(startSmtpTestServer({ security: 'starttls' })),
			queueServer: await track(startSmtpTestServer({ security: 'tls', users: [QUEUE_USER] })),
			proxy: await track(startHttpsProxy()),
		};
		log(
			`test SMTP servers: TLS on ${servers.tlsServer.port}, STARTTLS on ${servers.startTlsServer.port}, queue mode on ${servers.queueServer.port}`,
		);
		return servers;
	} catch (error) {
		await Promise.all(started.map((server) => server.close()));
		throw error;
	}
}

async function closeServers(servers: Servers): Promise<void> {
	await Promise.all(Object.values(servers).map((server) => server.close()));
}

interface VersionSummary {
	version: string;
	node: string;
	results: CheckResult[];
	installSeconds: number;
	seconds: number;
	error?: string;
	failed?: boolean;
}

/**
 * Installs one n8n version (or reuses it) and runs every check in it, in a work folder of its
 * own; kept when anything failed. Never throws: a broken set-up is reported as the version's
 * `error`.
 */
async function runVersion(version: string): Promise<VersionSummary> {
	const log = logger(` n8n ${version}`);
	const versionStarted = Date.now();
	const summary: VersionSummary = {
		version,
		node: '?',
		results: [],
		installSeconds: 0,
		seconds: 0,
	};
	const workDir = mkdtempSync(join(tmpdir(), `gmail-smtp-n8n-e2e-${version}-`));
	let servers: Servers | undefined;
	try {
		log('installing n8n into the cache (reused when present)');
		const runtime = installN8n(version);
		summary.installSeconds = (Date.now() - versionStarted) / 1000;
		summary.node = execFileSync(runtime.nodeBinary, ['--version'], { encoding: 'utf8' }).trim();
		const versionEnv = Object.entries(runtime.env).map(([name, value]) => `${name}=${value}`);
		log(
			`n8n ${version} ready in ${summary.installSeconds.toFixed(1)} s at ${runtime.installDir}, on Node ${summary.node}, with ${versionEnv.join(' ')}; every check applies to this version, none is skipped`,
		);
		servers = await startServers(log);
		summary.results = await runChecks(runtime, workDir, servers, log);
	} catch (error) {
		summary.error = messageOf(error);
		log(`FAILED before all checks ran: ${summary.error}`);
		if (!(error instanceof CheckFailed)) log(String((error as Error).stack));
	} finally {
		if (servers) await closeServers(servers);
	}
	// Every n8n process was stopped by its check: anything still running in their process groups
	// would outlive this script and hold its ports.
	const leftovers = leftoverProcesses({ kill: true });
	if (leftovers.length > 0) {
		summary.error = [
			summary.error,
			`${leftovers.length} processes outlived their n8n (killed now): ${leftovers.map(({ pid, command }) => `${pid} ${command.slice(0, 120)}`).join('; ')}`,
		]
			.filter(Boolean)
			.join('; ');
		log(`FAIL ${summary.error}`);
	}
	summary.seconds = (Date.now() - versionStarted) / 1000;
	summary.failed =
		Boolean(summary.error) || summary.results.some((result) => result.outcome === 'FAIL');
	if (summary.failed) {
		log(`logs kept in ${workDir}`);
	} else {
		rmSync(workDir, { recursive: true, force: true });
	}
	return summary;
}

/** One block per version: the checks with their outcome and time, then the counts. */
function printSummary(summaries: VersionSummary[]): void {
	log('summary');
	for (const summary of summaries) {
		const passed = summary.results.filter((result) => result.outcome === 'PASS').length;
		const skipped = summary.results.filter((result) => result.outcome === 'SKIP').length;
		console.log(
			`  n8n ${summary.version} on Node ${summary.node}: ${summary.failed ? 'FAILED' : 'PASSED'}, ${passed} of ${summary.results.length} checks passed, ${skipped ? `${skipped} skipped by N8N_E2E_ONLY` : 'none skipped'}, in ${summary.seconds.toFixed(1)} s (install ${summary.installSeconds.toFixed(1)} s)`,
		);
		for (const result of summary.results) {
			console.log(
				`    ${result.outcome} ${result.seconds.toFixed(1).padStart(6)} s  ${result.label}`,
			);
		}
		if (summary.error) console.log(`    ERROR ${summary.error}`);
	}
}

async function main(): Promise<void> {
	const versions = (process.env.N8N_E2E_VERSIONS ?? Object.keys(N8N_VERSIONS).join(','))
		.split(',')
		.map((version) => version.trim())
		.filter(Boolean);
	const unknown = versions.filter((version) => !N8N_VERSIONS[version]);
	if (versions.length === 0 || unknown.length > 0) {
		throw new Error(
			`N8N_E2E_VERSIONS: ${unknown.join(', ') || 'none given'}; known: ${Object.keys(N8N_VERSIONS).join(', ')}`,
		);
	}
	log(`n8n versions: ${versions.join(', ')}`);
	const summaries = [];
	for (const version of versions) summaries.push(await runVersion(version));
	printSummary(summaries);
	const failed = summaries.filter((summary) => summary.failed);
	if (failed.length > 0) {
		log(
			`FAILED in n8n ${failed.map((summary) => summary.version).join(', ')} (${secondsSince(started)} in all)`,
		);
		process.exitCode = 1;
		return;
	}
	const checks = summaries.reduce((sum, summary) => sum + summary.results.length, 0);
	log(
		`all ${checks} checks passed in real n8n ${versions.join(' and ')} (${secondsSince(started)} in all)`,
	);
}

main().catch((error: unknown) => {
	log(`FAILED: ${messageOf(error)}`);
	process.exitCode = 1;
});
