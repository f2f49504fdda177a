import Handlebars from 'handlebars';

import { DEFAULT_LOCALE } from '../defaults';
import { inputError } from '../errors/GmailSmtpError';
import { helperNames, registerHelpers, type HelperSettings } from './helpers';
import { REQUIRE_VALUE_HELPER, requirePrintedValues, requireValue } from './requiredValues';
import { position, renderError, syntaxErrorPosition } from './templateErrors';
import { calledHelper, includedPartial, inlinePartialNames, walkTemplate } from './templateAst';

/** `html` output is HTML-escaped; `plain` (subject, text) is inserted as written. */
export type TemplateFlavour = 'html' | 'plain';

export interface MessageTemplates {
	subject: string;
	html: string;
	text: string;
}

export type RenderedTemplates = MessageTemplates;

/** `error`: a printed value that is absent, null or blank fails the item. `leaveEmpty`: prints nothing. */
export type MissingVariablePolicy = 'error' | 'leaveEmpty';

export interface TemplateSettings extends HelperSettings {
	missingVariable: MissingVariablePolicy;
	/** Named partials for `{{> name}}`, by name. */
	partials: Record<string, string>;
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
};

const PARTIAL_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

// Handlebars already refuses prototype access by default since 4.6; stated here so that no
// future option change can turn it on silently.
const RUNTIME_OPTIONS: Handlebars.RuntimeOptions = {
	allowProtoPropertiesByDefault: false,
	allowProtoMethodsByDefault: false,
};

/**
 * Compiles the workflow author's templates once per execution, in a Handlebars environment of its
 * own, and renders them per item. Item data is only ever a rendering context, never a template.
 */
export class TemplateRenderer {
	private readonly handlebars = Handlebars.create();

	private readonly settings: TemplateSettings;

	private readonly helperNames: ReadonlySet<string>;

	private readonly compiled = new Map<string, CompiledTemplate>();

	private readonly compiledPartials = new Map<TemplateFlavour, Record<string, CompiledTemplate>>();

	/** The last template used per field: a per-item lookup without hashing the whole text. */
	private readonly lastByField = new Map<keyof MessageTemplates, [string, CompiledTemplate]>();

	constructor(settings: Partial<TemplateSettings> = {}) {
		this.settings = { ...DEFAULT_TEMPLATE_SETTINGS, ...definedOnly(settings) };
		validateSettings(this.settings);
		registerHelpers(this.handlebars, this.settings);
		this.handlebars.registerHelper(REQUIRE_VALUE_HELPER, requireValue);
		this.helperNames = new Set(helperNames());
	}

	/** Compiles every template (and the partials it may use) up front, so errors come before sending. */
	prepare(templates: MessageTemplates): void {
		for (const field of Object.keys(FIELD_LABELS) as Array<keyof MessageTemplates>) {
			if (templates[field]) this.template(field, templates[field]);
		}
	}

	render(templates: MessageTemplates, context: unknown): RenderedTemplates {
		return {
			subject: this.renderField('subject', templates.subject, context),
			html: this.renderField('html', templates.html, context),
			text: this.renderField('text', templates.text, context),
		};
	}

	private renderField(field: keyof MessageTemplates, source: string, context: unknown): string {
		if (!source) return '';
		const template = this.template(field, source);
		try {
			return template(context, this.runtimeOptions(flavourOf(field)));
		} catch (error) {
			throw renderError(FIELD_LABELS[field], error);
		}
	}

	private readonly runtimeOptionsByFlavour = new Map<TemplateFlavour, Handlebars.RuntimeOptions>();

	/**
	 * Built once per flavour, not per render. Handlebars merges runtime partials on every call:
	 * they are passed only when there are any.
	 */
	private runtimeOptions(flavour: TemplateFlavour): Handlebars.RuntimeOptions {
		let options = this.runtimeOptionsByFlavour.get(flavour);
		if (!options) {
			const partials = this.partials(flavour);
			options =
				Object.keys(partials).length > 0 ? { ...RUNTIME_OPTIONS, partials } : RUNTIME_OPTIONS;
			this.runtimeOptionsByFlavour.set(flavour, options);
		}
		return options;
	}

	private template(field: keyof MessageTemplates, source: string): CompiledTemplate {
		const last = this.lastByField.get(field);
		if (last && last[0] === source) return last[1];
		const flavour = flavourOf(field);
		this.partials(flavour);
		const template = this.cached(`${flavour}\u0000${source}`, () =>
			this.compile(FIELD_LABELS[field], flavour, source),
		);
		this.lastByField.set(field, [source, template]);
		return template;
	}

	/** Each partial compiled once per flavour: escaped where HTML uses it, as written elsewhere. */
	private partials(flavour: TemplateFlavour): Record<string, CompiledTemplate> {
		let partials = this.compiledPartials.get(flavour);
		if (!partials) {
			partials = {};
			for (const [name, source] of Object.entries(this.settings.partials)) {
				partials[name] = this.cached(`${flavour}\u0000partial\u0000${name}`, () =>
					this.compile(`partial "${name}"`, flavour, source, name),
				);
			}
			this.compiledPartials.set(flavour, partials);
		}
		return partials;
	}

	private cached(key: string, compile: () => CompiledTemplate): CompiledTemplate {
		let template = this.compiled.get(key);
		if (!template) {
			template = compile();
			this.compiled.set(key, template);
		}
		return template;
	}

	private compile(
		label: string,
		flavour: TemplateFlavour,
		source: string,
		partialName?: string,
	): CompiledTemplate {
		const ast = this.parse(label, source);
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
	return field === 'html' ? 'html' : 'plain';
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
