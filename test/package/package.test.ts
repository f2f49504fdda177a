import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { delimiter, dirname, join, posix } from 'node:path';

import {
	installedPackageNames,
	loadEntryPoints,
	nodeBinaryFor,
	nodeBinarySkipReason,
	parsePackJson,
	plainNpmEnv,
	ROOT,
	run,
	runInBackground,
	scratchFolder,
	stageCleanCheckout,
	type PackResult,
} from './packageFixtures';

interface PackageJson {
	name: string;
	version: string;
	license: string;
	main?: string;
	homepage: string;
	repository: { type: string; url: string };
	bugs: { url: string };
	dependencies: Record<string, string>;
	peerDependencies: Record<string, string>;
	peerDependenciesMeta?: Record<string, { optional?: boolean }>;
	n8n: { nodes: string[]; credentials: string[] };
}

interface Codex {
	node: string;
	resources: {
		primaryDocumentation: Array<{ url: string }>;
		credentialDocumentation: Array<{ url: string }>;
	};
}

// Installs and loads need n8n-workflow from n8n, never from the package (see N8N-NOTES: a second
// copy breaks instanceof checks), and n8n-workflow >= 2.20 pulls isolated-vm, which does not
// build on Node 20.
const MUST_NOT_BE_INSTALLED = ['n8n-workflow', 'isolated-vm', '@n8n/expression-runtime'];

/** The Node.js major versions the package is installed with: n8n 1.x runs on 20, n8n 2.x on 24. */
const MAJORS = [20, 24];

/** `npm install <tarball>` into an empty folder with one Node.js, and what it said. */
interface TarballInstall {
	node: { path: string; version: string };
	env: NodeJS.ProcessEnv;
	app: string;
	/** `npm version --json` there: the Node.js that npm itself runs on. */
	npmVersions: Record<string, string>;
	output: string;
}

