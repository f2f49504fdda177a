import { dateFormatProblem } from '../../../../nodes/GmailSmtp/templating/helpers/dateFormat';

const SAME_AS_N8N = "(the same tokens as n8n's $now.toFormat())";

describe('dateFormatProblem', () => {
	it.each([
		'dd.MM.yyyy HH:mm',
		'yyyy-MM-dd',
		"EEEE, d MMMM 'at' h:mm a",
		"cccc, d MMMM 'at' h:mm a ZZZZ",
		'LLL LLLL ccc cccc EEE EEEE MMM MMMM',
		"yyyy-MM-dd'T'HH:mm:ss.SSSZZ",
		'D',
		'DD',
		'DDD t',
		'DDDD, TT',
		'ff',
		'FFFF',
		"kkkk-'W'WW",
		'X',
		'x',
		"q'Q' yyyy",
		"HH:mm 'Uhr'",
		'yyyy年M月d日',
		"'YYYY DD A z' yyyy",
		"'it''s' HH:mm",
		'',
	])('accepts the Luxon pattern "%s"', (format) => {
		expect(dateFormatProblem(format)).toBeUndefined();
	});

	it.each([
		[
			'YYYY-MM-DD',
			'"YYYY" is not a Luxon token — use "yyyy"; "DD" is Luxon\'s whole localized date (Mar 14, 2026) — use "dd" for the day of the month',
			'yyyy-MM-dd',
		],
		[
			'DD.MM.YY',
			'"DD" is Luxon\'s whole localized date (Mar 14, 2026) — use "dd" for the day of the month; "YY" is not a Luxon token — use "yy"',
			'dd.MM.yy',
		],
		[
			'MM/DD/yyyy',
			'"DD" is Luxon\'s whole localized date (Mar 14, 2026) — use "dd" for the day of the month',
			'MM/dd/yyyy',
		],
		[
			'D MMMM yyyy',
			'"D" is Luxon\'s whole localized date (3/14/2026) — use "d" for the day of the month',
			'd MMMM yyyy',
		],
		[
			'DDD yyyy',
			'"DDD" is Luxon\'s whole localized date (March 14, 2026) — use "o" for the day of the year',
			'o yyyy',
		],
		[
			'dddd, MMMM Do YYYY',
			'"dddd" is not a Luxon token — use "cccc" for the weekday; "Do" (day with an ordinal suffix, 14th) has no Luxon token — use "d"; "YYYY" is not a Luxon token — use "yyyy"',
			'cccc, MMMM d yyyy',
		],
		['ddd HH:mm', '"ddd" is not a Luxon token — use "ccc" for the weekday', 'ccc HH:mm'],
		['hh:mm A', '"A" is not a Luxon token — use "a" for AM/PM', 'hh:mm a'],
		[
			'HH:mm z',
			'"z" is refused: it printed the short zone name (EDT) before this node took Luxon tokens, while Luxon prints the IANA name (America/New_York) — use "ZZZZ" for the short name',
			'HH:mm ZZZZ',
		],
		[
			'yyyy-MM-ddTHH:mm:ss',
			"\"T\" is Luxon's whole localized time — to print the letter, quote it: 'T'",
			"yyyy-MM-dd'T'HH:mm:ss",
		],
		[
			'd MMMM yyyy at HH:mm',
			'"at" reads as Luxon\'s "a" (AM/PM) and "t" (a localized time) — quote text: \'at\'',
			"d MMMM yyyy 'at' HH:mm",
		],
		[
			'F dd',
			"\"F\" is Luxon's whole localized date and time — to print the letter, quote it: 'F'",
			"'F' dd",
		],
	])('refuses "%s", naming the Luxon tokens', (format, message, luxon) => {
		expect(dateFormatProblem(format)).toBe(
			`Date format "${format}": ${message}. As a Luxon format ${SAME_AS_N8N}: "${luxon}"`,
		);
	});

	it.each([
		['HH:mm Uhr', '"U" and "r" are not Luxon tokens — put text in single quotes (\'…\')'],
		['yyy', '"yyy" is not a Luxon token (Luxon has "y", "yy", "yyyy", "yyyyyy")'],
		['EE dd', '"EE" is not a Luxon token (Luxon has "E", "EEE", "EEEE", "EEEEE")'],
		[
			'YYYY-MM-dd K',
			'"YYYY" is not a Luxon token — use "yyyy"; "K" is not a Luxon token — put text in single quotes (\'…\')',
		],
	])('refuses "%s" where only the author can tell what was meant', (format, message) => {
		expect(dateFormatProblem(format)).toBe(
			`Date format "${format}": ${message}. Formats take Luxon tokens, the same as n8n's $now.toFormat().`,
		);
	});
});
