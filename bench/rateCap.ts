import { median, milliseconds } from './report';
import type { BenchStage, MeasuredRun } from './stage';

/**
 * What the credential's default rate cap (Max Messages per Second 5, right for Gmail) means for a
 * run: a day's worth of a free account's messages with the defaults as shipped, and the same run
 * with the cap off, as on a local relay (the median of a few runs: it lasts seconds, so the
 * machine's noise shows). The README's performance section quotes both.
 */
export const rateCap: BenchStage = {
	name: 'ratecap',
	byDefault: true,
	async run(bench) {
		const items = Number(bench.option('ratecap-items', '500'));
		const capped = await bench.send('A-defaults', items, 'default rate cap');
		const uncapped: MeasuredRun[] = [];
		for (let round = 1; round <= 3; round++) {
			uncapped.push(await bench.send('A-uncapped', items, `no rate cap, round ${round}`));
		}
		const uncappedMs = median(uncapped.map((run) => run.elapsedMs));
		const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
		return [
			`## The default rate cap (${items} items)`,
			'',
			`With the credential's defaults (A-defaults), ${items} items took ${seconds(capped.elapsedMs)} (${capped.perSecond.toFixed(2)} msg/s; slowest message ${milliseconds(capped.slowestMs)}, as each waited for its place in the rate window): Max Messages per Second 5 lets at most 5 messages reach the server in any second, so ${items} take at least ${items / 5} s. The same run with the cap off (A-uncapped) took ${seconds(uncappedMs)} (median of ${uncapped.map((run) => seconds(run.elapsedMs)).join(', ')}; ${((items / uncappedMs) * 1000).toFixed(0)} msg/s), ${(capped.elapsedMs / uncappedMs).toFixed(0)}× less.`,
			'',
		];
	},
};
