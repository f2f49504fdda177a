import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { REPO_ROOT } from '../testkit/repoRoot';
import type { Workflow } from './workflow';

const EXAMPLES = join(REPO_ROOT, 'examples');

/** The example workflows shipped in examples/ (`*.workflow.json`), by file name. */
export function exampleFiles(): string[] {
	return readdirSync(EXAMPLES).filter((file) => file.endsWith('.workflow.json'));
}

/** An example workflow as shipped. */
export function loadExample(file: string): Workflow {
	return JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as Workflow;
}

/** An example with every Wait node shortened to one second: three days are three days in n8n too. */
export function loadExampleWithShortWaits(file: string): Workflow {
	const workflow = loadExample(file);
	for (const node of workflow.nodes) {
		if (node.type === 'n8n-nodes-base.wait') {
			Object.assign(node.parameters, { amount: 1, unit: 'seconds' });
		}
	}
	return workflow;
}
