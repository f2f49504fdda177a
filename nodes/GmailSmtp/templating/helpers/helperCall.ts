import type Handlebars from 'handlebars';

import { isUnset } from '../../fieldText';

// What a helper is called with (its arguments, Handlebars' options, the settings of the
// environment) and the error it raises for bad input.

/** Defaults the formatting helpers use when a template does not pass `locale=` or `timeZone=`. */
export interface HelperSettings {
	/** BCP 47 locale, e.g. `en-US`, `de-DE`. */
	locale: string;
	/** IANA time zone, e.g. `Europe/Berlin` (n8n's workflow time zone). */
	timeZone: string;
}

export type HandlebarsEnvironment = typeof Handlebars;

/** The options object Handlebars passes as a helper's last argument (the parts we use). */
export interface HelperOptions {
	hash: Record<string, unknown>;
	loc?: { start: { line: number; column: number } };
}

/** An error a helper raises for bad input; the renderer adds the template and position. */
export class HelperInputError extends Error {
	constructor(helper: string, message: string) {
		super(`${helper}: ${message}`);
		this.name = 'HelperInputError';
	}
}

/** Splits Handlebars' helper arguments into the positional ones and the options object. */
export function splitArguments(args: unknown[]): { params: unknown[]; options: HelperOptions } {
	const options = args[args.length - 1] as HelperOptions;
	return { params: args.slice(0, -1), options };
}

export function hashString(options: HelperOptions, key: string): string | undefined {
	const value = options.hash[key];
	return isUnset(value) ? undefined : String(value);
}
