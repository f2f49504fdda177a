// Runs the compiled Gmail SMTP node outside n8n with the little of n8n's execute context that
// the node uses. Parameters not given fall back to the node description's defaults, as in n8n.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { GmailSmtp } from '../nodes/GmailSmtp/GmailSmtp.node';
import { REPO_ROOT } from '../testkit/repoRoot';

type Json = Record<string, unknown>;

/**
 * The built node, found the way n8n finds it: through the `n8n.nodes` entry of package.json,
 * under `distDir` (default: the package's dist/).
 */
export function loadGmailSmtpNode(distDir = join(REPO_ROOT, 'dist')): GmailSmtp {
	const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
		n8n: { nodes: string[] };
	};
	const entry = manifest.n8n.nodes.find((node) => node.endsWith('/GmailSmtp.node.js'));
	if (!entry) throw new Error('package.json lists no GmailSmtp.node.js');
	// eslint-disable-next-line @typescript-eslint/no-require-imports -- the built package, as n8n loads it
	const { GmailSmtp: Node } = require(join(distDir, entry.replace(/^dist\//, ''))) as {
		GmailSmtp: new () => GmailSmtp;
	};
	return new Node();
}

/**
 * Runs the node over `items` (plain JSON objects); a function parameter is evaluated per item,
 * like an n8n expression. Resolves with the node's first output, as n8n items.
 */
export async function runBuiltNode(options: {
	node: GmailSmtp;
	items: Json[];
	credentials: Json;
	parameters: Record<string, unknown>;
	continueOnFail?: boolean;
}): Promise<INodeExecutionData[]> {
	const items = options.items.map((json) => ({ json }) as INodeExecutionData);
	const defaults = Object.fromEntries(
		options.node.description.properties.map((property) => [property.name, property.default]),
	);
	const nodeInfo = {
		id: 'demo',
		name: 'Gmail SMTP',
		type: 'n8n-nodes-gmail-smtp.gmailSmtp',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const context = {
		getInputData: () => items,
		getNode: () => nodeInfo,
		continueOnFail: () => options.continueOnFail === true,
		getCredentials: async () => options.credentials,
		// n8n gives the workflow's time zone (GENERIC_TIMEZONE by default); here, this machine's.
		getTimezone: () =>
			process.env.GENERIC_TIMEZONE || Intl.DateTimeFormat().resolvedOptions().timeZone,
		getNodeParameter(name: string, itemIndex: number, ...fallback: unknown[]) {
			let value = lookup(options.parameters, name);
			if (typeof value === 'function') value = value(items[itemIndex].json, itemIndex);
			if (value === undefined && fallback.length > 0) value = fallback[0];
			if (value === undefined) value = lookup(defaults, name);
			if (value === undefined) throw new Error(`Could not get parameter "${name}"`);
			return value;
		},
	};
	const [output] = await options.node.execute.call(context as unknown as IExecuteFunctions);
	return output;
}

function lookup(object: unknown, dottedPath: string): unknown {
	return dottedPath
		.split('.')
		.reduce<unknown>(
			(value, key) =>
				value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined,
			object,
		);
}
