/**
 * Checks a `formatDate` pattern before Luxon prints it. Luxon prints a run of letters it does not
 * know just as it stands, and reads some tokens from other libraries as something else entirely
 * (`DD` is a whole localized date, not the day), so a pattern written for Moment.js, or for this
 * node before it took Luxon's tokens, could put a wrong date in an email without a word. Such
 * patterns are refused, naming the Luxon token to use instead.
 */

/** Runs of one letter that Luxon's `toFormat` prints as a field (luxon/src/impl/formatter.js). */
const FIELD_TOKENS = new Set([
	...['S', 'SSS', 'u', 'uu', 'uuu', 's', 'ss', 'm', 'mm', 'h', 'hh', 'H', 'HH', 'a'],
	...['Z', 'ZZ', 'ZZZ', 'ZZZZ', 'ZZZZZ', 'z'],
	...['d', 'dd', 'c', 'ccc', 'cccc', 'ccccc', 'E', 'EEE', 'EEEE', 'EEEEE'],
	...['L', 'LL', 'LLL', 'LLLL', 'LLLLL', 'M', 'MM', 'MMM', 'MMMM', 'MMMMM'],
	...['y', 'yy', 'yyyy', 'yyyyyy', 'G', 'GG', 'GGGGG', 'kk', 'kkkk', 'ii', 'iiii'],
	...['W', 'WW', 'n', 'nn', 'o', 'ooo', 'q', 'qq', 'X', 'x'],
]);

/** Luxon's macro tokens: each prints a whole localized date, time, or both. */
const DATE_MACROS: Record<string, string> = {
	D: '3/14/2026',
	DD: 'Mar 14, 2026',
	DDD: 'March 14, 2026',
	DDDD: 'Saturday, March 14, 2026',
};
const TIME_MACROS = new Set(['t', 'tt', 'ttt', 'tttt', 'T', 'TT', 'TTT', 'TTTT']);
const DATE_TIME_MACROS = new Set(['f', 'ff', 'fff', 'ffff', 'F', 'FF', 'FFF', 'FFFF']);

/** Letters of date and time fields, Luxon's and the Moment.js ones refused below. */
const DATE_FIELD = /^[yYMLdEcoqWnkiG]/;
const TIME_FIELD = /^[HhmsSuaA]/;

/** What Moment.js's day-of-month and day-of-year tokens are in Luxon. */
const DAY_TOKENS: Record<string, string> = { D: 'd', DD: 'dd', DDD: 'o', DDDD: 'ooo' };

interface Segment {
	/** As written, quotes included. */
	raw: string;
	/** A run of one repeated letter outside quotes: what Luxon reads as one token. */
	letters?: string;
}

interface Problem {
	message: string;
	/** What to write instead; absent when only the author can tell. */
	replacement?: string;
	/** A letter Luxon has no token for. */
	unknown?: string;
}

/** Two runs that together were meant as one thing Luxon does not read that way. */
const PAIRS: Record<string, Problem> = {
	'D+o': {
		message: '"Do" (day with an ordinal suffix, 14th) has no Luxon token — use "d"',
		replacement: 'd',
	},
	'a+t': {
		message: `"at" reads as Luxon's "a" (AM/PM) and "t" (a localized time) — quote text: 'at'`,
		replacement: "'at'",
	},
};

/**
 * Why Luxon would print `format` other than its author meant, or `undefined` when it prints it as
 * n8n's `$now.toFormat()` does.
 */
