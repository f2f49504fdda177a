import { HelperInputError, hashString, splitArguments, type HelperSettings } from './types';
import { describeValue, isMissing } from './values';

const PRESETS: Record<string, Intl.DateTimeFormatOptions> = {
	short: { dateStyle: 'short' },
	medium: { dateStyle: 'medium' },
	long: { dateStyle: 'long' },
	full: { dateStyle: 'full' },
	time: { timeStyle: 'short' },
	datetime: { dateStyle: 'medium', timeStyle: 'short' },
};
const DEFAULT_PRESET = 'medium';

const PATTERN_TOKENS = /'([^']*)'|yyyy|yy|MMMM|MMM|MM|M|dd|d|EEEE|EEE|HH|H|hh|h|mm|ss|a|z/g;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** Below this, a number is taken as Unix seconds (as Stripe and many APIs send), not milliseconds. */
const SECONDS_BELOW = 100_000_000_000;

interface ParsedDate {
	date: Date;
	/** `2026-03-14` is a calendar day, not an instant: it is shown as that day in every zone. */
	dateOnly: boolean;
}

/**
 * `{{formatDate value [format] timeZone="…" locale="…"}}`. `format` is a preset (`short`, `medium`,
 * `long`, `full`, `time`, `datetime`) or a pattern such as `dd.MM.yyyy HH:mm` or
 * `EEEE, d MMMM 'at' h:mm a`.
 */
export function formatDateHelper(settings: HelperSettings) {
	return function formatDate(...args: unknown[]): string {
		const { params, options } = splitArguments(args);
		const [value, formatParam] = params;
		if (isMissing(value)) return '';
		const parsed = parseDate(value);
		const format = typeof formatParam === 'string' && formatParam ? formatParam : DEFAULT_PRESET;
		const locale = hashString(options, 'locale') ?? settings.locale;
		const timeZone = parsed.dateOnly
			? 'UTC'
			: (hashString(options, 'timeZone') ?? settings.timeZone);
		const preset = PRESETS[format];
		if (preset) {
			return new Intl.DateTimeFormat(locale, { ...preset, timeZone }).format(parsed.date);
		}
		return formatPattern(parsed.date, format, locale, timeZone);
	};
}

export function parseDate(value: unknown): ParsedDate {
	if (value instanceof Date) return checked(value, value, false);
	if (typeof value === 'number') {
		return checked(new Date(Math.abs(value) < SECONDS_BELOW ? value * 1000 : value), value, false);
	}
	if (typeof value === 'string') {
		const text = value.trim();
		if (text === 'now') return { date: new Date(), dateOnly: false };
		if (/^-?\d+(\.\d+)?$/.test(text)) return parseDate(Number(text));
		if (DATE_ONLY.test(text)) return checked(new Date(`${text}T00:00:00Z`), value, true);
		return checked(new Date(text), value, false);
	}
	// Luxon DateTime (n8n's `$now`) and similar objects convert to epoch milliseconds.
	if (typeof value === 'object' && value !== null && typeof value.valueOf === 'function') {
		const primitive = (value as { valueOf(): unknown }).valueOf();
		if (typeof primitive === 'number') return checked(new Date(primitive), value, false);
	}
	throw notADate(value);
}

function checked(date: Date, original: unknown, dateOnly: boolean): ParsedDate {
	if (Number.isNaN(date.getTime())) throw notADate(original);
	return { date, dateOnly };
}

function notADate(value: unknown): HelperInputError {
	return new HelperInputError(
		'formatDate',
		`${describeValue(value)} is not a date. Use an ISO date such as 2026-03-14T09:30:00Z, a date such as 2026-03-14, or a Unix timestamp.`,
	);
}

function formatPattern(date: Date, pattern: string, locale: string, timeZone: string): string {
	const fields = numericFields(date, timeZone);
	const named = (options: Intl.DateTimeFormatOptions) =>
		new Intl.DateTimeFormat(locale, { ...options, timeZone }).format(date);
	const pad = (value: number) => String(value).padStart(2, '0');
	const hour12 = fields.hour % 12 === 0 ? 12 : fields.hour % 12;

	return pattern.replace(PATTERN_TOKENS, (token: string, literal: string | undefined) => {
		if (literal !== undefined) return literal;
		switch (token) {
			case 'yyyy':
				return String(fields.year);
			case 'yy':
				return pad(fields.year % 100);
			case 'MMMM':
				return named({ month: 'long' });
			case 'MMM':
				return named({ month: 'short' });
			case 'MM':
				return pad(fields.month);
			case 'M':
				return String(fields.month);
			case 'dd':
				return pad(fields.day);
			case 'd':
				return String(fields.day);
			case 'EEEE':
				return named({ weekday: 'long' });
			case 'EEE':
				return named({ weekday: 'short' });
			case 'HH':
				return pad(fields.hour);
			case 'H':
				return String(fields.hour);
			case 'hh':
				return pad(hour12);
			case 'h':
				return String(hour12);
			case 'mm':
				return pad(fields.minute);
			case 'ss':
				return pad(fields.second);
			case 'a':
				return dayPeriod(date, locale, timeZone);
			default:
				return timeZoneName(date, locale, timeZone);
		}
	});
}

function numericFields(date: Date, timeZone: string) {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: 'numeric',
		day: 'numeric',
		hour: 'numeric',
		minute: 'numeric',
		second: 'numeric',
	}).formatToParts(date);
	const field = (type: Intl.DateTimeFormatPartTypes) =>
		Number(parts.find((part) => part.type === type)?.value ?? 0);
	return {
		year: field('year'),
		month: field('month'),
		day: field('day'),
		hour: field('hour') % 24,
		minute: field('minute'),
		second: field('second'),
	};
}

function dayPeriod(date: Date, locale: string, timeZone: string): string {
	const parts = new Intl.DateTimeFormat(locale, {
		timeZone,
		hour: 'numeric',
		hourCycle: 'h12',
	}).formatToParts(date);
	return parts.find((part) => part.type === 'dayPeriod')?.value ?? '';
}

function timeZoneName(date: Date, locale: string, timeZone: string): string {
	const parts = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' }).formatToParts(
		date,
	);
	return parts.find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
}
