type Node = hbs.AST.Node;

/** The child-bearing fields of any Handlebars AST node. */
interface NodeWithChildren extends Node {
	body?: Node[];
	path?: Node;
	params?: Node[];
	hash?: hbs.AST.Hash;
	program?: Node;
	inverse?: Node;
}

/** Calls `visit` for every statement and expression of a parsed template, depth first. */
export function walkTemplate(program: hbs.AST.Program, visit: (node: Node) => void): void {
	const walk = (node: Node | undefined | null): void => {
		if (!node) return;
		visit(node);
		const withChildren = node as NodeWithChildren;
		for (const child of withChildren.body ?? []) walk(child);
		if (node.type !== 'PartialStatement' && node.type !== 'PartialBlockStatement') {
			walk(withChildren.path);
		}
		for (const param of withChildren.params ?? []) walk(param);
		for (const pair of withChildren.hash?.pairs ?? []) walk(pair.value);
		walk(withChildren.program);
		walk(withChildren.inverse);
	};
	walk(program);
}

/** The helper a mustache, block or sub-expression calls, if it calls one. */
export function calledHelper(node: Node): string | undefined {
	if (
		node.type !== 'MustacheStatement' &&
		node.type !== 'BlockStatement' &&
		node.type !== 'SubExpression'
	) {
		return undefined;
	}
	const call = node as hbs.AST.SubExpression;
	const hasArguments = call.params.length > 0 || (call.hash?.pairs.length ?? 0) > 0;
	if (!hasArguments && node.type !== 'SubExpression') return undefined;
	return isSimpleName(call.path) ? call.path.original : undefined;
}

/** `{{> footer}}` and `{{#> layout}}`: the partials a template includes by name. */
export function includedPartial(node: Node): hbs.AST.PathExpression | undefined {
	if (node.type !== 'PartialStatement' && node.type !== 'PartialBlockStatement') return undefined;
	const name = (node as hbs.AST.PartialStatement).name;
	if (name.type !== 'PathExpression') return undefined;
	const path = name as hbs.AST.PathExpression;
	return path.data ? undefined : path;
}

export function isSimpleName(path: hbs.AST.Node): path is hbs.AST.PathExpression {
	const candidate = path as hbs.AST.PathExpression;
	return (
		candidate.type === 'PathExpression' &&
		!candidate.data &&
		candidate.depth === 0 &&
		candidate.parts.length === 1 &&
		candidate.original === candidate.parts[0]
	);
}

/** Names defined inside the template with `{{#*inline "name"}}…{{/inline}}`. */
export function inlinePartialNames(program: hbs.AST.Program): Set<string> {
	const names = new Set<string>();
	walkTemplate(program, (node) => {
		if (node.type !== 'DecoratorBlock') return;
		const block = node as hbs.AST.DecoratorBlock;
		const [name] = block.params;
		if (block.path.original === 'inline' && name?.type === 'StringLiteral') {
			names.add((name as hbs.AST.StringLiteral).value);
		}
	});
	return names;
}
