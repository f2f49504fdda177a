import type Handlebars from 'handlebars';

import { inputError } from '../errors/GmailSmtpError';
import { HelperInputError } from './helpers';
import { MissingValueError } from './requiredValues';

/** `Line 2, column 5: ` for a node of a parsed template. */
export function position(node: hbs.AST.Node): string {
	return node.loc ? `Line ${node.loc.start.line}, column ${node.loc.start.column + 1}: ` : '';
}

/**
 * Handlebars' own exceptions carry a position; errors from its generated parser only name the
 * line, but the (synchronous, shared) lexer still holds the position of the offending token.
 */
export function syntaxErrorPosition(error: unknown, handlebars: typeof Handlebars): string {
	const located = error as { lineNumber?: number; column?: number };
	if (typeof located.lineNumber === 'number' && typeof located.column === 'number') {
		return `Line ${located.lineNumber}, column ${located.column + 1}: `;
	}
	const lexer = (
		handlebars as unknown as {
			Parser?: { lexer?: { yylloc?: { first_line: number; first_column: number } } };
		}
	).Parser?.lexer;
	const at = lexer?.yylloc;
	return at ? `Line ${at.first_line}, column ${at.first_column + 1}: ` : '';
}

export function renderError(label: string, error: unknown) {
	if (error instanceof MissingValueError) {
		const where = error.partial
			? `partial "${error.partial}" used by ${label}`
			: `${label} template`;
		const loop =
			error.loopIndex === undefined ? '' : ` (in entry ${error.loopIndex} of an {{#each}} loop)`;
		return inputError(
			`Missing value for "${error.path}"`,
			`The ${where} prints "${error.path}" (line ${error.line}, column ${error.column})${loop}, but it is absent, null or blank for this item. ` +
				`Give the item a value, write {{default ${error.path} "…"}} or {{#if ${error.path}}}…{{/if}}, or set Options → Missing Variables to "Leave Empty".`,
		);
	}
	if (error instanceof HelperInputError) {
		return inputError(`Could not render ${label}`, error.message);
	}
	return inputError(
		`Could not render ${label}`,
		`The ${label} template failed for this item: ${(error as Error).message}`,
	);
}
