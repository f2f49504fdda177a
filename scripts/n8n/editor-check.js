'use strict';
// `npm run test:editor`: the node in n8n's editor, in a real browser (Debian's chromium driven
// by playwright-core, no browser download). Adds Gmail SMTP from the nodes panel, checks that
// its icon, fields and credential render, types `Hi {{firstName}}` into Subject and proves it is
// saved as a Handlebars template rather than turned into an n8n expression. Saves a screenshot.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { ROOT, freePort } = require('./n8nRuntime');
const { OWNER, prepare, setUpOwner, startN8n } = require('./editor');

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];
const SUBJECT = 'Hi {{firstName}}';
const ARTIFACTS = path.join(ROOT, 'demo-output', 'editor-check');

const started = Date.now();
const log = (message) =>
	console.log(`[test:editor +${Math.round((Date.now() - started) / 1000)}s] ${message}`);

class CheckFailed extends Error {}
function check(condition, message) {
	if (!condition) throw new CheckFailed(message);
	log(`ok: ${message}`);
}

function ensureChromium() {
	if (fs.existsSync(CHROMIUM)) return;
	log("installing Debian's chromium with apt-get");
	const apt = (args) => execFileSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'] });
	apt(['update', '-qq']);
	apt(['install', '-y', '-qq', 'chromium']);
}

async function checkEditor(page, url) {
	const login = await page.request.post(`${url}/rest/login`, {
		data: { emailOrLdapLoginId: OWNER.email, password: OWNER.password },
	});
	check(login.ok(), `signed in as ${OWNER.email} (HTTP ${login.status()})`);
	await page.goto(`${url}/workflow/new`);
	await page.click('[data-test-id="canvas-add-button"]', { timeout: 120_000 });
	await page.fill('[data-test-id="node-creator-search-bar"]', 'Gmail SMTP');

	// A node with more than one action (Send, Preview) is listed as an "action item".
	const item = page.locator(
		'[data-test-id="node-creator-node-item"], [data-test-id="node-creator-action-item"]',
		{ hasText: 'Gmail SMTP' },
	);
	await item.waitFor();
	const panelIcon = item.locator('img').first();
	const iconSource = await panelIcon.getAttribute('src');
	const iconWidth = await panelIcon.evaluate((img) => (img.complete ? img.naturalWidth : 0));
	check(
		/n8n-nodes-gmail-smtp\/.*gmailSmtp\.svg$/.test(iconSource ?? '') && iconWidth > 0,
		`the nodes panel lists Gmail SMTP with its icon (${iconSource}, ${iconWidth}px)`,
	);
	await item.click();
	await page.getByText('Send an email', { exact: true }).click();
	const ndv = page.locator('[data-test-id="ndv"]');
	await ndv.waitFor();

	for (const name of ['toEmail', 'subject', 'html', 'text']) {
		await ndv.locator(`[data-test-id="parameter-input-${name}"]`).waitFor();
	}
	const labels = await ndv.locator('[data-test-id="node-parameters"]').innerText();
	check(
		['Operation', 'To', 'Subject', 'HTML', 'Text', 'Options'].every((label) =>
			labels.includes(label),
		),
		'the node details show Operation, To, Subject, HTML, Text and Options',
	);
	const credential = await ndv
		.locator('[data-test-id="node-credentials-select"] input')
		.inputValue();
	check(
		credential === 'Gmail SMTP (local test server)',
		`the Gmail SMTP credential is selected ("${credential}")`,
	);

	const subject = ndv.locator('[data-test-id="parameter-input-subject"]');
	await subject.locator('input').click();
	await page.keyboard.type(SUBJECT);
	const stillPlain =
		(await subject.locator('input').count()) === 1 &&
		(await subject.locator('.cm-content').count()) === 0;
	check(
		stillPlain && (await subject.locator('input').inputValue()) === SUBJECT,
		`typing "${SUBJECT}" into Subject leaves a plain field, not the expression editor`,
	);

	await page.keyboard.press('Control+s');
	await page.waitForURL((address) => /\/workflow\/(?!new)[A-Za-z0-9]+/.test(address.pathname), {
		timeout: 30_000,
	});
	const workflowId = /\/workflow\/([A-Za-z0-9]+)/.exec(page.url())[1];
	const savedSubject = async () => {
		const saved = await (await page.request.get(`${url}/rest/workflows/${workflowId}`)).json();
		const node = saved.data?.nodes?.find((candidate) => candidate.type.endsWith('.gmailSmtp'));
		return node?.parameters.subject;
	};
	let subjectInDatabase = await savedSubject();
	for (let attempt = 0; subjectInDatabase !== SUBJECT && attempt < 20; attempt++) {
		await page.waitForTimeout(500);
		subjectInDatabase = await savedSubject();
	}
	check(
		subjectInDatabase === SUBJECT,
		`the saved workflow stores Subject as the Handlebars template ${JSON.stringify(subjectInDatabase)} (no "=" expression prefix)`,
	);
}

async function main() {
	ensureChromium();
	const { chromium } = require('playwright-core');
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'gmail-smtp-editor-check-'));
	const prepared = await prepare({ port: await freePort(), userFolder });
	const n8n = startN8n(prepared);
	let browser;
	let failed = false;
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	const screenshot = path.join(ARTIFACTS, 'gmail-smtp-node.png');
	try {
		await n8n.ready;
		await setUpOwner(prepared.url);
		log(`n8n editor up at ${prepared.url}`);
		browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
		const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
		page.setDefaultTimeout(60_000);
		try {
			await checkEditor(page, prepared.url);
		} finally {
			await page.screenshot({ path: screenshot }).catch(() => undefined);
			log(`screenshot: ${screenshot}`);
		}
	} catch (error) {
		failed = true;
		log(`FAIL ${error.message}`);
		log(`n8n log: ${n8n.logFile}`);
	} finally {
		if (browser) await browser.close();
		await n8n.stop();
		await prepared.server.close();
	}
	if (failed) {
		process.exitCode = 1;
		return;
	}
	fs.rmSync(userFolder, { recursive: true, force: true });
	log('the editor check passed');
}

main().catch((error) => {
	log(`FAILED: ${error.message}`);
	process.exitCode = 1;
});
