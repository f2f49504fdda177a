import { DateTime, type DateTimeFormatOptions } from 'luxon';
import { dateFormatProblem } from './dateFormat';
import { HelperInputError, hashString, splitArguments, type HelperSettings } from './helperCall';
import { describeValue, isMissing } from './valueRules';

/** This node's own preset names, kept from before patterns were Luxon's (none is a Luxon format). */
const NAMED_PRESETS: Record<string, DateTimeFormatOptions> = {
	short: { dateStyle: 'short' },
	medium: { dateStyle: 'medium' },
	long: { dateStyle: 'long' },
	full: { dateStyle: 'full' },
	time: { timeStyle: 'short' },
	datetime: { dateStyle: 'medium', timeStyle: 'short' },
};
const DEFAULT_PRESET = 'medium';

/** Luxon's presets, by the names n8n users pass to `$now.toLocaleString(DateTime.DATE_MED)`. */
const LUXON_PRESETS = [
	'DATE_SHORT',
	'DATE_MED',
	'DATE_MED_WITH_WEEKDAY',
	'DATE_FULL',
	'DATE_HUGE',
	'TIME_SIMPLE',
	'TIME_WITH_SECONDS',
	'TIME_WITH_SHORT_OFFSET',
	'TIME_WITH_LONG_OFFSET',
	'TIME_24_SIMPLE',
	'TIME_24_WITH_SECONDS',
	'TIME_24_WITH_SHORT_OFFSET',
	'TIME_24_WITH_LONG_OFFSET',
	'DATETIME_SHORT',
	'DATETIME_SHORT_WITH_SECONDS',
	'DATETIME_MED',
	'DATETIME_MED_WITH_SECONDS',
	'DATETIME_MED_WITH_WEEKDAY',
	'DATETIME_FULL',
	'DATETIME_FULL_WITH_SECONDS',
	'DATETIME_HUGE',
	'DATETIME_HUGE_WITH_SECONDS',
] as const;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const NUMERIC = /^-?\d+(\.\d+)?$/;
/** Below this, a number is taken as Unix seconds (as Stripe and many APIs send), not milliseconds. */
const SECONDS_BELOW = 100_000_000_000;

/**
 * ICU writes a narrow no-break space before AM/PM (`9:30 PM`). Node turns it into a plain space on
 * Luxon's path for named zones but not for UTC, so the same template would print differently by
 * zone; email subjects and plain text are better off with the plain space everywhere.
 */
const NARROW_NO_BREAK_SPACE = /\u202f/g;

/** The zones a value is read in (text without an offset) and shown in. */
export interface DateZones {
	read: string;
	show: string;
}

/**
 * `{{formatDate value [format] timeZone="…" locale="…"}}`. `format` is a Luxon pattern, the same
 * as n8n's `$now.toFormat()` (`dd.MM.yyyy HH:mm`, `cccc, d MMMM 'at' h:mm a`), a Luxon preset
 * name (`DATE_MED`), or one of this node's presets (`short`, `medium`, `long`, `full`, `time`,
 * `datetime`).
 */
export function formatDateHelper(settings: HelperSettings) {
	return function formatDate(...args: unknown[]): string {
		const { params, options } = splitArguments(args);
		const [value, formatParam] = params;
		const format = typeof formatParam === 'string' && formatParam ? formatParam : DEFAULT_PRESET;
		// The pattern is checked even when the value is missing, so a wrong one fails every item.
		const preset = presetOptions(format);
		const problem = preset ? undefined : dateFormatProblem(format);
		if (problem) throw new HelperInputError('formatDate', problem);
		if (isMissing(value)) return '';

		const zones = {
			read: checkedZone(settings.timeZone),
			show: checkedZone(hashString(options, 'timeZone') ?? settings.timeZone),
		};
		const locale = checkedLocale(hashString(options, 'locale') ?? settings.locale);
		const dateTime = toDateTime(value, zones).setZone(zones.show).setLocale(locale);
		const text = preset ? dateTime.toLocaleString(preset) : dateTime.toFormat(format);
		return text.replace(NARROW_NO_BREAK_SPACE, ' ');
	};
}

