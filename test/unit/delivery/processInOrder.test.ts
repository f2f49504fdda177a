import { processInOrder } from '../../../nodes/GmailSmtp/delivery/processInOrder';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('processInOrder', () => {
	it('returns results in index order with bounded parallelism after the first success', async () => {
		let running = 0;
		let peak = 0;
		const peaks: number[] = [];
		const results = await processInOrder(10, 3, async (index) => {
			running++;
			peak = Math.max(peak, running);
			peaks[index] = running;
			for (let i = 0; i < 10 - index; i++) await tick();
			running--;
			return { index, succeeded: true };
		});

		expect(results.map((result) => result.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
		expect(peaks[0]).toBe(1);
		expect(peak).toBe(3);
	});

	it('stays one at a time while nothing has succeeded', async () => {
		let running = 0;
		let peak = 0;
		await processInOrder(5, 3, async () => {
			running++;
			peak = Math.max(peak, running);
			await tick();
			running--;
			return { succeeded: false };
		});
		expect(peak).toBe(1);
	});

	it('starts nothing after a result that stops', async () => {
		const started: number[] = [];
		const results = await processInOrder(10, 1, async (index) => {
			started.push(index);
			return { stop: index === 2, succeeded: true };
		});
		expect(started).toEqual([0, 1, 2]);
		expect(results).toHaveLength(3);
	});

	it('handles no items', async () => {
		expect(await processInOrder(0, 3, async () => ({}))).toEqual([]);
	});
});
