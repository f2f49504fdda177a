import { DateTime } from 'luxon';
import { renderWith } from './renderWith';

/** A Saturday; 22:30 in Berlin (UTC+1), 17:30 in New York (EDT since 8 March), Sunday in Tokyo. */
const instant = '2026-03-14T21:30:05Z';

const data = {
	at: instant,
	day: '2026-03-14',
	seconds: 1_700_000_000,
	millis: 1_700_000_000_000,
	secondsText: '1700000000',
};

function render(template: string, settings: { locale?: string; timeZone?: string } = {}) {
	return renderWith(template, data, settings).text;
}

/** The `description` of the error rendering `template` fails with. */
function failureOf(template: string, values: unknown = data): string {
	try {
		renderWith(template, values);
	} catch (error) {
		return (error as { failure: { description: string } }).failure.description;
	}
	throw new Error(`${template} rendered`);
}

describe('formatDate with Luxon patterns', () => {
	it.each([
		[
			'pattern in Berlin (UTC+1 in March)',
			'dd.MM.yyyy HH:mm',
			'en-US',
			'Europe/Berlin',
			'14.03.2026 22:30',
		],
		[
			'12-hour clock and a quoted literal',
			"EEEE, d MMMM yyyy 'at' h:mm a",
			'en-US',
			'America/New_York',
			'Saturday, 14 March 2026 at 5:30 PM',
		],
		[
			'the README example',
			"cccc, d MMMM 'at' h:mm a ZZZZ",
			'en-US',
			'America/New_York',
			'Saturday, 14 March at 5:30 PM EDT',
		],
		[
			'German names and zone',
			"cccc, d. MMMM yyyy, HH:mm 'Uhr' ZZZZ",
			'de-DE',
			'Europe/Berlin',
			'Samstag, 14. März 2026, 22:30 Uhr MEZ',
		],
		[
			'German short names: format (EEE, MMM) and standalone (ccc, LLL)',
			'EEE ccc MMM LLL',
			'de-DE',
			'Europe/Berlin',
			'Sa. Sa März Mär',
		],
		[
			'French with quoted text',
			"cccc d LLLL yyyy 'à' HH'h'mm",
			'fr-FR',
			'Europe/Paris',
			'samedi 14 mars 2026 à 22h30',
		],
		[
			'Polish month in a date (MMMM) and on its own (LLLL)',
			'd MMMM yyyy / LLLL',
			'pl-PL',
			'Europe/Warsaw',
			'14 marca 2026 / marzec',
		],
		[
			'Japanese: other characters print as written; the next day in Tokyo',
			'yyyy年M月d日(ccc) HH:mm',
			'ja-JP',
			'Asia/Tokyo',
			'2026年3月15日(日) 06:30',
		],
		[
			'Arabic digits in ar-EG, as Luxon prints them',
			'dd/MM/yyyy',
			'ar-EG',
			'Asia/Riyadh',
			'١٥/٠٣/٢٠٢٦',
		],
		[
			'ISO with offset',
			"yyyy-MM-dd'T'HH:mm:ssZZ",
			'en-US',
			'America/New_York',
			'2026-03-14T17:30:05-04:00',
		],
		[
			'macros: localized date and 24-hour time',
			'DDD, T',
			'de-DE',
			'Europe/Berlin',
			'14. März 2026, 22:30',
		],
		['ISO week', "kkkk-'W'WW", 'en-US', 'UTC', '2026-W11'],
		['epoch seconds and milliseconds', 'X x', 'en-US', 'UTC', '1773523805 1773523805000'],
	])('%s', (_label, format, locale, timeZone, expected) => {
		expect(render(`{{formatDate at "${format}"}}`, { locale, timeZone })).toBe(expected);
	});

	it.each([
		'dd.MM.yyyy HH:mm',
		"cccc, d MMMM 'at' h:mm a ZZZZ",
		'DDDD tt',
		'ff',
		'LLL yy, hh:mm:ss.SSS a ZZZZZ',
		"q'Q' yyyy, 'day' o, 'week' W",
	])('prints "%s" exactly as $now.toFormat() does', (format) => {
		const luxon = DateTime.fromISO(instant)
			.setZone('America/Sao_Paulo')
			.setLocale('pt-BR')
			.toFormat(format);
		expect(
			render(`{{formatDate at "${format}"}}`, { locale: 'pt-BR', timeZone: 'America/Sao_Paulo' }),
		).toBe(luxon);
	});

	it('takes the time zone and locale given in the template over the settings', () => {
		expect(
			render('{{formatDate at "HH:mm ZZZZ" timeZone="America/Los_Angeles"}}', {
				timeZone: 'Europe/Berlin',
			}),
		).toBe('14:30 PDT');
		expect(render('{{formatDate at "MMMM" locale="es"}}')).toBe('marzo');
	});
});

