'use strict';
// `npm run test:n8n`: proves the packed package inside real n8n, once per version in
// N8N_VERSIONS (n8nRuntime.js): n8n 2.41.1 on Node 24, then n8n 1.123.81 on the system Node 20,
// each installed by install-n8n.sh. N8N_E2E_VERSIONS=1.123.81 runs only the versions given.
// Imports a credential and workflows with `n8n import:*`, runs them with `n8n execute`, and
// checks that every output item's messageId is the Message-ID the local SMTP server received,
// over implicit TLS and STARTTLS with certificate verification on, then runs the examples (the
// stop-on-reply one against Debian's Dovecot, its mailbox filled with a reply and a bounce while
// the execution runs).
// Then the account guard: a Daily Limit kept across n8n restarts (embedded ledger); Send and Wait
// for Response answered through n8n's signed links in a running `n8n start` (with the examples
// that wait for an answer), and in the same boot the node as an AI tool: an MCP client lists and
// calls the Gmail SMTP Tool behind an MCP Server Trigger, no language model needed; and one budget
// shared by a main and two workers in queue mode (n8n's Redis), restarted in between. One-click
// unsubscribes (unsubscribeChecks.js) run in those two boots, through an HTTPS reverse proxy.
// Prints a summary per version; logs of a failed version are kept.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { generateTestCa } = require('../lib/generateTestCa');
const { startHttpsProxy } = require('../lib/httpsProxy');
const { localCredentialData, startLocalSmtpServer } = require('../lib/localSmtpServer');
const {
	DAILY_LIMIT_USER,
	QUEUE_USER,
	accountGuardFixtures,
	checkDailyLimitAcrossRestarts,
	checkQueueMode,
} = require('./accountGuardChecks');
const { accountGuardErrorFixtures, checkAccountGuardErrors } = require('./accountGuardErrorChecks');
const {
	N8N_VERSIONS,
	ROOT,
	installN8n,
	installPackageLikeN8n,
	leftoverProcesses,
	n8nEnvironment,
	nodeOutput,
	parseExecution,
	runN8n,
	tail,
} = require('./n8nRuntime');
const { MCP, mcpToolCases, mcpToolFixtures } = require('./mcpToolChecks');
const {
	SEND_AND_WAIT_EXAMPLES,
	checkSendAndWait,
	sendAndWaitFixtures,
} = require('./sendAndWaitChecks');
const { checkStopOnReply, stopOnReplyFixtures } = require('./stopOnReplyChecks');
const {
	UNSUBSCRIBE_WORKFLOW_IDS,
	checkUnsubscribesInQueueMode,
	unsubscribeCases,
	unsubscribeFixtures,
} = require('./unsubscribeChecks');
const { CheckFailed, GMAIL_SMTP_TYPE, chain, check, secondsSince } = require('./testKit');

const EXAMPLE_CREDENTIAL_ID = 'localGmailSmtp';
const PEOPLE = [
	{ email: 'ada@example.com', firstName: 'Ada' },
	{ email: '"Hopper, Grace" <grace@example.com>', firstName: 'Grace' },
	{ email: 'alan@example.com', firstName: 'Alan <the> "codebreaker"' },
	{ email: 'katherine@example.com', firstName: 'Katherine' },
	{ email: 'edsger@example.com', firstName: 'Edsger' },
];

const started = Date.now();
/** A logger whose lines name the n8n version they are about. */
const logger =
	(tag = '') =>
	(message) =>
		console.log(`[test:n8n${tag} +${Math.round((Date.now() - started) / 1000)}s] ${message}`);
const log = logger();

/** Manual Trigger → Code (the PEOPLE items) → Gmail SMTP, with the given credential. */
function sendWorkflow(id, credentialId) {
	return {
		id,
		name: `test:n8n ${id}`,
		active: false,
		settings: { executionOrder: 'v1' },
		connections: chain('Start', 'People', 'Gmail SMTP'),
		nodes: [
			{
				id: `${id}-1`,
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: `${id}-2`,
				name: 'People',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [200, 0],
				parameters: { jsCode: `return ${JSON.stringify(PEOPLE)}.map((json) => ({ json }));` },
			},
			{
				id: `${id}-3`,
				name: 'Gmail SMTP',
				type: GMAIL_SMTP_TYPE,
				typeVersion: 1,
				position: [400, 0],
				parameters: {
					operation: 'send',
					toEmail: '={{ $json.email }}',
					subject: 'Hi {{firstName}}',
					html: '<p>Hello {{firstName}}, this came through a real n8n.</p>',
					text: 'Hello {{firstName}}',
				},
				credentials: { gmailSmtpApi: { id: credentialId, name: credentialId } },
			},
		],
	};
}

