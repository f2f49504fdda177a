import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IPairedItemData,
} from 'n8n-workflow';

import { inputError } from '../../errors/GmailSmtpError';

export type SendMode = 'perItem' | 'allItems';

/** One message to render: the data its templates see and the input items it answers for. */
export interface MessageUnit {
	/** The item whose recipient and option fields are read (the first one in `allItems` mode). */
	itemIndex: number;
	pairedItem: IPairedItemData | IPairedItemData[];
	/** Evaluated when the message is rendered, so a failing Template Data expression fails only its message. */
	templateContext(): unknown;
}

/**
 * `perItem`: one message per item, rendered against the item's JSON (or its Template Data).
 * `allItems`: one message for all items, rendered against `{ items: [...] }`.
 */
export function messageUnits(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
): MessageUnit[] {
	const mode = context.getNodeParameter('sendMode', 0, 'perItem') as SendMode;
	if (mode === 'allItems') {
		if (items.length === 0) return [];
		return [
			{
				itemIndex: 0,
				pairedItem: items.map((_, index) => ({ item: index })),
				templateContext: () => ({
					items: items.map((item, index) => templateData(context, item, index)),
				}),
			},
		];
	}
	return items.map((item, index) => ({
		itemIndex: index,
		pairedItem: { item: index },
		templateContext: () => templateData(context, item, index),
	}));
}

/**
 * The item's JSON, or the object the Template Data option gives for it (usually an n8n expression
 * over earlier nodes). Either way it is only data for the templates, never compiled as one.
 */
function templateData(
	context: IExecuteFunctions,
	item: INodeExecutionData,
	itemIndex: number,
): unknown {
	// Most workflows leave it unset: then no per-item parameter resolution is needed at all.
	const stored = (context.getNode().parameters.options as IDataObject | undefined)?.templateData;
	if (stored === undefined || stored === '') return item.json;
	const value = context.getNodeParameter('options.templateData', itemIndex, '') as unknown;
	if (value === null || value === '') return item.json;
	const data = typeof value === 'string' ? parseJson(value) : value;
	if (typeof data !== 'object' || data === null) {
		throw inputError(
			'Template Data is not an object',
			'Options → Template Data must give an object (or a list), e.g. {{ { customer: $json, owner: $("CRM").item.json } }}.',
		);
	}
	return data as IDataObject;
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch (error) {
		throw inputError(
			'Template Data is not valid JSON',
			`Options → Template Data: ${(error as Error).message}. Give an object as JSON or as an n8n expression.`,
		);
	}
}
