import { batchesOf, runIsolating } from '../../../nodes/GmailSmtp/transport/isolatingBatches';

class Refused extends Error {}
const isolatable = (error: unknown) => error instanceof Refused;

describe('runIsolating', () => {
	it('runs each batch once when nothing fails', async () => {
		const runs: string[][] = [];
		const failed: string[] = [];
		const results = await runIsolating(
			[['a', 'b'], ['c']],
			async (batch) => {
				runs.push(batch);
				return batch.map((key) => key.toUpperCase());
			},
			isolatable,
			(key) => failed.push(key),
		);
		expect(results).toEqual(['A', 'B', 'C']);
		expect(runs).toEqual([['a', 'b'], ['c']]);
		expect(failed).toEqual([]);
	});

	it('a batch that fails is run again key by key; only the keys that fail alone fail, with their own error', async () => {
		const runs: string[][] = [];
		const failed: Array<[string, unknown]> = [];
		const results = await runIsolating(
			[['a', 'x', 'b', 'y'], ['c']],
			async (batch) => {
				runs.push(batch);
				const bad = batch.find((key) => key === 'x' || key === 'y');
				if (bad) throw new Refused(bad);
				return batch;
			},
			isolatable,
			(key, error) => failed.push([key, (error as Error).message]),
		);
		expect(results).toEqual(['a', 'b', 'c']);
		expect(runs).toEqual([['a', 'x', 'b', 'y'], ['a'], ['x'], ['b'], ['y'], ['c']]);
		expect(failed).toEqual([
			['x', 'x'],
			['y', 'y'],
		]);
	});

	it('a batch of one that fails is not run twice', async () => {
		let runs = 0;
		const failed: string[] = [];
		await runIsolating(
			[['x']],
			async () => {
				runs += 1;
				throw new Refused('no');
			},
			isolatable,
			(key) => failed.push(key),
		);
		expect(runs).toBe(1);
		expect(failed).toEqual(['x']);
	});

	it('any other failure ends the run, also while isolating', async () => {
		const fatal = new Error('login refused');
		await expect(
			runIsolating(
				[['a', 'b']],
				async () => {
					throw fatal;
				},
				isolatable,
				() => undefined,
			),
		).rejects.toBe(fatal);
		await expect(
			runIsolating(
				[['a', 'b']],
				async (batch) => {
					if (batch.length > 1) throw new Refused('batch');
					throw fatal;
				},
				isolatable,
				() => undefined,
			),
		).rejects.toBe(fatal);
	});
});

describe('batchesOf', () => {
	it('at most maxCount values per batch', () => {
		expect(batchesOf(['a', 'b', 'c', 'd', 'e'], 2)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
	});

	it('at most maxLength characters per batch; a longer value gets a batch of its own', () => {
		expect(batchesOf(['aaaa', 'bbb', 'cc', 'dddddddd', 'e'], 50, 7)).toEqual([
			['aaaa', 'bbb'],
			['cc'],
			['dddddddd'],
			['e'],
		]);
	});

	it('nothing to batch: no batches', () => {
		expect(batchesOf([], 50, 100)).toEqual([]);
	});
});