export function dateFormatProblem(format: string): string | undefined {
	const segments = splitFormat(format);
	const runs = segments.flatMap((segment) => (segment.letters ? [segment.letters] : []));
	const hasDateField = runs.some((run) => DATE_FIELD.test(run));
	const hasTimeField = runs.some((run) => TIME_FIELD.test(run));

	const problems: Problem[] = [];
	const rewritten: string[] = [];
	for (let index = 0; index < segments.length; index++) {
		const { raw, letters } = segments[index];
		const pair = PAIRS[`${letters}+${segments[index + 1]?.letters}`];
		if (pair) index++;
		const problem =
			pair ?? (letters ? tokenProblem(letters, hasDateField, hasTimeField) : undefined);
		if (problem) problems.push(problem);
		rewritten.push(problem ? (problem.replacement ?? raw) : raw);
	}
	if (problems.length === 0) return undefined;

	// Letters Luxon does not know at all are mostly words left unquoted (`Uhr`): said once.
	const unknown = problems.flatMap((problem) => (problem.unknown ? [`"${problem.unknown}"`] : []));
	const messages = problems.flatMap((problem) => (problem.unknown ? [] : [problem.message]));
	if (unknown.length > 0) {
		const letters =
			unknown.length === 1
				? unknown[0]
				: `${unknown.slice(0, -1).join(', ')} and ${unknown.at(-1)}`;
		const verb = unknown.length === 1 ? 'is not a Luxon token' : 'are not Luxon tokens';
		messages.push(`${letters} ${verb} — put text in single quotes ('…')`);
	}
	const n8n = "n8n's $now.toFormat()";
	return problems.every((problem) => problem.replacement !== undefined)
		? `Date format "${format}": ${messages.join('; ')}. As a Luxon format (the same tokens as ${n8n}): "${rewritten.join('')}"`
		: `Date format "${format}": ${messages.join('; ')}. Formats take Luxon tokens, the same as ${n8n}.`;
}

function tokenProblem(
	letters: string,
	hasDateField: boolean,
	hasTimeField: boolean,
): Problem | undefined {
	const letter = letters[0];
	if (letter === 'Y') {
		const year = letters.length === 2 ? 'yy' : 'yyyy';
		return { message: `"${letters}" is not a Luxon token — use "${year}"`, replacement: year };
	}
	if (letter === 'd' && letters.length > 2) {
		const weekday = letters.length === 3 ? 'ccc' : 'cccc';
		return {
			message: `"${letters}" is not a Luxon token — use "${weekday}" for the weekday`,
			replacement: weekday,
		};
	}
	if (letter === 'A') {
		return { message: `"${letters}" is not a Luxon token — use "a" for AM/PM`, replacement: 'a' };
	}
	if (letter === 'z') {
		// Before Luxon this node printed the short zone name for "z"; Luxon prints the IANA name.
		return {
			message: `"${letters}" is refused: it printed the short zone name (EDT) before this node took Luxon tokens, while Luxon prints the IANA name (America/New_York) — use "ZZZZ" for the short name`,
			replacement: 'ZZZZ',
		};
	}
	if (DATE_MACROS[letters] && hasDateField) {
		const day = DAY_TOKENS[letters];
		const meaning = day.startsWith('o') ? 'day of the year' : 'day of the month';
		return {
			message: `"${letters}" is Luxon's whole localized date (${DATE_MACROS[letters]}) — use "${day}" for the ${meaning}`,
			replacement: day,
		};
	}
	if (TIME_MACROS.has(letters) && hasTimeField) {
		return {
			message: `"${letters}" is Luxon's whole localized time — to print the letter, quote it: '${letters}'`,
			replacement: `'${letters}'`,
		};
	}
	if (DATE_TIME_MACROS.has(letters) && (hasDateField || hasTimeField)) {
		return {
			message: `"${letters}" is Luxon's whole localized date and time — to print the letter, quote it: '${letters}'`,
			replacement: `'${letters}'`,
		};
	}
	if (FIELD_TOKENS.has(letters) || DATE_MACROS[letters]) return undefined;
	if (TIME_MACROS.has(letters) || DATE_TIME_MACROS.has(letters)) return undefined;

	const lengths = [
		...FIELD_TOKENS,
		...Object.keys(DATE_MACROS),
		...TIME_MACROS,
		...DATE_TIME_MACROS,
	]
		.filter((token) => token[0] === letter)
		.map((token) => `"${token}"`);
	if (lengths.length === 0) return { message: '', unknown: letters };
	return { message: `"${letters}" is not a Luxon token (Luxon has ${lengths.join(', ')})` };
}

/** Splits a pattern as Luxon does: text in single quotes is literal, other letters form runs. */
function splitFormat(format: string): Segment[] {
	const segments: Segment[] = [];
	let index = 0;
	while (index < format.length) {
		const char = format[index];
		if (char === "'") {
			const end = format.indexOf("'", index + 1);
			const stop = end === -1 ? format.length : end + 1;
			segments.push({ raw: format.slice(index, stop) });
			index = stop;
			continue;
		}
		let stop = index + 1;
		while (stop < format.length && format[stop] === char) stop++;
		const raw = format.slice(index, stop);
		segments.push(/[A-Za-z]/.test(char) ? { raw, letters: raw } : { raw });
		index = stop;
	}
	return segments;
}
