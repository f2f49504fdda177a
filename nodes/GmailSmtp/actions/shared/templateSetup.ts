import type { IExecuteFunctions } from 'n8n-workflow';

import type { FailureOutput } from '../../errors/failureOutput';
import { failureOf, inputError, unexpectedFailure } from '../../errors/GmailSmtpError';
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
 * Reads the templates and compiles them (and the partials) once per execution, before anything is
 * sent or rendered, with the node's options (read once, like the templates) and n8n's workflow time
 * zone: a syntax error or an unknown helper stops the node with the field and line.
 */
export function prepareTemplates(
	context: IExecuteFunctions,
	parameters: ItemParameterReader,
	output: FailureOutput,
): CompiledTemplates {
	const options = parameters.once<TemplateOptions>('options', {});
	try {
		return compileTemplates(readTemplates(parameters), {
			locale: options.locale?.trim() || undefined,
			timeZone: context.getTimezone(),
			missingVariable: options.missingVariable,
			partials: readPartials(options),
		});
	} catch (error) {
		throw output.stop(failureOf(error, unexpectedFailure), 0);
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
