/** Small helpers for the Markdown the stages write. */

export function median(values: number[]): number {
	return percentile(values, 0.5);
}

/** The value below which `share` of the values lie (nearest rank; the median interpolates). */
export function percentile(values: number[], share: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	if (sorted.length === 0) return NaN;
	if (share === 0.5 && sorted.length % 2 === 0) {
		const middle = sorted.length / 2;
		return (sorted[middle - 1] + sorted[middle]) / 2;
	}
	return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
}

export const times = (value: number) => `${value.toFixed(2)}×`;

export const ratio = (a?: number, b?: number) => (a && b ? times(a / b) : 'n/a');

export const milliseconds = (value: number) =>
	value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${value.toFixed(value < 10 ? 1 : 0)} ms`;

/** The lowest and highest value, or the one value if they are the same. */
export function span(values: number[], format: (value: number) => string): string {
	const low = Math.min(...values);
	const high = Math.max(...values);
	return low === high ? format(low) : `${format(low)}–${format(high)}`;
}

/** A Markdown table; `align` has `r` (right) or `l` per column. */
export function table(header: string[], align: string, rows: Array<Array<string | number>>) {
	return [
		`| ${header.join(' | ')} |`,
		`|${[...align].map((side) => (side === 'r' ? '---:' : '---')).join('|')}|`,
		...rows.map((row) => `| ${row.join(' | ')} |`),
	];
}

export function met(achieved: boolean): string {
	return achieved ? '**met**' : '**not met**';
}
