import { isMissing } from './helpers/valueRules';
import { isSimpleName, walkTemplate } from './templateAst';

/** Not a name a template can spell (`%` ends a Handlebars identifier), so it cannot be called. */
export const REQUIRE_VALUE_HELPER = '%requireValue';

/**
 * Helpers that exist to handle missing values (or only test them): their arguments may be missing
 * under the "error" policy, so `{{default nickname "there"}}` and `{{#if (eq a b)}}` keep working.
 */
const MISSING_TOLERANT_HELPERS = new Set([
	'default',
	'eq',
	'ne',
	'gt',
	'gte',
	'lt',
	'lte',
	'and',
	'or',
	'not',
	'json',
	'lookup',
]);

/** Where a value was required; enough to tell the user which `{{…}}` had nothing to show. */
export class MissingValueError extends Error {
	constructor(
		readonly path: string,
		readonly line: number,
		readonly column: number,
		readonly partial: string | undefined,
		readonly loopIndex: number | undefined,
	) {
		super(`Missing value "${path}"`);
		this.name = 'MissingValueError';
	}
}

/**
 * Rewrites a parsed template so that every value it prints must be present: `{{firstName}}`
 * becomes a call that fails when `firstName` is absent, null or blank, and so does the value given
 * to a formatting helper (`{{upper firstName}}`). Sections, `{{#if}}`, `{{#each}}` and the helpers
 * above still see missing values, which is how a template handles them on purpose.
 */
export function requirePrintedValues(
	program: hbs.AST.Program,
	helperNames: ReadonlySet<string>,
	partial?: string,
): void {
	walkTemplate(program, (node) => {
		if (node.type !== 'MustacheStatement') return;
		const mustache = node as hbs.AST.MustacheStatement;
		const path = mustache.path;
		if (path.type !== 'PathExpression') return;
		const hasArguments = mustache.params.length > 0 || (mustache.hash?.pairs.length ?? 0) > 0;
		const isHelper = isSimpleName(path) && helperNames.has(path.original);
		if (!hasArguments && !isHelper) {
			if (!isValuePath(path)) return;
			mustache.params = [path];
			mustache.hash = requirementHash(path, partial);
			mustache.path = requireValuePath(path);
		} else if (isHelper && !MISSING_TOLERANT_HELPERS.has(path.original)) {
			mustache.params = mustache.params.map((param) =>
				isValuePath(param) ? requiredSubExpression(param, partial) : param,
			);
		}
	});
}

/** The helper the rewritten template calls; registered on the same Handlebars environment. */
export function requireValue(
	value: unknown,
	options: { hash: Record<string, unknown>; data?: { index?: number } },
) {
	if (!isMissing(value)) return value;
	const { hash } = options;
	throw new MissingValueError(
		String(hash.path),
		Number(hash.line),
		Number(hash.column),
		hash.partial === undefined ? undefined : String(hash.partial),
		options.data?.index,
	);
}

function isValuePath(node: hbs.AST.Node): node is hbs.AST.PathExpression {
	return node.type === 'PathExpression' && (node as hbs.AST.PathExpression).parts.length > 0;
}

function requiredSubExpression(
	path: hbs.AST.PathExpression,
	partial: string | undefined,
): hbs.AST.SubExpression {
	return {
		type: 'SubExpression',
		path: requireValuePath(path),
		params: [path],
		hash: requirementHash(path, partial),
		loc: path.loc,
	};
}

function requireValuePath(at: hbs.AST.Node): hbs.AST.PathExpression {
	return {
		type: 'PathExpression',
		data: false,
		depth: 0,
		parts: [REQUIRE_VALUE_HELPER],
		original: REQUIRE_VALUE_HELPER,
		loc: at.loc,
	};
}

function requirementHash(path: hbs.AST.PathExpression, partial: string | undefined): hbs.AST.Hash {
	const pair = (key: string, value: string | number): hbs.AST.HashPair => ({
		type: 'HashPair',
		key,
		value:
			typeof value === 'string'
				? ({
						type: 'StringLiteral',
						value,
						original: value,
						loc: path.loc,
					} as hbs.AST.StringLiteral)
				: ({
						type: 'NumberLiteral',
						value,
						original: value,
						loc: path.loc,
					} as hbs.AST.NumberLiteral),
		loc: path.loc,
	});
	const pairs = [
		pair('path', path.original),
		pair('line', path.loc.start.line),
		pair('column', path.loc.start.column + 1),
	];
	if (partial !== undefined) pairs.push(pair('partial', partial));
	return { type: 'Hash', pairs, loc: path.loc };
}
