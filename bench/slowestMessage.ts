import { median, met, milliseconds, percentile, table } from './report';
import type { Sender } from './senderRun';
import type { BenchStage, MeasuredRun } from './stage';

/** No message may wait longer than this in any run. */
const BAR_MS = 5000;

/**
 * Many runs of a large batch, reporting the slowest message of every run rather than only the
 * throughput: the 60 s stall of the connection hand-off showed in about one run in five to ten
 * of 10,000 messages and hid in the medians. The senders take turns (by default our node on the
 * embedded store and on Redis: the connection slots of each are kept differently).
 */
export const slowestMessage: BenchStage = {
	name: 'slowest',
	byDefault: true,
	async run(bench) {
		const count = Number(bench.option('runs', '30'));
		const items = Number(bench.option('slowest-items', '10000'));
		const senders = bench.option('slowest-senders', 'A,A-redis').split(',') as Sender[];
		const runs: MeasuredRun[] = [];
		for (let index = 0; index < count; index++) {
			const sender = senders[index % senders.length];
			runs.push(await bench.send(sender, items, `run ${index + 1} of ${count}`));
		}
		return report(runs, items);
	},
};

function report(runs: MeasuredRun[], items: number): string[] {
	const worst = runs.reduce((a, b) => (b.slowestMs > a.slowestMs ? b : a));
	const over = runs.filter((run) => run.slowestMs > BAR_MS);
	const senders = [...new Set(runs.map((run) => run.sender))];
	return [
		`## The slowest message of every run (${runs.length} runs of ${items.toLocaleString('en')})`,
		'',
		'A message\'s time runs from the moment the node began on it (its permit for a connection, the rate window and the ledger included) until the server had it; "p99" is the time 99 % of the run\'s messages stayed within.',
		'',
		...table(
			['run', 'sender', 'msg/s', 'slowest message', 'p99', 'conns / logins', 'peak RSS'],
			'rlrrrlr',
			runs.map((run, index) => [
				index + 1,
				run.sender,
				run.perSecond.toFixed(1),
				milliseconds(run.slowestMs),
				milliseconds(run.p99Ms),
				`${run.connections} / ${run.logins}`,
				`${run.peakRssMb.toFixed(0)} MB`,
			]),
		),
		'',
		`No message waiting more than ${BAR_MS / 1000} s in any run: ${met(over.length === 0)}; the slowest of all ${runs.length} runs took ${milliseconds(worst.slowestMs)} (run ${runs.indexOf(worst) + 1}, ${worst.sender})${over.length > 0 ? `, and ${over.length} run(s) had a message over ${BAR_MS / 1000} s` : ''}.`,
		...senders.map((sender) => {
			const own = runs.filter((run) => run.sender === sender);
			return `- ${sender}: ${own.length} runs, ${median(own.map((run) => run.perSecond)).toFixed(0)} msg/s (median; lowest ${Math.min(...own.map((run) => run.perSecond)).toFixed(0)}), slowest message ${milliseconds(
				percentile(
					own.map((run) => run.slowestMs),
					0.5,
				),
			)} in the median run and ${milliseconds(Math.max(...own.map((run) => run.slowestMs)))} at worst, peak RSS ${median(own.map((run) => run.peakRssMb)).toFixed(0)} MB (median).`;
		}),
		'',
	];
}
