import { median, met, milliseconds, ratio, span, table, times } from './report';
import type { Sender } from './senderRun';
import type { BenchStage, MeasuredRun } from './stage';

/** The bars: each store keeps at least this share of the in-process (A-memory) throughput. */
const BARS: Array<{ sender: Sender; items: number; ratio: number; origin: string }> = [
	{ sender: 'A-embedded', items: 1000, ratio: 0.8, origin: 'issue 22' },
	{ sender: 'A-embedded', items: 10000, ratio: 0.8, origin: 'issue 22' },
	{ sender: 'A-redis', items: 1000, ratio: 0.9, origin: 'the account-guard issue' },
];

/**
 * What the account's shared budget costs: our node with the budget in memory, in the embedded
 * store (the default without queue mode) and in Redis, against raw pooled nodemailer, taking turns
 * round by round so that the machine's noise hits every sender alike. Also peak RSS at the largest
 * size against raw nodemailer.
 */
export const storeCost: BenchStage = {
	name: 'stores',
	byDefault: true,
	async run(bench) {
		const sizes = bench.option('sizes', '1000,10000').split(',').map(Number);
		const rounds = Math.max(1, Number(bench.option('repeat', '3')));
		const senders = bench.option('senders', 'A-memory,A-embedded,A-redis,C').split(',') as Sender[];
		const runs: Array<MeasuredRun & { round: number }> = [];
		for (const items of sizes) {
			for (let round = 1; round <= rounds; round++) {
				for (const sender of senders) {
					const run = await bench.send(sender, items, `round ${round}`);
					runs.push({ ...run, round });
				}
			}
		}
		return report(runs, sizes, senders, rounds);
	},
};

function report(
	runs: Array<MeasuredRun & { round: number }>,
	sizes: number[],
	senders: Sender[],
	rounds: number,
): string[] {
	const runsOf = (sender: Sender, items: number) =>
		runs.filter((run) => run.sender === sender && run.items === items);
	const rate = (sender: Sender, items: number) => {
		const own = runsOf(sender, items);
		return own.length > 0 ? median(own.map((run) => run.perSecond)) : undefined;
	};
	/** The ratio within each round: the spread shows the noise. */
	const paired = (a: Sender, b: Sender, items: number) =>
		runsOf(a, items).flatMap((run) => {
			const other = runsOf(b, items).find((candidate) => candidate.round === run.round);
			return other ? [run.perSecond / other.perSecond] : [];
		});
	const count = (own: MeasuredRun[], pick: (run: MeasuredRun) => number) =>
		span(own.map(pick), (value) => `${value}`);

	const lines = [
		'## What the shared budget costs',
		'',
		`Each figure is the median of ${rounds} run${rounds > 1 ? 's' : ''}, the senders taking turns round by round; "slowest" is the longest any one message of the size's runs took, from the moment the sender began on it until the server had it.`,
		'',
		...table(
			[
				'items',
				'sender',
				'msg/s',
				'runs (msg/s)',
				'÷ A-memory',
				'÷ C',
				'slowest message',
				'conns / logins',
			],
			'rlrlrrrl',
			sizes.flatMap((items) =>
				senders.flatMap((sender) => {
					const own = runsOf(sender, items);
					if (own.length === 0) return [];
					return [
						[
							items,
							sender,
							rate(sender, items)!.toFixed(1),
							own.map((run) => run.perSecond.toFixed(1)).join(', '),
							sender === 'A-memory' ? '–' : ratio(rate(sender, items), rate('A-memory', items)),
							sender === 'C' ? '–' : ratio(rate(sender, items), rate('C', items)),
							milliseconds(Math.max(...own.map((run) => run.slowestMs))),
							`${count(own, (run) => run.connections)} / ${count(own, (run) => run.logins)}`,
						],
					];
				}),
			),
		),
		'',
	];

	const bars = BARS.filter((bar) => rate(bar.sender, bar.items) && rate('A-memory', bar.items));
	if (bars.length > 0) {
		lines.push(
			'The bars, each store against the in-process figure (A-memory) of the same run:',
			'',
		);
		for (const bar of bars) {
			const achieved = rate(bar.sender, bar.items)! / rate('A-memory', bar.items)!;
			const perRound = paired(bar.sender, 'A-memory', bar.items).map(times).join(', ');
			lines.push(
				`- ${bar.sender} at ${bar.items.toLocaleString('en')} items, at least ${bar.ratio}× (${bar.origin}): ${met(achieved >= bar.ratio)} at ${times(achieved)} (${rate(bar.sender, bar.items)!.toFixed(0)} against ${rate('A-memory', bar.items)!.toFixed(0)} msg/s; per round ${perRound}).`,
			);
		}
		lines.push('');
	}

	const largest = sizes[sizes.length - 1];
	const rss = (sender: Sender) => median(runsOf(sender, largest).map((run) => run.peakRssMb));
	const measuredRss = senders.filter((sender) => runsOf(sender, largest).length > 0);
	if (measuredRss.includes('C')) {
		lines.push(
			`Peak RSS of the sending process at ${largest.toLocaleString('en')} items (median of its runs), against raw pooled nodemailer:`,
			'',
			...table(
				['sender', 'peak RSS', '÷ C'],
				'lrr',
				measuredRss.map((sender) => [
					sender,
					`${rss(sender).toFixed(0)} MB`,
					sender === 'C' ? '–' : times(rss(sender) / rss('C')),
				]),
			),
			'',
		);
	}

	const redisRuns = runsOf('A-redis', largest).filter((run) => run.redis);
	const stats = redisRuns[0]?.redis;
	if (stats) {
		const perMessage = (value: number) => (value / largest).toFixed(2);
		lines.push(
			`Redis per message in an A-redis run of ${largest.toLocaleString('en')}: ${perMessage(stats.requests)} requests (round trips), ${perMessage(stats.inScripts)} commands inside the scripts, ${((stats.serverMicros / largest) | 0).toString()} µs of Redis server time.`,
			'',
		);
	}
	return lines;
}
