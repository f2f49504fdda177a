import Handlebars from 'handlebars';

import { inputError } from '../errors/GmailSmtpError';

/** `html` output is HTML-escaped; `plain` (subject, text) is inserted as written. */
export type TemplateFlavour = 'html' | 'plain';

export interface MessageTemplates {
	subject: string;
	html: string;
	text: string;
}

export type RenderedTemplates = MessageTemplates;

type CompiledTemplate = (context: unknown) => string;

const FIELD_LABELS: Record<keyof MessageTemplates, string> = {
	subject: 'Subject',
	html: 'HTML',
	text: 'Text',
};

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

	private readonly compiled = new Map<string, CompiledTemplate>();

	/** The last template used per field: a per-item lookup without hashing the whole text. */
	private readonly lastByField = new Map<keyof MessageTemplates, [string, CompiledTemplate]>();

	/** Compiles every template up front so that a syntax error fails before anything is sent. */
	prepare(templates: MessageTemplates): void {
		for (const field of Object.keys(FIELD_LABELS) as Array<keyof MessageTemplates>) {
			this.template(field, templates[field]);
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
		try {
			return this.template(field, source)(context);
		} catch (error) {
			throw inputError(
				`Could not render ${FIELD_LABELS[field]}`,
				`The ${FIELD_LABELS[field]} template failed for this item: ${(error as Error).message}`,
			);
		}
	}

	private template(field: keyof MessageTemplates, source: string): CompiledTemplate {
		const last = this.lastByField.get(field);
		if (last && last[0] === source) return last[1];
		const flavour: TemplateFlavour = field === 'html' ? 'html' : 'plain';
		const key = `${flavour}\u0000${source}`;
		let template = this.compiled.get(key);
		if (!template) {
			template = this.compile(field, flavour, source);
			this.compiled.set(key, template);
		}
		this.lastByField.set(field, [source, template]);
		return template;
	}

	private compile(
		field: keyof MessageTemplates,
		flavour: TemplateFlavour,
		source: string,
	): CompiledTemplate {
		let ast: hbs.AST.Program;
		try {
			ast = this.handlebars.parse(source);
		} catch (error) {
			throw inputError(
				`Template syntax error in ${FIELD_LABELS[field]}`,
				`${(error as Error).message}\nFix the ${FIELD_LABELS[field]} template; use \\{{ to write literal braces.`,
			);
		}
		const delegate = this.handlebars.compile(ast, { noEscape: flavour === 'plain' });
		return (context) => delegate(context, RUNTIME_OPTIONS);
	}
}
