import type { IExecuteFunctions } from 'n8n-workflow';

import { inputError } from '../../errors/GmailSmtpError';
import {
	parseBinaryPropertyNames,
	parseInlineImageRows,
	type BinaryFile,
	type InlineImageFile,
} from '../../message/attachments';

export interface FileOptionValues {
	/** Binary property names, comma-separated. */
	attachments?: unknown;
	/** `{ image: [{ binaryPropertyName, contentId }] }` */
	inlineImages?: unknown;
}

/** Reads the files the Attachments and Inline Images options name from the item's binary data. */
export async function readMessageFiles(
	context: IExecuteFunctions,
	itemIndex: number,
	options: FileOptionValues,
): Promise<{ attachments: BinaryFile[]; inlineImages: InlineImageFile[] }> {
	const attachments: BinaryFile[] = [];
	for (const propertyName of parseBinaryPropertyNames(options.attachments)) {
		attachments.push(await readBinaryFile(context, itemIndex, propertyName, 'Attachments'));
	}
	const inlineImages: InlineImageFile[] = [];
	for (const row of parseInlineImageRows(options.inlineImages)) {
		const file = await readBinaryFile(context, itemIndex, row.propertyName, 'Inline Images');
		inlineImages.push({ ...file, contentId: row.contentId });
	}
	return { attachments, inlineImages };
}

/**
 * One binary property of the item. The bytes come through n8n's helper, which works whether n8n
 * keeps binary data in memory, on disk or in S3.
 */
async function readBinaryFile(
	context: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
	optionLabel: string,
): Promise<BinaryFile> {
	const binary = context.getInputData()[itemIndex]?.binary ?? {};
	const metadata = Object.prototype.hasOwnProperty.call(binary, propertyName)
		? binary[propertyName]
		: undefined;
	if (!metadata) {
		const available = Object.keys(binary);
		throw inputError(
			`Binary property "${propertyName}" not found`,
			`${optionLabel} names the binary property "${propertyName}", but item ${itemIndex} has ${
				available.length > 0
					? `only ${available.map((name) => `"${name}"`).join(', ')}`
					: 'no binary data'
			}. Check the name in ${optionLabel} against the Binary tab of the previous node's output.`,
		);
	}
	const content = await context.helpers.getBinaryDataBuffer(itemIndex, propertyName);
	return {
		propertyName,
		content,
		fileName: metadata.fileName,
		fileExtension: metadata.fileExtension,
		mimeType: metadata.mimeType,
	};
}
