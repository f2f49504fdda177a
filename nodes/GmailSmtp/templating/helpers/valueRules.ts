import { truncate } from '../../fieldText';

// What the values a template passes to a helper mean to its author: missing, truthy, a number;
// only own properties are ever read.

/** What a template author means by "no value": absent, null, or blank text. */
export function isMissing(value: unknown): boolean {
	return (
		value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
	);
}

/** Truthiness as `{{#if}}` sees it: empty arrays are false too. */
export function isTruthy(value: unknown): boolean {
	return Array.isArray(value) ? value.length > 0 : Boolean(value);
}

/** Numbers and numeric text (`"12.50"`, as CSV and CRM exports give them) as a number. */
export function toNumber(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value === 'string' && value.trim() !== '') {
		const number = Number(value.trim());
		return Number.isFinite(number) ? number : undefined;
	}
	return undefined;
}

/** Reads an own property only: templates must never reach prototypes through a helper. */
export function ownProperty(value: unknown, key: string): unknown {
	if (value === null || typeof value !== 'object') return undefined;
	return Object.prototype.hasOwnProperty.call(value, key)
		? (value as Record<string, unknown>)[key]
		: undefined;
}

export function describeValue(value: unknown): string {
	const text = typeof value === 'string' ? `"${value}"` : String(value);
	return truncate(text, 60);
}
