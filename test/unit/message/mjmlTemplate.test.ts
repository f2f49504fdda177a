import fs, { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { GmailSmtpError, type Failure } from '../../../nodes/GmailSmtp/errors/GmailSmtpError';
import { compileMjml } from '../../../nodes/GmailSmtp/message/mjmlTemplate';

/** An MJML document with `body` inside one column, starting on line 5. */
const mjml = (body: string) =>
	`<mjml>\n<mj-body>\n<mj-section>\n<mj-column>\n${body}\n</mj-column>\n</mj-section>\n</mj-body>\n</mjml>`;

async function failure(source: string): Promise<Failure> {
	const error = await compileMjml(source).then(
		() => undefined,
		(thrown: unknown) => thrown,
	);
	expect(error).toBeInstanceOf(GmailSmtpError);
	return (error as GmailSmtpError).failure;
}

describe('compileMjml', () => {
	it('compiles MJML to responsive table HTML and leaves Handlebars in text, tables, href and src intact', async () => {
		const html = await compileMjml(
			mjml(
				[
					'<mj-image src="{{logoUrl}}" alt="{{shop}} logo" />',
					'<mj-text>Hi {{firstName}} {{#if vip}}<b>VIP</b>{{/if}} {{formatCurrency total "EUR"}}</mj-text>',
					'<mj-table>{{#each lines}}<tr><td>{{name}}</td><td>{{{note}}}</td></tr>{{/each}}</mj-table>',
					'<mj-button href="https://shop.example/o/{{orderId}}?t={{token}}">Track</mj-button>',
					'<mj-raw>{{#each extras}}</mj-raw><mj-text>{{this}}</mj-text><mj-raw>{{/each}}</mj-raw>',
				].join('\n'),
			),
		);
		expect(html).toMatch(/^<!doctype html>/);
		expect(html).toContain('@media only screen and (min-width:480px)');
		for (const handlebars of [
			'src="{{logoUrl}}"',
			'alt="{{shop}} logo"',
			'Hi {{firstName}} {{#if vip}}<b>VIP</b>{{/if}} {{formatCurrency total "EUR"}}',
			'{{#each lines}}<tr><td>{{name}}</td><td>{{{note}}}</td></tr>{{/each}}',
			'href="https://shop.example/o/{{orderId}}?t={{token}}"',
			'{{#each extras}}',
			'{{this}}',
			'{{/each}}',
		]) {
			expect(html).toContain(handlebars);
		}
	});

	it.each([
		[
			'an unknown tag',
			'<mj-txt>Hi</mj-txt>',
			/^Line 5: Element mj-txt doesn't exist or is not registered$/m,
		],
		[
			'an attribute the tag does not have',
			'<mj-text colour="red">Hi</mj-text>',
			/^Line 5: Attribute colour is illegal$/m,
		],
		[
			'a tag in the wrong place',
			'<mj-section><mj-column><mj-text>x</mj-text></mj-column></mj-section>',
			/^Line 5: mj-section cannot be used inside mj-column/m,
		],
	])('refuses %s with the line, before anything is rendered', async (_case, body, expected) => {
		const error = await failure(mjml(body));
		expect(error).toMatchObject({ kind: 'input', title: 'MJML error in HTML' });
		expect(error.description).toMatch(expected);
	});

	it('says why Handlebars cannot stand in a checked attribute such as a color', async () => {
		const error = await failure(mjml('<mj-text color="{{brandColor}}">Hi</mj-text>'));
		expect(error.description).toContain(
			'Line 5: Attribute color has invalid value: {{brandColor}}',
		);
		expect(error.description).toContain('give those attributes a fixed value');
	});

	it('refuses what is not MJML at all', async () => {
		const error = await failure('<p>Hello {{firstName}}</p>');
		expect(error.title).toBe('MJML could not read the HTML template');
		expect(error.description).toContain('starts with <mjml>');
	});

	describe('mj-include', () => {
		const folder = mkdtempSync(join(tmpdir(), 'mjml-include-'));
		writeFileSync(join(folder, 'secret.mjml'), '<mj-text>SECRET-FROM-DISK</mj-text>');
		afterAll(() => rmSync(folder, { recursive: true, force: true }));

		it.each([
			['an absolute path', join(folder, 'secret.mjml')],
			['a relative path', 'secret.mjml'],
			['a CSS file', '/etc/hostname" type="css'],
		])('is refused with its line for %s; no file is read', async (_case, path) => {
			const cwd = process.cwd();
			process.chdir(folder);
			const reads = jest.spyOn(fs, 'readFileSync');
			try {
				const error = await failure(mjml(`<mj-text>Hi</mj-text>\n<mj-include path="${path}" />`));
				expect(error.title).toBe('MJML include not allowed in HTML');
				expect(error.description).toMatch(/^Line 6: <mj-include> would read a file/);
				expect(reads).not.toHaveBeenCalled();
			} finally {
				reads.mockRestore();
				process.chdir(cwd);
			}
		});

		it('is not mistaken in a comment', async () => {
			const html = await compileMjml(
				mjml('<!-- <mj-include path="x.mjml" /> -->\n<mj-text>Hi</mj-text>'),
			);
			expect(html).toContain('Hi');
			expect(html).not.toContain('SECRET-FROM-DISK');
		});
	});
});
