import { HelperInputError, hashString, splitArguments, type HelperSettings } from './helperCall';
import { describeValue, isMissing, ownProperty, toNumber } from './valueRules';

export function textHelpers(settings: HelperSettings) {
	const localeOf = (args: unknown[]) =>
		hashString(splitArguments(args).options, 'locale') ?? settings.locale;
	const text = (args: unknown[]) => {
		const value = splitArguments(args).params[0];
		return isMissing(value) ? '' : String(value);
	};

	return {
		upper: (...args: unknown[]) => text(args).toLocaleUpperCase(localeOf(args)),
		lower: (...args: unknown[]) => text(args).toLocaleLowerCase(localeOf(args)),
		/** Upper-cases the first letter only: `ada lovelace` → `Ada lovelace`. */
		capitalize: (...args: unknown[]) => {
			const value = text(args);
			return value.charAt(0).toLocaleUpperCase(localeOf(args)) + value.slice(1);
		},
		pluralize: pluralizeHelper(settings),
		join,
	};
}

/**
 * `{{pluralize count "item"}}` → `item` / `items`; `{{pluralize count "child" "children"}}`.
 * Uses the locale's plural rules, so `0 items` in English and `0 article` in French.
 */
function pluralizeHelper(settings: HelperSettings) {
	return function pluralize(...args: unknown[]): string {
		const { params, options } = splitArguments(args);
		const [count, singular, plural] = params;
		if (typeof singular !== 'string') {
			throw new HelperInputError(
				'pluralize',
				'give the singular word, e.g. {{pluralize count "item"}}',
			);
		}
		const number = toNumber(count);
		if (number === undefined) {
			throw new HelperInputError('pluralize', `${describeValue(count)} is not a number`);
		}
		const rule = new Intl.PluralRules(hashString(options, 'locale') ?? settings.locale).select(
			number,
		);
		if (rule === 'one') return singular;
		return typeof plural === 'string' ? plural : `${singular}s`;
	};
}

/**
 * `{{join tags ", "}}`; `{{join lines ", " property="name"}}` joins one field of each object.
 * Missing and empty entries are left out.
 */
function join(...args: unknown[]): string {
	const { params, options } = splitArguments(args);
	const [list, separatorParam] = params;
	if (isMissing(list)) return '';
	const separator = typeof separatorParam === 'string' ? separatorParam : ', ';
	if (!Array.isArray(list)) return String(list);
	const property = hashString(options, 'property');
	return list
		.map((entry) => (property ? ownProperty(entry, property) : entry))
		.filter((entry) => !isMissing(entry))
		.map((entry) => (typeof entry === 'object' ? JSON.stringify(entry) : String(entry)))
		.join(separator);
}
