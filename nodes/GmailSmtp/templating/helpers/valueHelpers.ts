import { splitArguments } from './helperCall';
import { isMissing, toNumber } from './valueRules';

export const valueHelpers = {
	/** `{{default nickname firstName "there"}}`: the first value that is not missing or blank. */
	default: (...args: unknown[]) => {
		const { params } = splitArguments(args);
		return params.find((value) => !isMissing(value)) ?? '';
	},
	/** `{{json order}}`, `{{json order 2}}` (indented); escaped like any value in HTML. */
	json: (...args: unknown[]) => {
		const { params } = splitArguments(args);
		const [value, indent] = params;
		if (value === undefined) return '';
		return JSON.stringify(value, null, toNumber(indent)) ?? '';
	},
};
