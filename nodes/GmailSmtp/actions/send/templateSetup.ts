import type { IExecuteFunctions } from 'n8n-workflow';

import { classifySmtpError, type ConnectionContext } from '../../errors/classifySmtpError';
import { inputError } from '../../errors/GmailSmtpError';
import { nodeOperationError } from '../../errors/nodeErrors';
import type { ItemParameterReader } from './itemParameters';
import {
	TemplateRenderer,
	type MessageTemplates,
	type MissingVariablePolicy,
} from '../../templating/templateRenderer';

export interface TemplateOptions {
	locale?: string;
	missingVariable?: MissingVariablePolicy;
	partials?: { partial?: Array<{ name?: string; template?: string }> };
}

/** Template fields do not take n8n expressions, so they are the same for every item. */
export function readTemplates(parameters: ItemParameterReader): MessageTemplates {
	return {
		subject: parameters.once('subject', ''),
		html: parameters.once('html', ''),
		text: parameters.once('text', ''),
	};
}

/**
 * One renderer per execution, set up from the node's options (read once, like the templates) and
 * n8n's workflow time zone.
 */
export function createTemplateRenderer(
	context: IExecuteFunctions,
	options: TemplateOptions,
): TemplateRenderer {
	return new TemplateRenderer({
		locale: options.locale?.trim() || undefined,
		timeZone: context.getTimezone(),
		missingVariable: options.missingVariable,
		partials: readPartials(options),
	});
}

/**
 * Reads the templates and compiles them (and the partials) once, before anything is sent or
 * rendered: a syntax error or an unknown helper stops the node with the field and line.
 */
export function prepareTemplates(
	context: IExecuteFunctions,
	parameters: ItemParameterReader,
	connection: ConnectionContext,
): { templates: MessageTemplates; renderer: TemplateRenderer } {
	const templates = readTemplates(parameters);
	try {
		const renderer = createTemplateRenderer(
			context,
			parameters.once<TemplateOptions>('options', {}),
		);
		renderer.prepare(templates);
		return { templates, renderer };
	} catch (error) {
		throw nodeOperationError(context.getNode(), classifySmtpError(error, connection), 0);
	}
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
