import {
	attachFiles,
	parseBinaryPropertyNames,
	parseInlineImageRows,
	type BinaryFile,
} from '../../../nodes/GmailSmtp/message/attachments';
import { buildMessage } from '../../../nodes/GmailSmtp/message/buildMessage';
import { failureOf } from '../../helpers/failureOf';

const draft = buildMessage(
	{ subject: 'S', html: '<img src="cid:logo">', text: 'T' },
	{ to: 'a@example.com' },
	{ accountEmail: 'me@gmail.com' },
);
const pdf: BinaryFile = {
	propertyName: 'invoice',
	content: Buffer.from('%PDF-1.4'),
	fileName: 'Invoice 42.pdf',
	mimeType: 'application/pdf',
};
const png: BinaryFile = {
	propertyName: 'logo',
	content: Buffer.from([0x89, 0x50, 0x4e, 0x47]),
	fileName: 'logo.png',
	mimeType: 'image/png',
};

describe('parseBinaryPropertyNames', () => {
	it.each([
		[undefined, []],
		['', []],
		['data', ['data']],
		[' data , invoice,, terms ', ['data', 'invoice', 'terms']],
		[
			['data', 'invoice, terms'],
			['data', 'invoice', 'terms'],
		],
		['data, data', ['data']],
	])('reads %p', (input, expected) => {
		expect(parseBinaryPropertyNames(input)).toEqual(expected);
	});

	it('refuses something that is not text', () => {
		expect(failureOf(() => parseBinaryPropertyNames([{ name: 'data' }])).title).toBe(
			'Invalid Attachments',
		);
	});
});

describe('parseInlineImageRows', () => {
	it('reads rows, taking a cid: prefix or angle brackets off the content ID', () => {
		expect(
			parseInlineImageRows({
				image: [
					{ binaryPropertyName: ' logo ', contentId: 'logo' },
					{ binaryPropertyName: 'banner', contentId: 'cid:banner@acme' },
					{ binaryPropertyName: 'sig', contentId: '<sig>' },
					{ binaryPropertyName: '', contentId: '' },
				],
			}),
		).toEqual([
			{ propertyName: 'logo', contentId: 'logo' },
			{ propertyName: 'banner', contentId: 'banner@acme' },
			{ propertyName: 'sig', contentId: 'sig' },
		]);
	});

	it.each([
		[
			'a row without content ID',
			[{ binaryPropertyName: 'logo', contentId: '' }],
			/"logo" needs a content ID/,
		],
		[
			'a row without property',
			[{ binaryPropertyName: '', contentId: 'logo' }],
			/"logo" needs the name of one binary property/,
		],
		[
			'two properties in one row',
			[{ binaryPropertyName: 'a, b', contentId: 'logo' }],
			/one binary property/,
		],
		[
			'a content ID with a space',
			[{ binaryPropertyName: 'logo', contentId: 'my logo' }],
			/not a usable content ID/,
		],
		[
			'a content ID with CR/LF',
			[{ binaryPropertyName: 'logo', contentId: 'logo\r\nX: y' }],
			/not a usable content ID/,
		],
		[
			'a content ID with a quote',
			[{ binaryPropertyName: 'logo', contentId: 'a"b' }],
			/not a usable content ID/,
		],
		[
			'the same content ID twice',
			[
				{ binaryPropertyName: 'a', contentId: 'logo' },
				{ binaryPropertyName: 'b', contentId: 'LOGO' },
			],
			/used twice/,
		],
		['a non-text content ID', [{ binaryPropertyName: 'logo', contentId: 7 }], /must be text/],
	])('refuses %s', (_label, image, description) => {
		const failure = failureOf(() => parseInlineImageRows({ image }));
		expect(failure).toMatchObject({ kind: 'input', title: 'Invalid Inline Images' });
		expect(failure.description).toMatch(description);
	});
});

describe('attachFiles', () => {
	it('leaves a message without files alone', () => {
		expect(attachFiles(draft, { attachments: [], inlineImages: [] })).toBe(draft);
	});

	it('adds regular attachments as attachments, and only inline images with a cid, inline', () => {
		const message = attachFiles(draft, {
			attachments: [pdf, png],
			inlineImages: [{ ...png, contentId: 'logo' }],
		});
		expect(message.attachments).toEqual([
			{
				filename: 'Invoice 42.pdf',
				contentType: 'application/pdf',
				content: pdf.content,
				contentDisposition: 'attachment',
				contentTransferEncoding: 'base64',
			},
			{
				filename: 'logo.png',
				contentType: 'image/png',
				content: png.content,
				contentDisposition: 'attachment',
				contentTransferEncoding: 'base64',
			},
			{
				filename: 'logo.png',
				contentType: 'image/png',
				content: png.content,
				contentDisposition: 'inline',
				contentTransferEncoding: 'base64',
				cid: 'logo',
			},
		]);
		for (const part of message.attachments ?? []) {
			expect(part).not.toHaveProperty('path');
			expect(part).not.toHaveProperty('href');
		}
	});

	it.each([
		[
			'no file name: the property name and extension',
			{ fileName: undefined, fileExtension: 'pdf' },
			'invoice.pdf',
		],
		['no file name, no extension', { fileName: undefined }, 'invoice'],
		['a path: only the last part', { fileName: '../../etc/passwd' }, 'passwd'],
		['a Windows path', { fileName: 'C:\\Users\\ann\\report.pdf' }, 'report.pdf'],
		['control characters: removed', { fileName: 'a\r\nb.pdf' }, 'ab.pdf'],
		['a non-ASCII name: kept', { fileName: 'Rechnung März.pdf' }, 'Rechnung März.pdf'],
	])('names a file with %s', (_label, metadata, expected) => {
		const [part] = attachFiles(draft, {
			attachments: [{ ...pdf, ...metadata }],
			inlineImages: [],
		}).attachments!;
		expect(part.filename).toBe(expected);
	});

	it.each([
		['missing', undefined, 'application/octet-stream'],
		['with parameters', 'text/csv; charset=utf-8', 'text/csv; charset=utf-8'],
		['malformed', 'pdf', 'application/octet-stream'],
		['with a line break', 'text/plain\r\nX-Evil: 1', 'application/octet-stream'],
	])('uses a %s MIME type safely', (_label, mimeType, expected) => {
		const [part] = attachFiles(draft, {
			attachments: [{ ...pdf, mimeType }],
			inlineImages: [],
		}).attachments!;
		expect(part.contentType).toBe(expected);
	});

	it('refuses a content ID that did not come through parseInlineImageRows and is unusable', () => {
		expect(
			failureOf(() =>
				attachFiles(draft, { attachments: [], inlineImages: [{ ...png, contentId: '\t' }] }),
			).description,
		).toMatch(/not a usable content ID/);
	});

	it('refuses an inline image that is not an image', () => {
		const failure = failureOf(() =>
			attachFiles(draft, { attachments: [], inlineImages: [{ ...pdf, contentId: 'doc' }] }),
		);
		expect(failure.title).toBe('Inline image is not an image');
		expect(failure.description).toContain('"invoice"');
	});

	it('refuses inline images in a message without HTML', () => {
		const textOnly = { ...draft, html: undefined };
		expect(
			failureOf(() =>
				attachFiles(textOnly, { attachments: [], inlineImages: [{ ...png, contentId: 'logo' }] }),
			).title,
		).toBe('Inline images need an HTML body');
	});
});
