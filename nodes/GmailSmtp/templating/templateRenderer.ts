import Handlebars from 'handlebars';

import { DEFAULT_LOCALE } from '../defaults';
import { inputError } from '../errors/GmailSmtpError';
import { helperNames, registerHelpers, type HelperSettings } from './helpers';
import { REQUIRE_VALUE_HELPER, requirePrintedValues, requireValue } from './requiredValues';
import { relocateToAuthored } from './authoredPositions';
import { position, renderError, syntaxErrorPosition } from './templateErrors';
import { calledHelper, includedPartial, inlinePartialNames, walkTemplate } from './templateAst';

/** `html` output is HTML-escaped; `plain` (subject, text) is inserted as written. */
export type TemplateFlavour = 'html' | 'plain';

export interface MessageTemplates {
	subject: string;
	html: string;
	text: string;
	/** The hidden inbox-preview line; rendered like HTML (values escaped). */
	preheader?: string;
}

export type RenderedTemplates = MessageTemplates;

/** `error`: a printed value that is absent, null or blank fails the item. `leaveEmpty`: prints nothing. */
export type MissingVariablePolicy = 'error' | 'leaveEmpty';

export interface TemplateSettings extends HelperSettings {
	missingVariable: MissingVariablePolicy;
	/** Named partials for `{{> name}}`, by name. */
	partials: Record<string, string>;
	/** The partials as the HTML template uses them, when they differ (styles inlined). */
	htmlPartials?: Record<string, string>;
	/**
	 * The template the author wrote, when `html` was produced from it (MJML compiled to HTML):
	 * errors then name the author's lines, and Handlebars the producer dropped is refused.
	 */
	authoredHtml?: string;
}

export const DEFAULT_TEMPLATE_SETTINGS: TemplateSettings = {
	locale: DEFAULT_LOCALE,
	timeZone: 'UTC',
	missingVariable: 'error',
	partials: {},
};

type CompiledTemplate = Handlebars.TemplateDelegate;

const FIELD_LABELS: Record<keyof MessageTemplates, string> = {
	subject: 'Subject',
	html: 'HTML',
	text: 'Text',
	preheader: 'Preheader',
};

const PARTIAL_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

// Handlebars already refuses prototype access by default since 4.6; stated here so that no
// future option change can turn it on silently.
const RUNTIME_OPTIONS: Handlebars.RuntimeOptions = {
	allowProtoPropertiesByDefault: false,
	allowProtoMethodsByDefault: false,
};

/** Fields to leave out of one render: an item with Subject Text takes its subject as written. */
export interface RenderScope {
	subject?: boolean;
}

/**
 * The workflow author's templates compiled once, in a Handlebars environment of their own, ready to
 * render any number of contexts. Item data is only ever a rendering context, never a template.
 */
export interface CompiledTemplates {
	/** `data`: Handlebars data variables (`{{@unsubscribeUrl}}`), apart from the item's fields. */
	render(context: unknown, scope?: RenderScope, data?: Record<string, unknown>): RenderedTemplates;
}

/**
 * Compiles every non-empty template and the partials it may use, so that a syntax error, an
 * unknown helper or partial fails before anything is sent or rendered.
 */
export function compileTemplates(
	templates: MessageTemplates,
	settings: Partial<TemplateSettings> = {},
): CompiledTemplates {
	const resolved = { ...DEFAULT_TEMPLATE_SETTINGS, ...definedOnly(settings) };
	validateSettings(resolved);
	const compiler = new TemplateCompiler(resolved);
	const fields = {} as Record<keyof MessageTemplates, CompiledField | undefined>;
	for (const field of Object.keys(FIELD_LABELS) as Array<keyof MessageTemplates>) {
		const source = templates[field];
		fields[field] = source ? compiler.field(field, source) : undefined;
	}
	return {
		render(context, scope = {}, data) {
			const rendered: RenderedTemplates = {
				subject: scope.subject === false ? '' : renderField(fields.subject, context, data),
				html: renderField(fields.html, context, data),
				text: renderField(fields.text, context, data),
			};
			if (fields.preheader) rendered.preheader = renderField(fields.preheader, context, data);
			return rendered;
		},
	};
}

interface CompiledField {
	label: string;
	template: CompiledTemplate;
	/** Built once, not per render: Handlebars merges runtime partials on every call. */
	runtimeOptions: Handlebars.RuntimeOptions;
}

function renderField(
	field: CompiledField | undefined,
	context: unknown,
	data: Record<string, unknown> | undefined,
): string {
	if (!field) return '';
	try {
		return field.template(context, data ? { ...field.runtimeOptions, data } : field.runtimeOptions);
	} catch (error) {
		throw renderError(field.label, error);
	}
}

class TemplateCompiler {
	private readonly handlebars = Handlebars.create();

	private readonly helperNames: ReadonlySet<string>;

