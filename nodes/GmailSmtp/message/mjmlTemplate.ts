import { inputError } from '../errors/GmailSmtpError';

interface MjmlError {
	line?: number;
	tagName?: string;
	message: string;
}

interface MjmlResult {
	html: string;
	errors: Array<MjmlError | undefined>;
}

type Mjml2Html = (source: string, options: Record<string, unknown>) => Promise<MjmlResult>;

/**
 * MJML's settings that keep a template away from the n8n host's files: `mj-include` is never
 * followed (and refused before MJML runs), no `.mjmlconfig` is read for the call, no skeleton file
 * is loaded. MJML itself never fetches URLs: `mj-font` and `mj-image` only write links that the
 * recipient's mail program may load.
 */
const MJML_OPTIONS = {
	validationLevel: 'soft',
	ignoreIncludes: true,
	useMjmlConfigOptions: false,
	minify: false,
	beautify: false,
};

const MAX_ERRORS_SHOWN = 5;

let loaded: Mjml2Html | undefined;

/**
 * MJML's compiler with the standard components, loaded on first use: it takes about a second to
 * load, which only workflows that use MJML should pay.
 */
function mjmlCompiler(): Mjml2Html {
	if (!loaded) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const core = require('mjml-core');
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const preset = require('mjml-preset-core');
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const validator = require('mjml-validator');
		core.assignComponents(core.components, preset.components);
		validator.assignDependencies(validator.dependencies, preset.dependencies);
		loaded = (source, options) => core.default(source, options);
	}
	return loaded;
}

/**
 * Compiles the author's MJML (with Handlebars in it) to HTML that still holds the Handlebars, once
 * per template: each item is then only a Handlebars render. MJML's complaints (unknown tag, bad
 * attribute, tag in the wrong place) fail here, with their lines, before anything is sent.
 */
export async function compileMjml(source: string, label = 'HTML'): Promise<string> {
	refuseIncludes(source, label);
	let result: MjmlResult;
	try {
		result = await mjmlCompiler()(source, MJML_OPTIONS);
	} catch (error) {
		throw inputError(
			`MJML could not read the ${label} template`,
			`${(error as Error).message} An MJML template starts with <mjml>, holds <mj-body>, and closes every tag it opens.`,
		);
	}
	// MJML 5.4.0 can list an empty entry for an attribute that is fine.
	const errors = result.errors.filter((error): error is MjmlError => Boolean(error?.message));
	if (errors.length > 0) throw mjmlErrors(errors, label);
	return result.html;
}

function mjmlErrors(errors: MjmlError[], label: string) {
	const lines = errors
		.slice(0, MAX_ERRORS_SHOWN)
		.map((error) => `${error.line ? `Line ${error.line}: ` : ''}${error.message.trim()}`);
	if (errors.length > MAX_ERRORS_SHOWN) {
		lines.push(`… and ${errors.length - MAX_ERRORS_SHOWN} more.`);
	}
	const handlebarsInAttribute = errors.some((error) => /invalid value: .*\{\{/.test(error.message));
	return inputError(
		`MJML error in ${label}`,
		`${lines.join('\n')}${
			handlebarsInAttribute
				? '\nMJML checks attribute values such as colors and sizes before Handlebars runs: give those attributes a fixed value (use Handlebars in text, href, src, alt or css-class).'
				: ''
		}`,
	);
}

/** `<mj-include>` reads a file of the n8n host: refused, whatever its path says. */
function refuseIncludes(source: string, label: string): void {
	const withoutComments = source.replace(/<!--[\s\S]*?-->/g, (comment) =>
		comment.replace(/[^\n]/g, ' '),
	);
	const include = /<mj-include\b/i.exec(withoutComments);
	if (!include) return;
	const line = withoutComments.slice(0, include.index).split('\n').length;
	throw inputError(
		`MJML include not allowed in ${label}`,
		`Line ${line}: <mj-include> would read a file of the n8n host, which this node never does. Put shared parts in Options → Partials and use them as {{> name}} inside <mj-raw> or <mj-text>.`,
	);
}