describe('formatDate presets', () => {
	it.each([
		['default (medium) in UTC', '{{formatDate at}}', 'en-US', 'UTC', 'Mar 14, 2026'],
		[
			'default crosses midnight in Tokyo',
			'{{formatDate at}}',
			'en-US',
			'Asia/Tokyo',
			'Mar 15, 2026',
		],
		['short', '{{formatDate at "short"}}', 'en-US', 'UTC', '3/14/26'],
		['long in German', '{{formatDate at "long"}}', 'de-DE', 'UTC', '14. März 2026'],
		['full in French', '{{formatDate at "full"}}', 'fr-FR', 'Europe/Paris', 'samedi 14 mars 2026'],
		['time', '{{formatDate at "time"}}', 'en-US', 'UTC', '9:30 PM'],
		['datetime', '{{formatDate at "datetime"}}', 'en-GB', 'UTC', '14 Mar 2026, 21:30'],
		['Luxon DATE_MED', '{{formatDate at "DATE_MED"}}', 'en-US', 'UTC', 'Mar 14, 2026'],
		[
			'Luxon DATE_HUGE as DateTime.DATE_HUGE',
			'{{formatDate at "DateTime.DATE_HUGE"}}',
			'de-DE',
			'Europe/Berlin',
			'Samstag, 14. März 2026',
		],
		[
			'Luxon DATETIME_FULL',
			'{{formatDate at "DATETIME_FULL"}}',
			'en-US',
			'America/New_York',
			'March 14, 2026 at 5:30 PM EDT',
		],
		[
			'Luxon TIME_24_SIMPLE',
			'{{formatDate at "TIME_24_SIMPLE"}}',
			'en-US',
			'Europe/Berlin',
			'22:30',
		],
	])('%s', (_label, template, locale, timeZone, expected) => {
		expect(render(template, { locale, timeZone })).toBe(expected);
	});
});

describe('formatDate around daylight saving time', () => {
	it.each([
		[
			'last second of CET in Berlin',
			'2026-03-29T00:59:59Z',
			'Europe/Berlin',
			'de-DE',
			'01:59:59 MEZ',
		],
		[
			'then CEST: 02:00–03:00 does not exist',
			'2026-03-29T01:00:00Z',
			'Europe/Berlin',
			'de-DE',
			'03:00:00 MESZ',
		],
		[
			'01:30 in New York the first time',
			'2026-11-01T05:30:00Z',
			'America/New_York',
			'en-US',
			'01:30:00 EDT',
		],
		[
			'01:30 in New York the second time',
			'2026-11-01T06:30:00Z',
			'America/New_York',
			'en-US',
			'01:30:00 EST',
		],
		['the same in German', '2026-11-01T06:30:00Z', 'America/New_York', 'de-DE', '01:30:00 GMT-5'],
		[
			'wall time in the spring-forward gap moves on',
			'2026-03-29T02:30:00',
			'Europe/Berlin',
			'de-DE',
			'03:30:00 MESZ',
		],
	])('%s', (_label, at, timeZone, locale, expected) => {
		expect(renderWith('{{formatDate at "HH:mm:ss ZZZZ"}}', { at }, { locale, timeZone }).text).toBe(
			expected,
		);
	});

	it('shows a bare date as that day even where its midnight does not exist (Santiago, 6 Sep 2026)', () => {
		expect(
			renderWith(
				'{{formatDate day "yyyy-MM-dd cccc"}}',
				{ day: '2026-09-06' },
				{
					timeZone: 'America/Santiago',
				},
			).text,
		).toBe('2026-09-06 Sunday');
	});
});