function presetOptions(format: string): DateTimeFormatOptions | undefined {
	if (Object.prototype.hasOwnProperty.call(NAMED_PRESETS, format)) return NAMED_PRESETS[format];
	const name = format.replace(/^DateTime\./, '');
	const luxonPreset = LUXON_PRESETS.find((preset) => preset === name);
	return luxonPreset ? DateTime[luxonPreset] : undefined;
}

/**
 * Reads a value as n8n does (`tryToParseDateTime`): Luxon DateTimes and JS Dates as they are;
 * numbers as Unix seconds or milliseconds; ISO, HTTP, RFC 2822 and SQL text, where text without an
 * offset is wall time in the workflow's zone; then whatever JavaScript's `Date.parse` reads. A bare
 * day (`2026-03-14`) is a calendar day, not an instant: midnight in the zone it is shown in, so it
 * is that day everywhere.
 */
export function toDateTime(value: unknown, zones: DateZones): DateTime {
	if (DateTime.isDateTime(value)) {
		// Possibly from n8n's own copy of Luxon: only its instant is used.
		if (!value.isValid) throw notADate(value);
		return fromMillis(value.toMillis(), value);
	}
	if (value instanceof Date) return fromMillis(value.getTime(), value);
	if (typeof value === 'number') {
		return fromMillis(Math.abs(value) < SECONDS_BELOW ? value * 1000 : value, value);
	}
	if (typeof value === 'string') return fromText(value, zones);
	// Other date objects (Moment, Day.js) give their epoch milliseconds from valueOf().
	if (typeof value === 'object' && value !== null && typeof value.valueOf === 'function') {
		const primitive = (value as { valueOf(): unknown }).valueOf();
		if (typeof primitive === 'number') return fromMillis(primitive, value);
	}
	throw notADate(value);
}

function fromText(value: string, zones: DateZones): DateTime {
	const text = value.trim();
	if (text === 'now') return DateTime.now();
	if (NUMERIC.test(text)) return toDateTime(Number(text), zones);
	if (DATE_ONLY.test(text)) return valid(DateTime.fromISO(text, { zone: zones.show }), value);
	const options = { zone: zones.read };
	for (const parse of [
		DateTime.fromISO,
		DateTime.fromHTTP,
		DateTime.fromRFC2822,
		DateTime.fromSQL,
	]) {
		const parsed = parse.call(DateTime, text, options);
		if (parsed.isValid) return parsed;
	}
	return fromMillis(Date.parse(text), value);
}

function fromMillis(millis: number, original: unknown): DateTime {
	if (!Number.isFinite(millis)) throw notADate(original);
	return valid(DateTime.fromMillis(millis), original);
}

function valid(dateTime: DateTime, original: unknown): DateTime {
	if (!dateTime.isValid) throw notADate(original);
	return dateTime;
}

function notADate(value: unknown): HelperInputError {
	return new HelperInputError(
		'formatDate',
		`${describeValue(value)} is not a date. Use an ISO date such as 2026-03-14T09:30:00Z, a date such as 2026-03-14, or a Unix timestamp.`,
	);
}

function checkedZone(zone: string): string {
	if (DateTime.fromMillis(0, { zone }).isValid) return zone;
	throw new HelperInputError(
		'formatDate',
		`unknown time zone "${zone}". Use an IANA time zone such as Europe/Berlin, or UTC.`,
	);
}

function checkedLocale(locale: string): string {
	try {
		Intl.getCanonicalLocales(locale);
		return locale;
	} catch {
		throw new HelperInputError(
			'formatDate',
			`"${locale}" is not a locale. Use a locale such as en-US or de-DE.`,
		);
	}
}
