// `npm run n8n`: the real n8n editor on http://localhost:5678 with this package loaded, the
// Gmail-like test SMTP server, its credential and the example workflows imported, and an owner
// account set up, so the node can be tried by hand. Ctrl+C stops everything.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { REPO_ROOT } from '../../testkit/repoRoot';
import {
	credentialData,
	startSmtpTestServer,
	type SmtpTestServer,
} from '../../testkit/smtpTestServer';
import { messageOf } from '../check';
import { exampleFiles, loadExample } from '../examples';
import { cleanUpOnInterrupt, runN8n, startN8n, type N8nProcess } from '../n8n/processes';
import { OWNER, setUpOwner } from '../n8n/rest';
import { installN8n, installPackageLikeN8n, n8nEnvironment, type N8nRuntime } from '../n8n/runtime';
import { gmailSmtpCredential } from '../workflow';

/** The credential the examples and the editor check use. */
export const EDITOR_CREDENTIAL = { id: 'localGmailSmtp', name: 'Gmail SMTP (local test server)' };
const BOOT_TIMEOUT_MS = 300_000;

const log = (message: string) => console.log(`[n8n] ${message}`);

export interface PreparedN8n {
	runtime: N8nRuntime;
	env: NodeJS.ProcessEnv;
	server: SmtpTestServer;
	userFolder: string;
	url: string;
}

/** Installs and configures n8n in `userFolder` (default: a lasting one next to the install). */
export async function prepare({
	port = 5678,
	userFolder,
}: { port?: number; userFolder?: string } = {}): Promise<PreparedN8n> {
	const runtime = installN8n();
	const folder = userFolder || join(dirname(runtime.installDir), 'editor-state');
	const url = `http://localhost:${port}`;
	const workDir = join(folder, 'work');
	mkdirSync(workDir, { recursive: true });
	installPackageLikeN8n(folder, workDir);

	const server = await startSmtpTestServer({ security: 'tls' });
	const outDir = join(REPO_ROOT, 'demo-output', 'n8n');
	mkdirSync(outDir, { recursive: true });
	server.onMessage = (message) => {
		const file = join(outDir, `${Date.now()}-${message.envelope.to[0]}.eml`);
		writeFileSync(file, message.raw);
		log(`received "${message.parsed.subject}" for ${message.envelope.to.join(', ')} → ${file}`);
	};

	const credential = gmailSmtpCredential(
		EDITOR_CREDENTIAL.id,
		credentialData(server, { fromName: 'Acme Shop (demo)' }),
		EDITOR_CREDENTIAL.name,
	);
	const examples = exampleFiles().map(loadExample);
	writeFileSync(join(workDir, 'credentials.json'), JSON.stringify([credential]));
	writeFileSync(join(workDir, 'workflows.json'), JSON.stringify(examples));

	const env = await n8nEnvironment(runtime, folder, {
		N8N_PORT: String(port),
		N8N_HOST: 'localhost',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_EDITOR_BASE_URL: url,
	});
	for (const [command, file] of [
		['import:credentials', 'credentials.json'],
		['import:workflow', 'workflows.json'],
	]) {
		const result = await runN8n(runtime, [command, `--input=${join(workDir, file)}`], env);
		if (result.code !== 0)
			throw new Error(`n8n ${command} failed:\n${result.stdout}${result.stderr}`);
	}
	return { runtime, env, server, userFolder: folder, url };
}

/** Starts `n8n start` on the prepared user folder; resolves once the editor answers. */
export async function startEditor({ runtime, env, userFolder }: PreparedN8n): Promise<N8nProcess> {
	const n8n = startN8n(runtime, ['start'], env, {
		label: 'n8n start',
		logFile: join(userFolder, 'n8n.log'),
	});
	await n8n.waitForLog(/Editor is now accessible/, BOOT_TIMEOUT_MS);
	return n8n;
}

async function main(): Promise<void> {
	log('preparing n8n (first run installs it: ~7 minutes)');
	const prepared = await prepare({ port: Number(process.env.N8N_PORT || 5678) });
	// Ctrl+C while n8n boots: it is killed with the script. Once up, it shuts down gracefully (it
	// logs while stopping), then the SMTP server closes.
	const n8n = await startEditor(prepared);
	let stopping = false;
	cleanUpOnInterrupt(async () => {
		stopping = true;
		await n8n.stop();
		await prepared.server.close();
	});
	void n8n.exited.then(async (exit) => {
		if (stopping) return;
		log(`n8n exited with ${exit.code ?? exit.signal}`);
		await prepared.server.close();
		process.exit(exit.code ?? 1);
	});
	const created = await setUpOwner(prepared.url);
	log('');
	log(`n8n editor: ${prepared.url}`);
	log(`  sign in as ${OWNER.email} / ${OWNER.password}${created ? ' (account created now)' : ''}`);
	log(`  workflows: "Gmail SMTP: ..." examples; credential "${EDITOR_CREDENTIAL.name}"`);
	log(`  test SMTP server: ${prepared.server.host}:${prepared.server.port} (TLS, test CA)`);
	log(`  n8n log: ${n8n.logFile}`);
	log('Ctrl+C to stop.');
}

if (require.main === module) {
	main().catch((error: unknown) => {
		log(`failed: ${messageOf(error)}`);
		process.exit(1);
	});
}
