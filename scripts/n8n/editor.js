'use strict';
// `npm run n8n`: the real n8n editor on http://localhost:5678 with this package loaded, an
// embedded Gmail-like SMTP server, its credential and the example workflows imported, and an
// owner account set up, so the node can be tried by hand. Ctrl+C stops everything.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { generateTestCa } = require('../lib/generateTestCa');
const { localCredentialData, startLocalSmtpServer } = require('../lib/localSmtpServer');
const { ROOT, installN8n, installPackageLikeN8n, n8nEnvironment, runN8n } = require('./n8nRuntime');

const OWNER = {
	email: 'owner@example.com',
	firstName: 'Local',
	lastName: 'Owner',
	password: 'Gmail-smtp-1',
};
const log = (message) => console.log(`[n8n] ${message}`);

/** Installs and configures n8n in `userFolder` (default: a lasting one next to the install). */
async function prepare({ port = 5678, userFolder } = {}) {
	const runtime = installN8n();
	userFolder = userFolder || path.join(path.dirname(runtime.installDir), 'editor-state');
	const url = `http://localhost:${port}`;
	const workDir = path.join(userFolder, 'work');
	fs.mkdirSync(workDir, { recursive: true });
	installPackageLikeN8n(userFolder, workDir);

	const tls = await generateTestCa();
	const server = await startLocalSmtpServer({ security: 'tls', tls });
	const outDir = path.join(ROOT, 'demo-output', 'n8n');
	fs.mkdirSync(outDir, { recursive: true });
	server.onMessage = (message) => {
		const file = path.join(outDir, `${Date.now()}-${message.envelope.to[0]}.eml`);
		fs.writeFileSync(file, message.raw);
		log(`received "${message.parsed.subject}" for ${message.envelope.to.join(', ')} → ${file}`);
	};

	const credential = {
		id: 'localGmailSmtp',
		name: 'Gmail SMTP (local test server)',
		type: 'gmailSmtpApi',
		data: localCredentialData(server, tls.caCert),
	};
	const examples = fs
		.readdirSync(path.join(ROOT, 'examples'))
		.filter((file) => file.endsWith('.workflow.json'))
		.map((file) => JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8')));
	fs.writeFileSync(path.join(workDir, 'credentials.json'), JSON.stringify([credential]));
	fs.writeFileSync(path.join(workDir, 'workflows.json'), JSON.stringify(examples));

	const env = await n8nEnvironment(runtime, userFolder, {
		N8N_PORT: String(port),
		N8N_HOST: 'localhost',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_EDITOR_BASE_URL: url,
	});
	for (const [command, file] of [
		['import:credentials', 'credentials.json'],
		['import:workflow', 'workflows.json'],
	]) {
		const result = await runN8n(runtime, [command, `--input=${path.join(workDir, file)}`], env);
		if (result.code !== 0)
			throw new Error(`n8n ${command} failed:\n${result.stdout}${result.stderr}`);
	}
	return { runtime, env, server, userFolder, url };
}

async function setUpOwner(url) {
	const settings = await (await fetch(`${url}/rest/settings`)).json();
	if (!settings.data?.userManagement?.showSetupOnFirstLoad) return false;
	const response = await fetch(`${url}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(OWNER),
	});
	if (!response.ok)
		throw new Error(`owner set-up failed: ${response.status} ${await response.text()}`);
	return true;
}

/** Starts `n8n start`; resolves once the editor answers. Output goes to a log file. */
function startN8n({ runtime, env, userFolder }) {
	const logFile = path.join(userFolder, 'n8n.log');
	const logStream = fs.createWriteStream(logFile);
	const child = spawn(runtime.nodeBinary, [runtime.n8nScript, 'start'], {
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	child.stdout.pipe(logStream);
	child.stderr.pipe(logStream);
	const exited = new Promise((resolve) => child.once('exit', resolve));
	const ready = new Promise((resolve, reject) => {
		let seen = '';
		child.stdout.on('data', (chunk) => {
			seen += chunk;
			if (seen.includes('Editor is now accessible')) resolve();
		});
		exited.then((code) => reject(new Error(`n8n exited with ${code}; see ${logFile}`)));
	});
	ready.catch(() => undefined);
	// Waits for n8n to shut down: it logs while stopping, and a closed pipe breaks its shutdown.
	const stop = async () => {
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
		await exited;
		clearTimeout(timer);
	};
	return { child, ready, stop, logFile };
}

async function main() {
	log('preparing n8n (first run installs it: ~7 minutes)');
	const prepared = await prepare({ port: Number(process.env.N8N_PORT || 5678) });
	const n8n = startN8n(prepared);
	const { child, ready, logFile } = n8n;
	let stopping = false;
	const stop = async () => {
		stopping = true;
		await n8n.stop();
		await prepared.server.close();
	};
	process.once('SIGINT', () => stop().then(() => process.exit(0)));
	process.once('SIGTERM', () => stop().then(() => process.exit(0)));
	await ready;
	const created = await setUpOwner(prepared.url);
	log('');
	log(`n8n editor: ${prepared.url}`);
	log(`  sign in as ${OWNER.email} / ${OWNER.password}${created ? ' (account created now)' : ''}`);
	log(`  workflows: "Gmail SMTP: ..." examples; credential "Gmail SMTP (local test server)"`);
	log(`  local SMTP server: ${prepared.server.host}:${prepared.server.port} (TLS, test CA)`);
	log(`  n8n log: ${logFile}`);
	log('Ctrl+C to stop.');
	child.on('exit', (code) => {
		if (stopping) return;
		log(`n8n exited with ${code}`);
		prepared.server.close().then(() => process.exit(code ?? 1));
	});
}

module.exports = { OWNER, prepare, startN8n, setUpOwner };

if (require.main === module) {
	main().catch((error) => {
		log(`failed: ${error.message}`);
		process.exit(1);
	});
}
