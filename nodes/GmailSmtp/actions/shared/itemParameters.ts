import type { IExecuteFunctions, NodeParameterValueType } from 'n8n-workflow';

export interface ItemParameterReader {
	/** A value that is the same for the whole execution. */
	once<T>(name: string, fallback: T): T;
	/** A value that may differ per item; read once when it contains no expression. */
	forItem<T>(name: string, itemIndex: number, fallback: T): T;
}

/**
 * n8n resolves parameters per item, and evaluating an expression costs milliseconds inside n8n.
 * Values that contain no expression are the same for every item, so they are read once.
 */
export function itemParameterReader(context: IExecuteFunctions): ItemParameterReader {
	const rawParameters = context.getNode().parameters;
	const fixed = new Map<string, unknown>();
	return {
		once<T>(name: string, fallback: T): T {
			if (!fixed.has(name)) fixed.set(name, context.getNodeParameter(name, 0, fallback as never));
			return fixed.get(name) as T;
		},
		forItem<T>(name: string, itemIndex: number, fallback: T): T {
			if (name in rawParameters && !containsExpression(rawParameters[name])) {
				return this.once(name, fallback);
			}
			return context.getNodeParameter(name, itemIndex, fallback as never) as T;
		},
	};
}

function containsExpression(value: NodeParameterValueType | undefined): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some((entry) => containsExpression(entry as never));
	if (value && typeof value === 'object') {
		return Object.values(value).some((entry) => containsExpression(entry as never));
	}
	return false;
}