describe('formatDate input', () => {
	it.each([
		[
			'a bare date is a calendar day in every zone',
			'{{formatDate day "yyyy-MM-dd"}}',
			'Pacific/Kiritimati',
			'2026-03-14',
		],
		[
			'a bare date is midnight in the zone it is shown in',
			'{{formatDate day "yyyy-MM-dd HH:mm ZZZZ"}}',
			'America/Los_Angeles',
			'2026-03-14 00:00 PDT',
		],
		['Unix seconds', '{{formatDate seconds "yyyy-MM-dd HH:mm:ss"}}', 'UTC', '2023-11-14 22:13:20'],
		[
			'Unix seconds as text',
			'{{formatDate secondsText "yyyy-MM-dd HH:mm:ss"}}',
			'UTC',
			'2023-11-14 22:13:20',
		],
		[
			'epoch milliseconds',
			'{{formatDate millis "yyyy-MM-dd HH:mm:ss"}}',
			'UTC',
			'2023-11-14 22:13:20',
		],
		['missing value prints nothing', '[{{formatDate nothing}}]', 'UTC', '[]'],
	])('%s', (_label, template, timeZone, expected) => {
		expect(render(template, { timeZone })).toBe(expected);
	});

	it.each([
		['ISO with Z', '2026-03-14T21:30:05Z', '22:30'],
		['ISO with an offset', '2026-03-14T17:30:05-04:00', '22:30'],
		['ISO without an offset: wall time in the workflow zone', '2026-03-14T09:30:00', '09:30'],
		['SQL without an offset: wall time in the workflow zone', '2026-03-14 09:30:00', '09:30'],
		['RFC 2822 (mail headers)', 'Sat, 14 Mar 2026 21:30:05 +0000', '22:30'],
		['HTTP date', 'Sat, 14 Mar 2026 21:30:05 GMT', '22:30'],
		['JavaScript Date text with an offset', 'Sat Mar 14 2026 21:30:05 GMT+0000', '22:30'],
		['a JavaScript Date', new Date(instant), '22:30'],
		[
			'a Luxon DateTime in another zone',
			DateTime.fromISO(instant, { zone: 'Asia/Tokyo' }),
			'22:30',
		],
		[
			"a DateTime from another copy of Luxon (n8n's own)",
			{ isLuxonDateTime: true, isValid: true, toMillis: () => Date.parse(instant) },
			'22:30',
		],
		['another date object, by its valueOf()', { valueOf: () => Date.parse(instant) }, '22:30'],
	])('reads %s', (_label, at, expected) => {
		expect(
			renderWith('{{formatDate at "HH:mm"}}', { at }, { timeZone: 'Europe/Berlin' }).text,
		).toBe(expected);
	});

	it('reads text without an offset in the workflow zone, then shows it in the zone asked for', () => {
		expect(
			renderWith(
				'{{formatDate at "HH:mm ZZZZ" timeZone="America/New_York"}}',
				{ at: '2026-03-14T09:30:00' },
				{ timeZone: 'Europe/Berlin' },
			).text,
		).toBe('04:30 EDT');
	});

	it('formats "now"', () => {
		expect(render('{{formatDate "now" "yyyy"}}')).toBe(String(new Date().getUTCFullYear()));
	});

	it('rejects text that is not a date, with the position of the call', () => {
		expect(failureOf('Hi\n {{formatDate at}}', { at: 'next Tuesday' })).toBe(
			'formatDate: "next Tuesday" is not a date. Use an ISO date such as 2026-03-14T09:30:00Z, a date such as 2026-03-14, or a Unix timestamp. (line 2, column 2)',
		);
	});

	it.each([
		['an invalid Date', new Date('nope'), 'Invalid Date'],
		['an invalid Luxon DateTime', DateTime.invalid('test'), 'Invalid DateTime'],
		['NaN', Number.NaN, 'NaN'],
		['a number beyond the calendar', 1e20, '100000000000000000000'],
		['true', true, 'true'],
		['an object', { year: 2026 }, '[object Object]'],
		['an impossible day', '2026-02-30', '"2026-02-30"'],
	])('rejects %s, naming it', (_label, at, shown) => {
		expect(failureOf('{{formatDate at}}', { at })).toBe(
			`formatDate: ${shown} is not a date. Use an ISO date such as 2026-03-14T09:30:00Z, a date such as 2026-03-14, or a Unix timestamp. (line 1, column 1)`,
		);
	});

	it('rejects an unknown time zone in the template', () => {
		expect(failureOf('{{formatDate at timeZone="Mars/Olympus"}}')).toBe(
			'formatDate: unknown time zone "Mars/Olympus". Use an IANA time zone such as Europe/Berlin, or UTC. (line 1, column 1)',
		);
	});

	it('rejects a malformed locale in the template', () => {
		expect(failureOf('{{formatDate at locale="en_US!"}}')).toBe(
			'formatDate: "en_US!" is not a locale. Use a locale such as en-US or de-DE. (line 1, column 1)',
		);
	});
});

describe('formatDate refuses patterns Luxon would print wrongly', () => {
	it('names the Moment.js tokens and gives the Luxon pattern', () => {
		expect(failureOf('{{formatDate at "YYYY-MM-DD"}}')).toBe(
			'formatDate: Date format "YYYY-MM-DD": "YYYY" is not a Luxon token — use "yyyy"; "DD" is Luxon\'s whole localized date (Mar 14, 2026) — use "dd" for the day of the month. ' +
				'As a Luxon format (the same tokens as n8n\'s $now.toFormat()): "yyyy-MM-dd" (line 1, column 1)',
		);
	});

	it('refuses "z", which printed the short zone name before, naming "ZZZZ"', () => {
		expect(failureOf('{{formatDate at "EEEE, d MMMM \'at\' h:mm a z"}}')).toBe(
			'formatDate: Date format "EEEE, d MMMM \'at\' h:mm a z": "z" is refused: it printed the short zone name (EDT) before this node took Luxon tokens, while Luxon prints the IANA name (America/New_York) — use "ZZZZ" for the short name. ' +
				"As a Luxon format (the same tokens as n8n's $now.toFormat()): \"EEEE, d MMMM 'at' h:mm a ZZZZ\" (line 1, column 1)",
		);
	});

	it('fails even when the value is missing, so every item fails alike', () => {
		expect(failureOf('{{formatDate nothing "DD/MM/YYYY"}}', {})).toMatch(
			/^formatDate: Date format "DD\/MM\/YYYY": .*"dd\/MM\/yyyy"/,
		);
	});

	it('keeps a pattern that is right in both dialects', () => {
		expect(render('{{formatDate at "yyyy-MM-dd HH:mm:ss"}}')).toBe('2026-03-14 21:30:05');
	});
});
