import type { IExecuteFunctions } from 'n8n-workflow';

import { inputError } from '../../errors/GmailSmtpError';
import type { WhenGmailWouldClip } from '../../message/gmailClipping';
import { prepareHtmlTemplate, type TemplateFormat } from '../../message/htmlTemplate';
import type { ItemParameterReader } from './itemParameters';
import {
	compileTemplates,
	type CompiledTemplates,
	type MessageTemplates,
	type MissingVariablePolicy,
} from '../../templating/templateRenderer';

export interface TemplateOptions {
	locale?: string;
	missingVariable?: MissingVariablePolicy;
	partials?: { partial?: Array<{ name?: string; template?: string }> };
	inlineCss?: boolean;
	preheader?: string;
	whenGmailWouldClip?: WhenGmailWouldClip;
}

/** Template fields do not take n8n expressions, so they are the same for every item. */
export function readTemplates(parameters: ItemParameterReader): MessageTemplates {
	const { preheader } = parameters.once<TemplateOptions>('options', {});
	return {
		subject: parameters.once('subject', ''),
		html: parameters.once('html', ''),
		text: parameters.once('text', ''),
		preheader: typeof preheader === 'string' ? preheader : '',
	};
}

/**
 * Reads the templates and compiles them (and the partials) once per execution, before anything is
 * sent or rendered, with the node's options (read once, like the templates) and n8n's workflow time
 * zone: a syntax error, an unknown helper or an MJML error stops the node with the field and line.
 * MJML and CSS inlining run here, on the template, so that each item is only a Handlebars render.
 */
export async function prepareTemplates(
	context: IExecuteFunctions,
	parameters: ItemParameterReader,
): Promise<CompiledTemplates> {
	const options = parameters.once<TemplateOptions>('options', {});
	const templates = readTemplates(parameters);
	const partials = readPartials(options);
	const html = await prepareHtmlTemplate(templates.html, {
		format: parameters.once<TemplateFormat>('templateFormat', 'html'),
		inlineCss: options.inlineCss !== false,
		partials,
	});
	return compileTemplates(
		{ ...templates, html: html.html },
		{
			locale: options.locale?.trim() || undefined,
			timeZone: context.getTimezone(),
			missingVariable: options.missingVariable,
			partials,
			htmlPartials: html.htmlPartials,
			authoredHtml: html.authoredHtml,
		},
	);
}

function readPartials(options: TemplateOptions): Record<string, string> {
	const partials: Record<string, string> = {};
	for (const { name = '', template = '' } of options.partials?.partial ?? []) {
		const key = name.trim();
		if (Object.prototype.hasOwnProperty.call(partials, key)) {
			throw inputError('Duplicate partial name', `Two partials are named "${key}": rename one.`);
		}
		partials[key] = template;
	}
	return partials;
}
