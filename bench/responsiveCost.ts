import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { messageComposer } from '../nodes/GmailSmtp/actions/shared/messageComposer';
import { readGmailSmtpCredentials } from '../nodes/GmailSmtp/transport/gmailSmtpCredentials';
import { fakeExecuteContext } from '../testkit/fakeExecuteContext';
import type { BenchStage } from './stage';

const EXAMPLE = join(__dirname, '..', '..', 'examples');
const template = (file: string) => readFileSync(join(EXAMPLE, 'order-confirmation', file), 'utf8');

export interface ResponsiveCost {
	items: number;
	/** Compose per item (render, message) for the plain HTML example, inlining off, its Text template. */
	htmlMicrosPerItem: number;
	/** The same for the MJML example with CSS inlined and a preheader, its one MJML compile included. */
	mjmlMicrosPerItem: number;
	/** Both again with Text left empty: the text part generated from each item's HTML. */
	htmlGeneratedTextMicrosPerItem: number;
	mjmlGeneratedTextMicrosPerItem: number;
	/** One MJML compile and inlining of the example: what each item would cost if done per item. */
	mjmlCompileMicros: number;
	/** Loading MJML and juice the first time, once per n8n process. */
	firstLoadMillis: number;
}

/**
 * The per-item cost of Template Format MJML with Inline CSS against plain HTML, through the same
 * composer Send and Preview use, `count` example orders per round. Each MJML round uses a template
 * of its own, so its compile (once per execution) is in the figure rather than served from the
 * process-wide cache; the first load of MJML and juice is reported apart.
 */
export async function measureResponsiveCost(count: number): Promise<ResponsiveCost> {
	const orders = JSON.parse(template('../orders.json')) as IDataObject[];
	const items: INodeExecutionData[] = Array.from({ length: count }, (_, n) => ({
		json: { ...orders[n % orders.length], email: `customer${n}@example.com` },
	}));
	const plain = (text: string) => ({
		templateFormat: 'html',
		html: template('html.hbs'),
		text,
		options: { inlineCss: false },
	});
	const mjml = (round: string, text: string) => ({
		templateFormat: 'mjml',
		html: template('html.mjml').replace('<mj-body ', `<mj-body css-class="round-${round}" `),
		text,
		options: { preheader: 'Order {{order.id}}: {{order.total}} {{order.currency}}' },
	});
	const text = template('text.hbs');

	const firstLoadMillis = (await composeAll(items.slice(0, 1), mjml('load', text))) / 1000;
	const mjmlCompileMicros = await composeAll(items.slice(0, 1), mjml('compile', text));
	const best = [Infinity, Infinity, Infinity, Infinity];
	for (let round = 0; round < 5; round++) {
		const runs = [plain(text), mjml(`${round}`, text), plain(''), mjml(`${round}-generated`, '')];
		for (const [index, parameters] of runs.entries()) {
			best[index] = Math.min(best[index], await composeAll(items, parameters));
		}
	}
	const [html, responsive, htmlGenerated, responsiveGenerated] = best.map(
		(micros) => micros / count,
	);
	return {
		items: count,
		htmlMicrosPerItem: html,
		mjmlMicrosPerItem: responsive,
		htmlGeneratedTextMicrosPerItem: htmlGenerated,
		mjmlGeneratedTextMicrosPerItem: responsiveGenerated,
		mjmlCompileMicros,
		firstLoadMillis,
	};
}

export function formatResponsiveCost(cost: ResponsiveCost): string {
	const ratio = cost.mjmlMicrosPerItem / cost.htmlMicrosPerItem;
	const generated = cost.mjmlGeneratedTextMicrosPerItem / cost.htmlGeneratedTextMicrosPerItem;
	const micros = (value: number) => value.toFixed(1);
	return [
		'',
		`## Responsive emails: MJML + inlined CSS against plain HTML (${cost.items} items, one run)`,
		'',
		'Compose per item (render, build the message, size checks) through the composer Send and Preview use, best of 5 rounds; the MJML figure includes its one compile per execution.',
		'',
		'| template (examples/order-confirmation) | text part | µs per item | vs plain HTML |',
		'|---|---|---|---|',
		`| plain HTML (html.hbs, Inline CSS off) | text.hbs | ${micros(cost.htmlMicrosPerItem)} | 1.00× |`,
		`| MJML + Inline CSS + preheader (html.mjml) | text.hbs | ${micros(cost.mjmlMicrosPerItem)} | ${ratio.toFixed(2)}× (goal ≤ 2×: ${ratio <= 2 ? 'met' : 'NOT met'}) |`,
		`| plain HTML (html.hbs, Inline CSS off) | generated from the HTML | ${micros(cost.htmlGeneratedTextMicrosPerItem)} | 1.00× |`,
		`| MJML + Inline CSS + preheader (html.mjml) | generated from the HTML | ${micros(cost.mjmlGeneratedTextMicrosPerItem)} | ${generated.toFixed(2)}× (goal ≤ 2×: ${generated <= 2 ? 'met' : 'NOT met'}) |`,
		'',
		"A generated text part runs html-to-text over each item's HTML, and MJML's HTML is about 20 times the plain template's: that, not MJML, is the difference in the last row.",
		'',
		`One MJML compile + inlining of the example takes ${(cost.mjmlCompileMicros / 1000).toFixed(1)} ms, ${(cost.mjmlCompileMicros / cost.htmlMicrosPerItem).toFixed(0)}× a plain item: compiled per item it would dominate. Loading MJML and juice the first time in a process: ${cost.firstLoadMillis.toFixed(0)} ms.`,
		'',
	].join('\n');
}

/** Microseconds to compile the templates (once) and compose every item's message. */
async function composeAll(items: INodeExecutionData[], parameters: IDataObject): Promise<number> {
	const credentials = readGmailSmtpCredentials({
		user: 'shop@gmail.com',
		appPassword: 'abcd efgh ijkl mnop',
	});
	const { context } = fakeExecuteContext({
		items,
		credentials: {},
		parameters: {
			toEmail: (_index: number, item: INodeExecutionData) => item.json.email,
			subject: template('subject.hbs').trim(),
			...parameters,
		},
	});
	const start = process.hrtime.bigint();
	const composer = await messageComposer(context, credentials);
	for (const unit of composer.units) await composer.compose(unit);
	return Number(process.hrtime.bigint() - start) / 1000;
}

export const responsiveCost: BenchStage = {
	name: 'responsive',
	byDefault: true,
	async run() {
		return formatResponsiveCost(await measureResponsiveCost(1000)).split('\n');
	},
};
