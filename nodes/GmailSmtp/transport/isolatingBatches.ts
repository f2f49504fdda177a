/**
 * Many keys per command keeps a large run to a few round trips; one key that the server refuses
 * (or that breaks the connection) must not take the others of its batch down with it. These
 * helpers run batches and, when one fails for a reason of its own, run it again one key at a time.
 */

/**
 * Runs `run` for each batch. A batch that fails with an error `isolatable` says concerns that
 * command is run again key by key, and only the keys that still fail alone are handed to `fail`
 * (with their own error). Any other error ends the whole run.
 */
export async function runIsolating<K, R>(
	batches: readonly K[][],
	run: (batch: K[]) => Promise<R[]>,
	isolatable: (error: unknown) => boolean,
	fail: (key: K, error: unknown) => void,
): Promise<R[]> {
	const results: R[] = [];
	for (const batch of batches) {
		try {
			results.push(...(await run(batch)));
			continue;
		} catch (error) {
			if (!isolatable(error)) throw error;
			if (batch.length === 1) {
				fail(batch[0], error);
				continue;
			}
		}
		for (const key of batch) {
			try {
				results.push(...(await run([key])));
			} catch (error) {
				if (!isolatable(error)) throw error;
				fail(key, error);
			}
		}
	}
	return results;
}

/**
 * Splits values into batches of at most `maxCount` values and `maxLength` characters in all (a
 * value longer than that gets a batch of its own): servers limit the length of a command line.
 */
export function batchesOf(
	values: readonly string[],
	maxCount: number,
	maxLength = Number.POSITIVE_INFINITY,
): string[][] {
	const batches: string[][] = [];
	let batch: string[] = [];
	let length = 0;
	for (const value of values) {
		if (batch.length > 0 && (batch.length >= maxCount || length + value.length > maxLength)) {
			batches.push(batch);
			batch = [];
			length = 0;
		}
		batch.push(value);
		length += value.length;
	}
	if (batch.length > 0) batches.push(batch);
	return batches;
}

export function chunks<T>(values: readonly T[], size: number): T[][] {
	const result: T[][] = [];
	for (let start = 0; start < values.length; start += size) {
		result.push(values.slice(start, start + size));
	}
	return result;
}
