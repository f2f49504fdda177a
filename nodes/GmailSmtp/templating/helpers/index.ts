import { formatDateHelper } from './dateHelpers';
import { comparisonHelpers } from './comparisonHelpers';
import { formatCurrencyHelper, formatNumberHelper } from './numberHelpers';
import { textHelpers } from './textHelpers';
import {
	HelperInputError,
	splitArguments,
	type HandlebarsEnvironment,
	type HelperSettings,
} from './helperCall';
import { valueHelpers } from './valueHelpers';

export { HelperInputError, type HelperSettings } from './helperCall';

type Helper = (...args: unknown[]) => unknown;

/** Handlebars' built-ins that are kept; `log` is dropped so item data never reaches n8n's logs. */
const BUILT_IN_HELPERS = ['if', 'unless', 'each', 'with', 'lookup'];

export function ourHelpers(settings: HelperSettings): Record<string, Helper> {
	return {
		formatDate: formatDateHelper(settings),
		formatNumber: formatNumberHelper(settings),
		formatCurrency: formatCurrencyHelper(settings),
		...valueHelpers,
		...comparisonHelpers,
		...textHelpers(settings),
	};
}

/** Registers our helpers on an isolated `Handlebars.create()` environment. */
export function registerHelpers(handlebars: HandlebarsEnvironment, settings: HelperSettings): void {
	handlebars.unregisterHelper('log');
	for (const [name, helper] of Object.entries(ourHelpers(settings))) {
		handlebars.registerHelper(name, withPosition(name, helper));
	}
}

/** Every helper name a template may call. */
export function helperNames(): string[] {
	return [...BUILT_IN_HELPERS, ...Object.keys(ourHelpers({ locale: 'en-US', timeZone: 'UTC' }))];
}

/** Errors from a helper (and from Intl, e.g. an unknown time zone) carry the call's position. */
function withPosition(name: string, helper: Helper): Helper {
	return function (this: unknown, ...args: unknown[]) {
		try {
			return helper.apply(this, args);
		} catch (error) {
			const wrapped =
				error instanceof HelperInputError
					? error
					: new HelperInputError(name, (error as Error).message);
			const start = splitArguments(args).options?.loc?.start;
			if (start) wrapped.message += ` (line ${start.line}, column ${start.column + 1})`;
			throw wrapped;
		}
	};
}