function loadExample(file) {
	const workflow = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8'));
	for (const node of workflow.nodes) {
		// Three days are three days in n8n too; the sequence is the same with one second.
		if (node.type === 'n8n-nodes-base.wait')
			Object.assign(node.parameters, { amount: 1, unit: 'seconds' });
	}
	return workflow;
}

/** Every output item's messageId is the Message-ID of exactly one received message. */
function checkMessageIds(items, server, label) {
	check(items.length > 0, `${label}: the Gmail SMTP node returned no items`);
	for (const [index, item] of items.entries()) {
		check(
			typeof item.messageId === 'string',
			`${label}: item ${index} has no messageId: ${JSON.stringify(item)}`,
		);
		const received = server.messages.filter((message) => message.messageId === item.messageId);
		check(
			received.length === 1,
			`${label}: item ${index} messageId ${item.messageId} matches ${received.length} received messages (received: ${server.messages.map((message) => message.messageId).join(', ')})`,
		);
	}
}

function received(server, messageId) {
	return server.messages.find((message) => message.messageId === messageId);
}

/**
 * Every check against one installed n8n; returns each check's outcome. Throws only when the
 * set-up before the checks breaks.
 * @returns {Promise<{ label: string, outcome: 'PASS' | 'FAIL', seconds: number }[]>}
 */
