// `npm run test:editor`: the node in n8n's editor, in a real browser (Debian's chromium driven
// by playwright-core, no browser download). Adds Gmail SMTP from the nodes panel, checks that
// its icon, fields and credential render, types `Hi {{firstName}}` into Subject and proves it is
// saved as a Handlebars template rather than turned into an n8n expression. Saves a screenshot.
//
// Then Preview: Manual Trigger → Code (one order) → Gmail SMTP (Preview), executed with the
// node's "Execute step" button, and the `html` binary looked at in the output panel. What n8n
// 2.41 offers for a `text/html` binary depends on the workflow's Execution Logic:
// - v0/v1 (the default): the Binary tab lists the file with a Download button only. Its View
//   button is for the MIME types in the editor's viewable list, and text/html is not in it.
// - "v2 (experimental)" (`binaryMode: 'combined'`, binaries kept in the item's `_files`): the
//   Schema view shows each file with an eye button that opens "File Preview", which renders HTML
//   through sanitize-html in a sandboxed iframe. The settings dialog offers v2 only behind a
//   feature flag or once a workflow has it, so the workflow is imported with it set.
// Both are checked, each with a screenshot.
//
// Then the MJML order confirmation (examples/order-confirmation/html.mjml) through Preview: the
// downloaded message.html is opened at 375 px (a phone) and 600 px wide, screenshotted, and must
// not scroll sideways at 375 px.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Browser, Locator, Page } from 'playwright-core';

import { launchChromium } from '../../testkit/chromium';
import { freePort } from '../../testkit/freePort';
import { REPO_ROOT } from '../../testkit/repoRoot';
import { CheckFailed, messageOf } from '../check';
import type { N8nProcess } from '../n8n/processes';
import { OWNER, setUpOwner } from '../n8n/rest';
import { gmailSmtp, jsonItems, manualTrigger, workflow, type Workflow } from '../workflow';
import { EDITOR_CREDENTIAL, prepare, startEditor, type PreparedN8n } from './editor';

const SUBJECT = 'Hi {{firstName}}';
const ARTIFACTS = join(REPO_ROOT, 'demo-output', 'editor-check');

const ORDER = { email: 'ada@example.com', firstName: 'Ada', order: { id: 'A-1042', total: 42.5 } };
const PREVIEW_TEMPLATES = {
	subject: 'Your order {{order.id}}, {{firstName}}',
	html: [
		'<h1 style="color:#1a73e8">Hello {{firstName}}!</h1>',
		'<p>Your order <strong>{{order.id}}</strong> came to {{order.total}} EUR.</p>',
		'<div style="background:#fde293;border:4px solid #f29900;padding:16px">',
		'Thank you for shopping with Acme, {{firstName}}.',
		'</div>',
	].join('\n'),
};
const PREVIEW_HEADING = 'Hello Ada!';
/** The box's background as the browser computes it: proof the inline style survived. */
const PREVIEW_BOX_BACKGROUND = 'rgb(253, 226, 147)';
/** n8n's "v2 (experimental)" Execution Logic, as the workflow settings dialog stores it. */
const EXECUTION_LOGIC_V2 = { executionOrder: 'v1', binaryMode: 'combined' };

const started = Date.now();
const log = (message: string) =>
	console.log(`[test:editor +${Math.round((Date.now() - started) / 1000)}s] ${message}`);

/** A check that logs what held: the editor check is read as a list of what it proved. */
function check(condition: unknown, message: string): asserts condition {
	if (!condition) throw new CheckFailed(message);
	log(`ok: ${message}`);
}

async function signIn(page: Page, url: string): Promise<void> {
	const login = await page.request.post(`${url}/rest/login`, {
		data: { emailOrLdapLoginId: OWNER.email, password: OWNER.password },
	});
	check(login.ok(), `signed in as ${OWNER.email} (HTTP ${login.status()})`);
}

