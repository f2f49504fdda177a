import { spawnSync } from 'node:child_process';
import {
	copyFileSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..', '..');
const orders = JSON.parse(readFileSync(join(ROOT, 'examples', 'orders.json'), 'utf8')) as Array<{
	firstName: string;
	order: { id: string };
}>;

/**
 * What `tsc -p tsconfig.json` emits into `outDir` (the same files, options and layout), file by
 * file without type checks: `npm run build` and the package test's `npm pack` check the types
 * of the same sources, and this test is about the demo, not a third full compile.
 */
function buildWithoutTypeChecks(outDir: string): void {
	const config = ts.getParsedCommandLineOfConfigFile(
		join(ROOT, 'tsconfig.json'),
		{},
		{
			...ts.sys,
			onUnRecoverableConfigFileDiagnostic: (error) => {
				throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
			},
		},
	)!;
	for (const file of config.fileNames) {
		const target = join(outDir, relative(ROOT, file));
		mkdirSync(dirname(target), { recursive: true });
		if (file.endsWith('.json')) {
			copyFileSync(file, target);
			continue;
		}
		const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
			compilerOptions: config.options,
			fileName: file,
		});
		writeFileSync(target.replace(/\.ts$/, '.js'), outputText);
	}
}

describe('npm run demo (scripts/demo.js)', () => {
	let work: string;
	let run: ReturnType<typeof spawnSync>;
	let outDir: string;

	beforeAll(() => {
		work = mkdtempSync(join(tmpdir(), 'gmail-smtp-demo-'));
		outDir = join(work, 'out');
		// Build into a folder of our own, so the test neither needs nor changes dist/.
		buildWithoutTypeChecks(join(work, 'dist'));
		// The build outside the package resolves n8n-workflow and nodemailer like n8n makes it do.
		const env: NodeJS.ProcessEnv = { ...process.env, NODE_PATH: join(ROOT, 'node_modules') };
		delete env.GMAIL_USER;
		delete env.GMAIL_APP_PASSWORD;
		delete env.DEMO_TO;
		run = spawnSync(
			process.execPath,
			['scripts/demo.js', '--dist', join(work, 'dist'), '--out', outDir],
			{ cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 },
		);
	}, 90_000);

	afterAll(() => rmSync(work, { recursive: true, force: true }));

	it('exits 0 and prints one table row per order with its subject', () => {
		expect(run.stderr).toBe('');
		expect(run.status).toBe(0);
		for (const { firstName, order } of orders) {
			expect(run.stdout).toContain(`Your order ${order.id} is confirmed, ${firstName}`);
		}
	});

	it('saves every received message as .eml and .html, and prints its Message-ID', () => {
		const files = readdirSync(outDir).sort();
		const emls = files.filter((file) => file.endsWith('.eml'));
		expect(emls).toHaveLength(orders.length);
		expect(files.filter((file) => file.endsWith('.html'))).toHaveLength(orders.length);
		for (const eml of emls) {
			const raw = readFileSync(join(outDir, eml), 'utf8');
			const messageId = /^Message-ID: (<[^>]+>)/im.exec(raw)?.[1];
			expect(messageId).toBeDefined();
			expect(run.stdout).toContain(messageId);
		}
	});

	it('renders the order template into the HTML, escaping item data', () => {
		const html = readdirSync(outDir)
			.filter((file) => file.endsWith('.html'))
			.map((file) => readFileSync(join(outDir, file), 'utf8'))
			.join('\n');
		expect(html).toContain('Thank you, Ada!');
		expect(html).toContain('<strong>A-1044</strong>');
		expect(html).toContain('Tea mug &lt;Bletchley &amp; Co&gt;');
		expect(html).not.toContain('{{');
	});

	it('sends the MJML version: responsive, styles inlined, a preheader, the unsubscribe link', () => {
		expect(run.stdout).toContain('Template: examples/order-confirmation/html.mjml');
		const html = readFileSync(
			join(
				outDir,
				readdirSync(outDir).find((file) => file.endsWith('.html'))!,
			),
			'utf8',
		);
		expect(html).toContain('@media only screen and (max-width: 480px)');
		expect(html).toMatch(/<td style="[^"]*border-bottom: 1px solid #e8eaed;/);
		expect(html).toMatch(/<body[^>]*>\s*<div style="display:none;[^"]*">Order A-10\d\d:/);
		expect(html).toContain('href="https://shop.example/email-preferences?order=A-10');
	});
});