async function runChecks(runtime, workDir, servers, log) {
	const { tls, tlsServer, startTlsServer, queueServer, proxy } = servers;
	const userFolder = path.join(workDir, 'user');
	const packageDir = installPackageLikeN8n(userFolder, workDir);
	log(`package installed at ${packageDir}`);

	const accountGuard = accountGuardFixtures({
		dailyLimitServer: tlsServer,
		queueServer,
		caCert: tls.caCert,
	});

	// The examples' credential also reaches the IMAP server the stop-on-reply check starts.
	const stopOnReply = await stopOnReplyFixtures({ credentialId: EXAMPLE_CREDENTIAL_ID });
	const credentials = [
		['tlsVerified', tlsServer, tls.caCert],
		['starttlsVerified', startTlsServer, tls.caCert],
		['tlsUntrusted', tlsServer, ''],
		[EXAMPLE_CREDENTIAL_ID, tlsServer, tls.caCert, stopOnReply.credentialData],
	].map(([id, server, caCert, imap]) => ({
		id,
		name: id,
		type: 'gmailSmtpApi',
		data: { ...localCredentialData(server, caCert), ...imap },
	}));
	credentials.push(...accountGuard.credentials);
	const accountGuardErrors = accountGuardErrorFixtures({ server: tlsServer, caCert: tls.caCert });
	credentials.push(...accountGuardErrors.credentials);
	const unsubscribes = unsubscribeFixtures({ server: tlsServer, caCert: tls.caCert, proxy });
	credentials.push(...unsubscribes.credentials);
	// An example that waits for a person's answer cannot finish under `n8n execute`: the send and
	// wait check imports its own copy (started by a Webhook node) and answers it in `n8n start`.
	const exampleFiles = fs
		.readdirSync(path.join(ROOT, 'examples'))
		.filter((file) => file.endsWith('.workflow.json') && !SEND_AND_WAIT_EXAMPLES.includes(file));
	const workflows = [
		sendWorkflow('e2eTls', 'tlsVerified'),
		sendWorkflow('e2eStartTls', 'starttlsVerified'),
		sendWorkflow('e2eUntrusted', 'tlsUntrusted'),
		...exampleFiles.map(loadExample),
		...accountGuard.workflows,
		...accountGuardErrors.workflows,
		...sendAndWaitFixtures({ credentialId: EXAMPLE_CREDENTIAL_ID }).workflows,
		...mcpToolFixtures({ credentialId: EXAMPLE_CREDENTIAL_ID, runtime }).workflows,
		...stopOnReply.workflows,
		...unsubscribes.workflows,
	];
	fs.writeFileSync(path.join(workDir, 'credentials.json'), JSON.stringify(credentials));
	fs.writeFileSync(path.join(workDir, 'workflows.json'), JSON.stringify(workflows));

	const env = await n8nEnvironment(runtime, userFolder);
	const n8n = async (label, args) => {
		const result = await runN8n(runtime, args, env);
		fs.writeFileSync(
			path.join(workDir, `${label}.log`),
			`${result.stdout}\n--- stderr ---\n${result.stderr}`,
		);
		return result;
	};
	for (const [label, args] of [
		[
			'import-credentials',
			['import:credentials', `--input=${path.join(workDir, 'credentials.json')}`],
		],
		['import-workflows', ['import:workflow', `--input=${path.join(workDir, 'workflows.json')}`]],
	]) {
		const result = await n8n(label, args);
		if (result.code !== 0) {
			throw new Error(
				`n8n ${args[0]} exited ${result.code}:\n${tail(result.stdout + result.stderr)}`,
			);
		}
		log(`n8n ${args[0]}: ok`);
	}

	/** Runs a workflow and returns the parsed execution; `expectFailure` for the negative case. */
	const execute = async (workflowId, { expectFailure = false } = {}) => {
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
		return { execution, error, result };
	};

	const cases = [
		...[
			['implicit TLS (465 style)', 'e2eTls', tlsServer],
			['STARTTLS (587 style)', 'e2eStartTls', startTlsServer],
		].map(([label, workflowId, server]) => [
			`${label}, certificate verified against the test CA`,
			server,
			async () => {
				const { execution } = await execute(workflowId);
				const items = nodeOutput(execution, 'Gmail SMTP');
				check(
					items.length === PEOPLE.length,
					`expected ${PEOPLE.length} output items, got ${items.length}`,
				);
				check(
					server.messages.length === PEOPLE.length,
					`server received ${server.messages.length} messages`,
				);
				checkMessageIds(items, server, label);
				for (const [index, person] of PEOPLE.entries()) {
					const message = received(server, items[index].messageId);
					check(
						message.parsed.subject === `Hi ${person.firstName}`,
						`item ${index}: subject "${message.parsed.subject}" is not the rendered Handlebars template`,
					);
					check(
						message.envelope.to.length === 1 && person.email.includes(message.envelope.to[0]),
						`item ${index}: sent to ${message.envelope.to} instead of ${person.email}`,
					);
				}
				const escaped = received(server, items[2].messageId).parsed.html;
				check(
					escaped.includes('Alan &lt;the&gt; &quot;codebreaker&quot;'),
					`item data not HTML-escaped: ${escaped}`,
				);
			},
		]),
		[
			'a server certificate that the credential does not trust is refused',
			tlsServer,
			async () => {
				const { error, result } = await execute('e2eUntrusted', { expectFailure: true });
				check(result.code !== 0 && error, `the workflow did not fail (exit ${result.code})`);
				const text = `${error.message} ${error.description ?? ''}`;
				check(/certificate/i.test(text), `the error does not name the certificate: ${text}`);
				check(
					tlsServer.messages.length === 0,
					`${tlsServer.messages.length} messages were sent anyway`,
				);
			},
		],
		[
			'example: order notification (MJML, CSS inlined)',
			tlsServer,
			async () => {
				const { execution } = await execute('gmailSmtpOrders');
				const items = nodeOutput(execution, 'Send order confirmation');
				check(items.length === 3, `expected 3 confirmations, got ${items.length}`);
				checkMessageIds(items, tlsServer, 'order notification');
				const subjects = tlsServer.messages.map((message) => message.parsed.subject).sort();
				check(subjects[0] === 'Your order A-1042 is confirmed, Ada', `subjects: ${subjects}`);
				// The example's HTML is MJML: compiled in n8n, its <mj-style> inlined, media query kept.
				const html = String(received(tlsServer, items[0].messageId).parsed.html);
				check(
					/<td style="[^"]*border-bottom: 1px solid #e8eaed;[^"]*">1 × Analytical Engine poster</.test(
						html,
					) && html.includes('@media only screen and (max-width: 480px)'),
					`order notification: the MJML confirmation arrived without inlined styles or media query: ${html.slice(0, 300)}`,
				);
			},
		],
		[
			'example: CRM follow-up (wait shortened to 1 s)',
			tlsServer,
			async () => {
				const { execution } = await execute('gmailSmtpCrmFollowUp');
				const first = nodeOutput(execution, 'First email');
				const followUps = nodeOutput(execution, 'Follow-up');
				check(first.length === 3, `expected 3 first emails, got ${first.length}`);
				check(
					followUps?.length === 2,
					`expected 2 follow-ups (one lead replied), got ${followUps?.length}`,
				);
				checkMessageIds([...first, ...followUps], tlsServer, 'CRM follow-up');
				const followUpTo = followUps.map((item) => item.envelope.to[0]).sort();
				check(
					followUpTo.join() === 'lin.chen@example.com,sofia.rossi@example.com',
					`follow-ups went to ${followUpTo}`,
				);
				// Threaded: each follow-up answers the first email to the same lead, with its subject.
				for (const followUp of followUps) {
					const received = tlsServer.messages.find(
						(message) => message.parsed.messageId === followUp.messageId,
					);
					const firstToLead = first.find((item) => item.envelope.to[0] === followUp.envelope.to[0]);
					const firstReceived = tlsServer.messages.find(
						(message) => message.parsed.messageId === firstToLead.messageId,
					);
					check(
						received.parsed.inReplyTo === firstToLead.messageId,
						`follow-up In-Reply-To ${received.parsed.inReplyTo}, expected ${firstToLead.messageId}`,
					);
					check(
						received.parsed.subject === `Re: ${firstReceived.parsed.subject}`,
						`follow-up subject ${received.parsed.subject}`,
					);
				}
			},
		],
		[
			'example: CRM stop on reply or bounce (Dovecot IMAP; a reply and a DSN filed as the first emails arrive, wait 1 s, one threaded follow-up, mailbox unchanged); a search Dovecot is made to refuse becomes an error item',
			tlsServer,
			() =>
				checkStopOnReply({
					execute,
					server: tlsServer,
					imapPort: stopOnReply.imapPort,
					tls,
					userFolder,
					log,
				}),
		],
		[
			'example: daily digest',
			tlsServer,
			async () => {
				const { execution } = await execute('gmailSmtpDailyDigest');
				const items = nodeOutput(execution, 'Send digest');
				check(items.length === 1, `expected one digest, got ${items.length}`);
				checkMessageIds(items, tlsServer, 'daily digest');
				const subject = tlsServer.messages[0].parsed.subject;
				check(subject === '3 orders yesterday', `digest subject: ${subject}`);
				check(
					items[0].envelope.to.join() === 'owner@example.com',
					`digest went to ${items[0].envelope.to}`,
				);
			},
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
								unsubscribeCases({ base, rest, server: tlsServer, proxy, tls, userFolder, log }),
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
							run: ({ cluster, redis, prefix }) =>
								checkUnsubscribesInQueueMode({
									cluster,
									redis,
									prefix,
									runtime,
									server: tlsServer,
									proxy,
									tls,
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
	const results = [];
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
			log(`FAIL ${label}\n    ${String(error.message).replace(/\n/g, '\n    ')}`);
			if (!(error instanceof CheckFailed)) log(error.stack);
			results.push({ label, outcome: 'FAIL', seconds: seconds() });
		}
	}
	return results;
}