async function checkEditor(page: Page, url: string): Promise<void> {
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
	const iconWidth = await panelIcon.evaluate((img: HTMLImageElement) =>
		img.complete ? img.naturalWidth : 0,
	);
	check(
		/n8n-nodes-gmail-smtp\/.*gmailSmtp\.svg$/.test(iconSource ?? '') && iconWidth > 0,
		`the nodes panel lists Gmail SMTP with its icon (${iconSource}, ${iconWidth}px)`,
	);
	await item.click();
	// A first step is asked for a trigger: with Gmail SMTP Trigger in the package, n8n shows the
	// node's trigger and keeps its actions folded under "Actions (n)" until opened, as for Gmail.
	await page.getByText(/^Actions \(\d+\)/).click();
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
		credential === EDITOR_CREDENTIAL.name,
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
	const workflowId = /\/workflow\/([A-Za-z0-9]+)/.exec(page.url())?.[1];
	const savedSubject = async () => {
		const saved = (await (
			await page.request.get(`${url}/rest/workflows/${workflowId}`)
		).json()) as {
			data?: Workflow;
		};
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

/** Manual Trigger → Code (one order) → Gmail SMTP Preview, as the editor's REST API takes it. */
function previewWorkflow(
	name: string,
	settings: Record<string, unknown>,
	templates: Record<string, string> = { ...PREVIEW_TEMPLATES, text: '' },
	order: unknown = ORDER,
): Workflow {
	return workflow(
		undefined,
		[
			manualTrigger(),
			jsonItems('Order', [order]),
			gmailSmtp('Gmail SMTP', EDITOR_CREDENTIAL, {
				operation: 'preview',
				toEmail: '={{ $json.email }}',
				...templates,
			}),
		],
		{ name, settings },
	);
}

/** Imports the workflow, opens its Gmail SMTP node and runs "Execute step"; returns the output panel. */
async function executePreviewStep(page: Page, url: string, preview: Workflow): Promise<Locator> {
	const created = await page.request.post(`${url}/rest/workflows`, { data: preview });
	if (!created.ok()) throw new CheckFailed(`importing "${preview.name}": ${created.status()}`);
	const { id } = ((await created.json()) as { data: { id: string } }).data;
	await page.goto(`${url}/workflow/${id}`);
	await page
		.locator('[data-test-id="canvas-node"]', { hasText: 'Gmail SMTP' })
		.dblclick({ timeout: 120_000 });
	const ndv = page.locator('[data-test-id="ndv"]');
	await ndv.locator('[data-test-id="node-execute-button"]').click();
	const output = ndv.locator('[data-test-id="output-panel"]');
	await output.locator('[data-test-id="node-run-status-success"]').waitFor();
	check(
		(await output.locator('[data-test-id="ndv-items-count"]').innerText()).includes('1 item'),
		`"${preview.name}": Execute step ran Manual Trigger → Code → Preview, 1 item out`,
	);
	return output;
}

/** Default Execution Logic: the Binary tab lists the HTML, offers Download, no viewer. */
async function checkPreviewBinaryTab(page: Page, url: string): Promise<void> {
	const output = await executePreviewStep(
		page,
		url,
		previewWorkflow('Gmail SMTP: preview, Binary tab', {}),
	);
	await output.locator('[data-test-id="radio-button-binary"]').click();
	const card = output.locator('[data-test-id^="ndv-binary-data_"]', { hasText: 'message.html' });
	await card.scrollIntoViewIfNeeded();
	const cardText = await card.innerText();
	check(
		/^html\b/.test(cardText) && cardText.includes('text/html'),
		'the Binary tab lists binary "html": message.html, text/html',
	);
	const viewButtons = await card.locator('[data-test-id="ndv-view-binary-data"]').count();
	const download = card.locator('[data-test-id="ndv-download-binary-data"]');
	check(
		viewButtons === 0 && (await download.count()) === 1,
		'n8n 2.41 offers no View for a text/html binary in the Binary tab, only Download',
	);
	const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
	const html = readFileSync(await file.path(), 'utf8');
	check(
		file.suggestedFilename() === 'message.html' &&
			html.includes(`>${PREVIEW_HEADING}</h1>`) &&
			!html.includes('{{'),
		`Download saves ${file.suggestedFilename()} with the rendered "${PREVIEW_HEADING}" heading, no Handlebars left`,
	);
}

/** Execution Logic v2: the Schema view's eye button shows the HTML in n8n's File Preview. */
async function checkPreviewFileViewer(page: Page, url: string): Promise<void> {
	const output = await executePreviewStep(
		page,
		url,
		previewWorkflow('Gmail SMTP: preview, File Preview', EXECUTION_LOGIC_V2),
	);
	await output.locator('[data-test-id="radio-button-schema"]').click();
	const htmlFile = output.locator('[data-test-id="run-data-schema-item"]', {
		has: page.locator('[data-path="._files.html"]'),
	});
	await htmlFile.hover();
	await htmlFile
		.locator('.binary-control-pill', { has: page.locator('[data-icon="eye"]') })
		.click();
	const modal = page.locator('[data-test-id="binaryDataView-modal"]');
	await modal.getByText('File Preview').waitFor();
	const frame = modal.locator('iframe.__html-display');
	const sandbox = await frame.getAttribute('sandbox');
	const email = modal.frameLocator('iframe.__html-display');
	const heading = email.locator('h1');
	await heading.waitFor();
	const shown = await email.locator('body').innerText();
	const box = email.locator('div', { hasText: 'Thank you for shopping with Acme, Ada.' });
	const background = await box.evaluate((element) => getComputedStyle(element).backgroundColor);
	check(
		sandbox === '' &&
			(await heading.innerText()) === PREVIEW_HEADING &&
			(await heading.isVisible()),
		`File Preview renders the html binary in a sandboxed iframe: heading "${PREVIEW_HEADING}" visible`,
	);
	check(
		shown.includes('A-1042') && shown.includes('42.5') && !shown.includes('{{'),
		'the rendered email shows order A-1042 and 42.5; no raw {{…}} is left',
	);
	check(
		background === PREVIEW_BOX_BACKGROUND,
		`the coloured box keeps its inline style through n8n's sanitizer (${background})`,
	);
}

/** Widths the MJML confirmation is looked at: a phone, and Gmail's usual reading pane. */
const RESPONSIVE_WIDTHS = [375, 600];

/**
 * The example's MJML order confirmation through Preview (Execute step), its message.html
 * downloaded and opened at a phone's width and at 600 px: screenshots of both, and at 375 px the
 * page must not scroll sideways. Nothing leaves the machine: the logo's URL is not loaded.
 */
async function checkResponsivePreview(page: Page, url: string): Promise<void> {
	const example = (file: string) => readFileSync(join(REPO_ROOT, 'examples', file), 'utf8');
	const [ada] = JSON.parse(example('orders.json')) as unknown[];
	const output = await executePreviewStep(
		page,
		url,
		previewWorkflow(
			'Gmail SMTP: responsive preview (MJML)',
			{},
			{
				subject: 'Your order {{order.id}}, {{firstName}}',
				templateFormat: 'mjml',
				html: example('order-confirmation/html.mjml'),
				text: '',
			},
			ada,
		),
	);
	await output.locator('[data-test-id="radio-button-binary"]').click();
	const card = output.locator('[data-test-id^="ndv-binary-data_"]', { hasText: 'message.html' });
	await card.scrollIntoViewIfNeeded();
	const [file] = await Promise.all([
		page.waitForEvent('download'),
		card.locator('[data-test-id="ndv-download-binary-data"]').click(),
	]);
	const html = readFileSync(await file.path(), 'utf8');
	check(
		html.includes('@media only screen and (max-width: 480px)') && !html.includes('{{'),
		'Preview of the MJML template: message.html is responsive HTML with every value filled in',
	);
	// The same page shows the email now: n8n is done with, and nothing it loads may leave the machine.
	await page.route('**/*', (route) => route.abort());
	for (const width of RESPONSIVE_WIDTHS) {
		await page.setViewportSize({ width, height: 900 });
		await page.setContent(html, { waitUntil: 'load' });
		const screenshot = join(ARTIFACTS, `gmail-smtp-preview-mjml-${width}px.png`);
		await page.screenshot({ path: screenshot, fullPage: true });
		log(`screenshot: ${screenshot}`);
		const { scrollWidth, innerWidth } = await page.evaluate(() => ({
			scrollWidth: document.documentElement.scrollWidth,
			innerWidth: window.innerWidth,
		}));
		if (width === 375) {
			check(
				scrollWidth <= innerWidth,
				`at ${width} px the order confirmation fits: no sideways scrolling (scrollWidth ${scrollWidth} ≤ ${innerWidth})`,
			);
		}
	}
	check(
		(await page.locator('body').innerText()).includes('Thank you, Ada!'),
		'the confirmation shows "Thank you, Ada!"',
	);
}

/** Signs in on a fresh page, runs `checks` there and screenshots the page, pass or fail. */
async function onPageWithScreenshot(
	browser: Browser,
	url: string,
	name: string,
	checks: (page: Page, url: string) => Promise<void>,
): Promise<void> {
	const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
	page.setDefaultTimeout(60_000);
	const screenshot = join(ARTIFACTS, name);
	try {
		await signIn(page, url);
		await checks(page, url);
	} finally {
		// Finished transitions: a dialog caught fading in shows the page through it.
		await page.screenshot({ path: screenshot, animations: 'disabled' }).catch(() => undefined);
		log(`screenshot: ${screenshot}`);
		await page.close();
	}
}

async function main(): Promise<void> {
	const userFolder = mkdtempSync(join(tmpdir(), 'gmail-smtp-editor-check-'));
	const prepared: PreparedN8n = await prepare({ port: await freePort(), userFolder });
	let n8n: N8nProcess | undefined;
	let browser: Browser | undefined;
	let failed = false;
	mkdirSync(ARTIFACTS, { recursive: true });
	try {
		n8n = await startEditor(prepared);
		await setUpOwner(prepared.url);
		log(`n8n editor up at ${prepared.url}`);
		browser = await launchChromium({ log });
		const { url } = prepared;
		await onPageWithScreenshot(browser, url, 'gmail-smtp-node.png', checkEditor);
		await onPageWithScreenshot(
			browser,
			url,
			'gmail-smtp-preview-binary-tab.png',
			checkPreviewBinaryTab,
		);
		await onPageWithScreenshot(browser, url, 'gmail-smtp-preview.png', checkPreviewFileViewer);
		await onPageWithScreenshot(browser, url, 'gmail-smtp-preview-mjml.png', checkResponsivePreview);
	} catch (error) {
		failed = true;
		log(`FAIL ${messageOf(error)}`);
		log(`n8n log: ${join(prepared.userFolder, 'n8n.log')}`);
	} finally {
		if (browser) await browser.close();
		await n8n?.stop();
		await prepared.server.close();
	}
	if (failed) {
		process.exitCode = 1;
		return;
	}
	rmSync(userFolder, { recursive: true, force: true });
	log('the editor check passed');
}

main().catch((error: unknown) => {
	log(`FAILED: ${messageOf(error)}`);
	process.exitCode = 1;
});
