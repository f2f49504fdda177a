import Handlebars from 'handlebars';

import { compileTemplates } from '../nodes/GmailSmtp/templating/templateRenderer';
import { orderItems, TEMPLATES } from './senders';
import type { BenchStage } from './stage';

export interface RenderCost {
	ourMicrosPerItem: number;
	rawHandlebarsMicrosPerItem: number;
	compilesForAllItems: number;
}

/** Per-item rendering through our renderer against raw Handlebars compiled once; `count` items per round. */
export function measureRenderCost(count: number): RenderCost {
	const items = orderItems(count).map((item) => item.json);
	let compiles = 0;
	const originalCreate = Handlebars.create;
	Handlebars.create = () => {
		const environment = originalCreate.call(Handlebars);
		const compile = environment.compile.bind(environment);
		environment.compile = ((input: unknown, options: unknown) => {
			compiles++;
			return compile(input as string, options as CompileOptions);
		}) as typeof environment.compile;
		return environment;
	};
	const compiled = compileTemplates(TEMPLATES);
	Handlebars.create = originalCreate;

	const renderOurs = () => {
		for (const item of items) compiled.render(item);
	};

	const raw = Handlebars.create();
	const subject = raw.compile(TEMPLATES.subject, { noEscape: true });
	const html = raw.compile(TEMPLATES.html);
	const text = raw.compile(TEMPLATES.text, { noEscape: true });
	const renderRaw = () => {
		for (const item of items) {
			subject(item);
			html(item);
			text(item);
		}
	};

	// Warm both up (JIT) and take the best of several alternating rounds.
	let ours = Infinity;
	let baseline = Infinity;
	for (let round = 0; round < 5; round++) {
		ours = Math.min(ours, timeMicros(renderOurs));
		baseline = Math.min(baseline, timeMicros(renderRaw));
	}
	return {
		ourMicrosPerItem: ours / count,
		rawHandlebarsMicrosPerItem: baseline / count,
		compilesForAllItems: compiles,
	};
}

function timeMicros(run: () => void): number {
	const start = process.hrtime.bigint();
	run();
	return Number(process.hrtime.bigint() - start) / 1000;
}

export const renderCost: BenchStage = {
	name: 'render',
	byDefault: true,
	async run() {
		const render = measureRenderCost(10_000);
		return [
			'## Rendering',
			'',
			`10,000 items, subject + HTML with #each + text: ${render.ourMicrosPerItem.toFixed(1)} µs/item through the node's renderer, ${render.rawHandlebarsMicrosPerItem.toFixed(1)} µs/item raw Handlebars compiled once (ratio ${(render.ourMicrosPerItem / render.rawHandlebarsMicrosPerItem).toFixed(2)}); templates compiled for all 10,000 items: ${render.compilesForAllItems}.`,
			'',
		];
	},
};