/** The local SMTP servers of one version's run, with a test CA of their own. */
async function startSmtpServers(log) {
	const tls = await generateTestCa();
	const servers = { tls };
	try {
		servers.tlsServer = await startLocalSmtpServer({
			security: 'tls',
			tls,
			users: [DAILY_LIMIT_USER],
		});
		servers.startTlsServer = await startLocalSmtpServer({ security: 'starttls', tls });
		// Its own server: the queue-mode check counts every message and connection it sees.
		servers.queueServer = await startLocalSmtpServer({ security: 'tls', tls, users: [QUEUE_USER] });
		// n8n's webhooks behind HTTPS, as unsubscribe links need.
		servers.proxy = await startHttpsProxy({ tls });
	} catch (error) {
		await closeSmtpServers(servers);
		throw error;
	}
	log(
		`local SMTP servers: TLS on ${servers.tlsServer.port}, STARTTLS on ${servers.startTlsServer.port}, queue mode on ${servers.queueServer.port}`,
	);
	return servers;
}

async function closeSmtpServers({ tlsServer, startTlsServer, queueServer, proxy }) {
	await Promise.all(
		[tlsServer, startTlsServer, queueServer, proxy].map((server) => server?.close()),
	);
}

/**
 * Installs one n8n version (or reuses it) and runs every check in it, in a work folder of its
 * own; kept when anything failed. Never throws: a broken set-up is reported as the version's
 * `error`.
 */
async function runVersion(version) {
	const log = logger(` n8n ${version}`);
	const versionStarted = Date.now();
	const summary = { version, node: '?', results: [], installSeconds: 0, seconds: 0 };
	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), `gmail-smtp-n8n-e2e-${version}-`));
	let servers;
	try {
		log('installing n8n into the cache (reused when present)');
		const runtime = installN8n(version);
		summary.installSeconds = (Date.now() - versionStarted) / 1000;
		summary.node = execFileSync(runtime.nodeBinary, ['--version'], { encoding: 'utf8' }).trim();
		const versionEnv = Object.entries(runtime.env).map(([name, value]) => `${name}=${value}`);
		log(
			`n8n ${version} ready in ${summary.installSeconds.toFixed(1)} s at ${runtime.installDir}, on Node ${summary.node}, with ${versionEnv.join(' ')}; every check applies to this version, none is skipped`,
		);
		servers = await startSmtpServers(log);
		summary.results = await runChecks(runtime, workDir, servers, log);
	} catch (error) {
		summary.error = error.message;
		log(`FAILED before all checks ran: ${error.message}`);
		if (!(error instanceof CheckFailed)) log(error.stack);
	} finally {
		if (servers) await closeSmtpServers(servers);
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
		fs.rmSync(workDir, { recursive: true, force: true });
	}
	return summary;
}

/** One block per version: the checks with their outcome and time, then the counts. */
function printSummary(summaries) {
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

async function main() {
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

main().catch((error) => {
	log(`FAILED: ${error.message}`);
	process.exitCode = 1;
});