describe('the npm package (npm pack of a fresh clone)', () => {
	let work: string;
	let checkout: string;
	let pkg: PackageJson;
	let packed: PackResult;
	let tarball: string;
	let files: string[];
	/** Started once the tarball is packed, side by side, for the tests of each Node.js to check. */
	const installs = new Map<number, Promise<TarballInstall>>();

	async function installTarball(major: number): Promise<TarballInstall> {
		const node = nodeBinaryFor(major);
		const env = plainNpmEnv({ PATH: `${dirname(node.path)}${delimiter}${process.env.PATH}` });
		const app = mkdtempSync(join(work, `node${major}-app-`));
		const npmVersions = JSON.parse(
			(await runInBackground('npm', ['version', '--json'], { cwd: app, env })).stdout,
		) as Record<string, string>;
		// Audit and funding notices change nothing that is installed.
		const { output } = await runInBackground(
			'npm',
			['install', '--no-audit', '--no-fund', tarball],
			{ cwd: app, env },
		);
		return { node, env, app, npmVersions, output };
	}

	beforeAll(() => {
		work = scratchFolder('gmail-smtp-package-');
		checkout = stageCleanCheckout(work);
		expect(existsSync(join(checkout, 'dist'))).toBe(false);
		pkg = JSON.parse(readFileSync(join(checkout, 'package.json'), 'utf8')) as PackageJson;
		const packDir = join(work, 'packed');
		mkdirSync(packDir);
		// This repository's .npmrc turns lifecycle scripts off (for installs); the flag turns them
		// back on so that prepack builds dist/, as `npm pack` does where scripts are allowed.
		packed = parsePackJson(
			run('npm', ['pack', '--json', '--ignore-scripts=false', '--pack-destination', packDir], {
				cwd: checkout,
			}).stdout,
		);
		tarball = join(packDir, packed.filename);
		files = packed.files.map((file) => file.path).sort();
		for (const major of MAJORS) {
			if (nodeBinarySkipReason(major)) continue;
			const install = installTarball(major);
			install.catch(() => undefined); // reported by the test of that Node.js
			installs.set(major, install);
		}
	}, 600_000);

	afterAll(async () => {
		await Promise.allSettled(installs.values());
		if (work) rmSync(work, { recursive: true, force: true });
	});

	it('builds dist/ in prepack: the tarball holds a .js for every TypeScript source', () => {
		const inTarball = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
			.split('\n')
			.filter(Boolean)
			.map((path) => path.replace(/^package\//, ''))
			.sort();
		expect(inTarball).toEqual(files);
		const sources = execFileSync('git', ['ls-files', 'nodes', 'credentials'], {
			cwd: ROOT,
			encoding: 'utf8',
		})
			.split('\n')
			.filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts'));
		expect(sources.length).toBeGreaterThan(10);
		for (const source of sources) {
			expect(files).toContain(`dist/${source.replace(/\.ts$/, '.js')}`);
		}
	});

	it('npm pack --dry-run lists the same files once dist/ is built', () => {
		const dryRun = parsePackJson(
			run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: checkout }).stdout,
		);
		expect(dryRun.files.map((file) => file.path).sort()).toEqual(files);
	});

	it('ships only dist/ (JavaScript, declarations, icons, codex), README.md, LICENSE, package.json', () => {
		expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json']));
		const unexpected = files.filter(
			(path) =>
				!['LICENSE', 'README.md', 'package.json'].includes(path) &&
				!/^dist\/(nodes|credentials)\/.+\.(js|d\.ts|svg|node\.json)$/.test(path),
		);
		expect(unexpected).toEqual([]);
		expect(files.filter((path) => path.endsWith('.map'))).toEqual([]);
		expect(files.filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts'))).toEqual([]);
		expect(files.filter((path) => /(^|\/)(test|tests|__tests__)\//.test(path))).toEqual([]);
		expect(files).toContain('dist/nodes/GmailSmtp/GmailSmtp.node.json');
		const icons = execFileSync('git', ['ls-files', 'nodes', 'credentials'], {
			cwd: ROOT,
			encoding: 'utf8',
		})
			.split('\n')
			.filter((path) => path.endsWith('.svg'));
		expect(icons.length).toBeGreaterThan(0);
		for (const icon of icons) expect(files).toContain(`dist/${icon}`);
	});

	it("has every file of package.json's n8n block, and no main that points at nothing", () => {
		expect(pkg.n8n.nodes.length).toBeGreaterThan(0);
		expect(pkg.n8n.credentials.length).toBeGreaterThan(0);
		for (const entry of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
			expect(files).toContain(posix.normalize(entry));
		}
		// Like n8n-io/n8n-nodes-starter, no main: n8n loads the files of the n8n block, and the
		// package has nothing to offer `require('n8n-nodes-gmail-smtp')`. A main, if ever added,
		// must resolve to a shipped file.
		if (pkg.main !== undefined) {
			const main = posix.normalize(pkg.main);
			const candidates = [main, `${main}.js`, posix.join(main, 'index.js')];
			expect(candidates.filter((path) => files.includes(path))).not.toEqual([]);
		}
	});

	it('says MIT in package.json and LICENSE, and links its repository, issues and docs', () => {
		expect(pkg.license).toBe('MIT');
		const license = readFileSync(join(checkout, 'LICENSE'), 'utf8');
		expect(license).toMatch(/^MIT License/);
		expect(license).toContain('Copyright (c) 2026 n8n-nodes-gmail-smtp contributors');
		expect(pkg.repository.type).toBe('git');
		const repository = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
		expect(repository).toMatch(/^https:\/\/github\.com\/[\w.-]+\/n8n-nodes-gmail-smtp$/);
		expect(pkg.bugs.url).toBe(`${repository}/issues`);
		expect(pkg.homepage).toBe(`${repository}#readme`);
	});

	it("keeps n8n-workflow an optional peer: n8n's own copy is the one used", () => {
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(pkg.peerDependenciesMeta?.['n8n-workflow']?.optional).toBe(true);
		for (const name of MUST_NOT_BE_INSTALLED) expect(pkg.dependencies).not.toHaveProperty(name);
	});

	it('the built nodes and credential carry the same documentation links as their codex', () => {
		const loaded = loadEntryPoints(process.execPath, checkout, plainNpmEnv());
		const [credential] = loaded.credentials;
		expect(loaded.nodes.map((node) => node.name)).toEqual(['gmailSmtp', 'gmailSmtpTrigger']);
		for (const node of loaded.nodes) {
			const codexFile = node.file.replace(/\.js$/, '.json');
			expect(files).toContain(codexFile);
			const codex = JSON.parse(readFileSync(join(checkout, codexFile), 'utf8')) as Codex;
			expect(codex.node).toBe(`${pkg.name}.${node.name}`);
			expect(node.documentationUrl).toBe(pkg.homepage);
			expect(codex.resources.primaryDocumentation.map((doc) => doc.url)).toEqual([pkg.homepage]);
			expect(codex.resources.credentialDocumentation.map((doc) => doc.url)).toEqual([
				credential.documentationUrl,
			]);
		}
		for (const entry of [...loaded.nodes, ...loaded.credentials]) {
			const icons = typeof entry.icon === 'string' ? [entry.icon] : Object.values(entry.icon ?? {});
			expect(icons.length).toBeGreaterThan(0);
			for (const icon of icons) {
				expect(files).toContain(posix.join(posix.dirname(entry.file), icon.replace(/^file:/, '')));
			}
		}
	});

	describe.each(MAJORS)('npm install <tarball> on Node %i, plain npm, empty folder', (major) => {
		const skipReason = nodeBinarySkipReason(major);
		if (skipReason) process.stderr.write(`\n*** ${skipReason}\n\n`);
		const testOrSkip = skipReason ? it.skip : it;

		testOrSkip(
			skipReason ??
				'succeeds without n8n-workflow or isolated-vm, and the node loads with n8n-workflow from n8n',
			async () => {
				const { node, env, app, npmVersions, output } = await installs.get(major)!;
				// The Node.js that npm itself runs on: the one its engine checks and builds are about.
				expect(`v${npmVersions.node}`).toBe(node.version);

				expect(output).not.toMatch(/EBADENGINE|gyp ERR/);
				const installed = installedPackageNames(join(app, 'node_modules'));
				expect(installed).toContain(pkg.name);
				for (const dependency of Object.keys(pkg.dependencies)) {
					expect(installed).toContain(dependency);
				}
				expect(installed.filter((name) => MUST_NOT_BE_INSTALLED.includes(name))).toEqual([]);

				// n8n puts its own node_modules on NODE_PATH; here a folder holding only n8n-workflow
				// stands in for it, so a runtime dependency missing from the install still fails.
				const n8nModules = join(work, `n8n-modules-node${major}`);
				mkdirSync(n8nModules);
				symlinkSync(join(ROOT, 'node_modules', 'n8n-workflow'), join(n8nModules, 'n8n-workflow'));
				const loaded = loadEntryPoints(node.path, join(app, 'node_modules', pkg.name), {
					...env,
					NODE_PATH: n8nModules,
				});
				expect(loaded.nodes.map((entry) => entry.name)).toEqual(['gmailSmtp', 'gmailSmtpTrigger']);
				expect(loaded.credentials.map((entry) => entry.name)).toEqual(['gmailSmtpApi']);
			},
			600_000,
		);
	});
});