	/** Each partial compiled once per flavour: escaped where HTML uses it, as written elsewhere. */
	private readonly runtimeOptionsByFlavour = new Map<TemplateFlavour, Handlebars.RuntimeOptions>();

	constructor(private readonly settings: TemplateSettings) {
		registerHelpers(this.handlebars, settings);
		this.handlebars.registerHelper(REQUIRE_VALUE_HELPER, requireValue);
		this.helperNames = new Set(helperNames());
	}

	field(field: keyof MessageTemplates, source: string): CompiledField {
		const flavour = flavourOf(field);
		const runtimeOptions = this.runtimeOptions(flavour);
		const label = FIELD_LABELS[field];
		const authored = field === 'html' ? this.settings.authoredHtml : undefined;
		return { label, template: this.compile(label, flavour, source, authored), runtimeOptions };
	}

	private runtimeOptions(flavour: TemplateFlavour): Handlebars.RuntimeOptions {
		let options = this.runtimeOptionsByFlavour.get(flavour);
		if (!options) {
			const partials: Record<string, CompiledTemplate> = {};
			const { htmlPartials } = this.settings;
			for (const [name, source] of Object.entries(this.settings.partials)) {
				const used =
					flavour === 'html' && htmlPartials?.[name] !== undefined ? htmlPartials[name] : source;
				partials[name] = this.compile(`partial "${name}"`, flavour, used, undefined, name);
			}
			options =
				Object.keys(partials).length > 0 ? { ...RUNTIME_OPTIONS, partials } : RUNTIME_OPTIONS;
			this.runtimeOptionsByFlavour.set(flavour, options);
		}
		return options;
	}

	private compile(
		label: string,
		flavour: TemplateFlavour,
		source: string,
		authored?: string,
		partialName?: string,
	): CompiledTemplate {
		let ast: hbs.AST.Program;
		if (authored === undefined) {
			ast = this.parse(label, source);
		} else {
			// Syntax errors and unknown helpers are reported at the author's lines, before the
			// produced template (which has the same statements) is read.
			const authoredAst = this.parse(label, authored);
			this.checkReferences(label, authoredAst);
			ast = this.parse(label, source);
			relocateToAuthored(ast, authoredAst, label);
		}
		this.checkReferences(label, ast);
		if (this.settings.missingVariable === 'error') {
			requirePrintedValues(ast, this.helperNames, partialName);
		}
		return this.handlebars.compile(ast, { noEscape: flavour === 'plain' });
	}

	private parse(label: string, source: string): hbs.AST.Program {
		try {
			return this.handlebars.parse(source);
		} catch (error) {
			throw inputError(
				`Template syntax error in ${label}`,
				`${syntaxErrorPosition(error, this.handlebars)}${(error as Error).message}\nFix the ${label} template; use \\{{ to write literal braces.`,
			);
		}
	}

	/** Unknown helpers and partials are typos: report them before anything is sent. */
	private checkReferences(label: string, ast: hbs.AST.Program): void {
		const inlinePartials = inlinePartialNames(ast);
		walkTemplate(ast, (node) => {
			const helper = calledHelper(node);
			if (helper !== undefined && !this.helperNames.has(helper)) {
				throw inputError(
					`Unknown helper "${helper}" in ${label}`,
					`${position(node)}"${helper}" is not a helper. Helpers: ${[...this.helperNames].join(', ')}.`,
				);
			}
			const partial = includedPartial(node);
			if (
				partial &&
				!inlinePartials.has(partial.original) &&
				!Object.prototype.hasOwnProperty.call(this.settings.partials, partial.original)
			) {
				const defined = Object.keys(this.settings.partials);
				throw inputError(
					`Unknown partial "${partial.original}" in ${label}`,
					`${position(node)}No partial named "${partial.original}" is defined. ${
						defined.length
							? `Defined partials: ${defined.join(', ')}.`
							: 'Add it under Options → Partials.'
					}`,
				);
			}
		});
	}
}

function definedOnly<T extends object>(settings: T): Partial<T> {
	return Object.fromEntries(
		Object.entries(settings).filter(([, value]) => value !== undefined),
	) as Partial<T>;
}

function flavourOf(field: keyof MessageTemplates): TemplateFlavour {
	return field === 'html' || field === 'preheader' ? 'html' : 'plain';
}

function validateSettings(settings: TemplateSettings): void {
	for (const name of Object.keys(settings.partials)) {
		if (!PARTIAL_NAME.test(name)) {
			throw inputError(
				'Invalid partial name',
				`"${name}" cannot be used as {{> name}}: use letters, digits, "_" and "-", starting with a letter.`,
			);
		}
	}
	try {
		new Intl.DateTimeFormat(settings.locale, { timeZone: settings.timeZone });
	} catch (error) {
		throw inputError(
			'Invalid locale or time zone',
			`${(error as Error).message}. Use a locale such as en-US or de-DE and a time zone such as Europe/Berlin.`,
		);
	}
}
