import { inputError } from '../errors/GmailSmtpError';
import { walkTemplate } from './templateAst';

type Statement =
	| hbs.AST.MustacheStatement
	| hbs.AST.BlockStatement
	| hbs.AST.PartialStatement
	| hbs.AST.PartialBlockStatement;

const STATEMENT_TYPES = new Set([
	'MustacheStatement',
	'BlockStatement',
	'PartialStatement',
	'PartialBlockStatement',
]);

/**
 * For a template produced from the one the author wrote (MJML compiled to HTML): checks that every
 * Handlebars statement the author wrote is still there, and points each statement of the produced
 * template at the line and column where the author wrote it, so that a missing value is reported
 * at the author's line rather than at a line of generated HTML.
 *
 * A statement the producer dropped (MJML keeps no text between components such as <mj-column>)
 * fails here with the author's line and the fix.
 */
export function relocateToAuthored(
	produced: hbs.AST.Program,
	authored: hbs.AST.Program,
	label: string,
): void {
	const authoredLocations = new Map<string, hbs.AST.SourceLocation[]>();
	const authoredStatements = statementsOf(authored);
	for (const statement of authoredStatements) {
		const key = signature(statement);
		authoredLocations.set(key, [...(authoredLocations.get(key) ?? []), statement.loc]);
	}
	const producedCount = new Map<string, number>();
	for (const statement of statementsOf(produced)) {
		const key = signature(statement);
		const seen = producedCount.get(key) ?? 0;
		producedCount.set(key, seen + 1);
		const locations = authoredLocations.get(key);
		if (!locations) continue;
		// The producer may repeat a statement (Outlook-only copies): later copies take the last place.
		setLocation(statement, locations[Math.min(seen, locations.length - 1)]);
	}
	const remaining = new Map(producedCount);
	for (const statement of authoredStatements) {
		const key = signature(statement);
		const left = remaining.get(key) ?? 0;
		if (left > 0) {
			remaining.set(key, left - 1);
			continue;
		}
		const { line, column } = statement.loc.start;
		throw inputError(
			`MJML removed Handlebars from ${label}`,
			`Line ${line}, column ${column + 1}: ${describe(statement)} sits where MJML keeps no text (directly inside <mj-body>, <mj-section>, <mj-column> and other layout tags), so it would never run. ` +
				'Wrap it in <mj-raw>…</mj-raw> (for example <mj-raw>{{#each items}}</mj-raw> … <mj-raw>{{/each}}</mj-raw>), or move it inside <mj-text>, <mj-table>, <mj-button> or an attribute value.',
		);
	}
}

function statementsOf(program: hbs.AST.Program): Statement[] {
	const statements: Statement[] = [];
	walkTemplate(program, (node) => {
		if (STATEMENT_TYPES.has(node.type)) statements.push(node as Statement);
	});
	return statements;
}

/** What a statement does, independent of where it stands: its kind, name, arguments and parts. */
function signature(statement: Statement): string {
	const parts: string[] = [statement.type];
	if (statement.type === 'PartialStatement' || statement.type === 'PartialBlockStatement') {
		parts.push(expression((statement as hbs.AST.PartialStatement).name));
	} else {
		const call = statement as hbs.AST.MustacheStatement;
		parts.push(expression(call.path), call.escaped === false ? 'raw' : '');
	}
	const { params, hash } = statement as hbs.AST.MustacheStatement;
	parts.push(...params.map(expression), hashText(hash));
	if (statement.type === 'BlockStatement') {
		const block = statement as hbs.AST.BlockStatement;
		parts.push(block.program ? 'then' : '', block.inverse ? 'else' : '');
	}
	return parts.join('\u0000');
}

function expression(node: hbs.AST.Node | undefined): string {
	if (!node) return '';
	switch (node.type) {
		case 'PathExpression': {
			const path = node as hbs.AST.PathExpression;
			return `${path.data ? '@' : ''}${path.original}`;
		}
		case 'SubExpression': {
			const call = node as hbs.AST.SubExpression;
			return `(${[expression(call.path), ...call.params.map(expression), hashText(call.hash)].join(' ')})`;
		}
		case 'StringLiteral':
		case 'NumberLiteral':
		case 'BooleanLiteral':
			return JSON.stringify((node as hbs.AST.StringLiteral).value);
		default:
			return node.type;
	}
}

function hashText(hash: hbs.AST.Hash | undefined): string {
	return (hash?.pairs ?? []).map((pair) => `${pair.key}=${expression(pair.value)}`).join(' ');
}

function describe(statement: Statement): string {
	if (statement.type === 'BlockStatement') {
		const block = statement as hbs.AST.BlockStatement;
		return `{{#${[expression(block.path), ...block.params.map(expression)].join(' ')}}}`;
	}
	if (statement.type === 'PartialStatement' || statement.type === 'PartialBlockStatement') {
		return `{{> ${expression((statement as hbs.AST.PartialStatement).name)}}}`;
	}
	const mustache = statement as hbs.AST.MustacheStatement;
	return `{{${[expression(mustache.path), ...mustache.params.map(expression)].join(' ')}}}`;
}

/** The statement and the expressions of its opening tag (not its body) take the author's place. */
function setLocation(statement: Statement, loc: hbs.AST.SourceLocation): void {
	const relocate = (node: hbs.AST.Node | undefined): void => {
		if (!node) return;
		node.loc = loc;
		const call = node as hbs.AST.SubExpression;
		if (node.type === 'SubExpression') {
			relocate(call.path);
			call.params.forEach(relocate);
			call.hash?.pairs.forEach((pair) => relocate(pair.value));
		}
	};
	statement.loc = loc;
	const call = statement as hbs.AST.MustacheStatement;
	relocate(call.path);
	call.params.forEach(relocate);
	call.hash?.pairs.forEach((pair) => relocate(pair.value));
}
