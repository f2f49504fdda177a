export interface OrderedResult {
	/** No further index is started. */
	stop?: boolean;
	/** This index succeeded, so running several at once is safe from now on. */
	succeeded?: boolean;
}

/**
 * Runs `work` for the indexes 0..count-1, started in index order, and returns the results in
 * index order. Indexes run one at a time until one succeeds, then up to `concurrency` at once:
 * when the login is wrong, one attempt is made instead of `concurrency` parallel ones (Google locks
 * accounts after repeated bad logins). Once a result has `stop` set, no further index is started,
 * and the returned array ends at the last index that was started.
 */
export async function processInOrder<T extends OrderedResult>(
	count: number,
	concurrency: number,
	work: (index: number) => Promise<T>,
): Promise<T[]> {
	const results: T[] = [];
	let next = 0;
	let stopped = false;
	const runNext = async (): Promise<T> => {
		const index = next++;
		const result = await work(index);
		results[index] = result;
		if (result.stop) stopped = true;
		return result;
	};

	while (!stopped && next < count) {
		if ((await runNext()).succeeded) break;
	}
	const worker = async () => {
		while (!stopped && next < count) await runNext();
	};
	await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
	return results.slice(0, next);
}
