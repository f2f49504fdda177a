import { HelperInputError, hashString, splitArguments, type HelperSettings } from './helperCall';
import { describeValue, isMissing, toNumber } from './valueRules';

/**
 * `{{formatNumber value decimals=2 style="percent" locale="de-DE"}}`: grouping and decimal marks
 * of the locale.
 */
export function formatNumberHelper(settings: HelperSettings) {
	return function formatNumber(...args: unknown[]): string {
		const { params, options } = splitArguments(args);
		const [value] = params;
		if (isMissing(value)) return '';
		const number = requireNumber('formatNumber', value);
		const style = hashString(options, 'style') === 'percent' ? 'percent' : 'decimal';
		return new Intl.NumberFormat(hashString(options, 'locale') ?? settings.locale, {
			style,
			...fractionDigits(options.hash.decimals),
		}).format(number);
	};
}

/** `{{formatCurrency amount "EUR" locale="de-DE"}}` → `12,50 €`. */
export function formatCurrencyHelper(settings: HelperSettings) {
	return function formatCurrency(...args: unknown[]): string {
		const { params, options } = splitArguments(args);
		const [value, currencyParam] = params;
		if (isMissing(value)) return '';
		const number = requireNumber('formatCurrency', value);
		const currency =
			typeof currencyParam === 'string' && currencyParam
				? currencyParam
				: hashString(options, 'currency');
		if (!currency) {
			throw new HelperInputError(
				'formatCurrency',
				'give a currency code, e.g. {{formatCurrency total "EUR"}}',
			);
		}
		return new Intl.NumberFormat(hashString(options, 'locale') ?? settings.locale, {
			style: 'currency',
			currency,
			...fractionDigits(options.hash.decimals),
		}).format(number);
	};
}

function requireNumber(helper: string, value: unknown): number {
	const number = toNumber(value);
	if (number === undefined) {
		throw new HelperInputError(helper, `${describeValue(value)} is not a number`);
	}
	return number;
}

function fractionDigits(decimals: unknown): Intl.NumberFormatOptions {
	const digits = toNumber(decimals);
	if (digits === undefined) return {};
	return { minimumFractionDigits: digits, maximumFractionDigits: digits };
}
