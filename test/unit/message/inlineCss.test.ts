import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
	inlineFragmentCss,
	inlineTemplateCss,
	styleSheetOf,
} from '../../../nodes/GmailSmtp/message/inlineCss';

const template = [
	'<html><head><style>',
	'.price { color: #0a7; font-weight: bold }',
	'a.button { background: #1a73e8; color: #fff }',
	'@font-face { font-family: Brand; src: url(https://fonts.example/brand.woff2) }',
	'@media only screen and (max-width: 480px) { .price { font-size: 20px !important } }',
	'</style></head><body>',
	'<p class="price">{{formatCurrency total "EUR"}}</p>',
	'<a class="button" href="https://shop.example/o/{{orderId}}?t={{token}}" title="{{default title "Track"}}">Track</a>',
	'<img src="{{logoUrl}}" alt="{{shop}}">',
	'<table>{{#each lines}}<tr><td class="price">{{name}}</td></tr>{{/each}}</table>',
	'{{{footerHtml}}}',
	'</body></html>',
].join('\n');

describe('inlineTemplateCss', () => {
	it('copies the rules into the elements they select, keeping Handlebars as written', () => {
		const { html } = inlineTemplateCss(template);
		expect(html).toContain(
			'<p class="price" style="color: #0a7; font-weight: bold;">{{formatCurrency total "EUR"}}</p>',
		);
		expect(html).toContain(
			'<a class="button" href="https://shop.example/o/{{orderId}}?t={{token}}" title="{{default title "Track"}}" style="background: #1a73e8; color: #fff;">Track</a>',
		);
		expect(html).toContain('<img src="{{logoUrl}}" alt="{{shop}}">');
		// Handlebars between table rows stays where it was (an HTML5 parser would move it out).
		expect(html).toContain(
			'<table>{{#each lines}}<tr><td class="price" style="color: #0a7; font-weight: bold;">{{name}}</td></tr>{{/each}}</table>',
		);
		expect(html).toContain('{{{footerHtml}}}');
	});

	it('keeps media queries and @font-face in <style>, where only they work', () => {
		const { html } = inlineTemplateCss(template);
		const styles = styleSheetOf(html);
		expect(styles).toContain('@media only screen and (max-width: 480px)');
		expect(styles).toContain('font-size: 20px !important');
		expect(styles).toContain('@font-face');
		expect(html).not.toMatch(/style="[^"]*font-size: 20px/);
	});

	it('returns a template without <style> exactly as written', () => {
		const plain = '<p>Hi {{firstName}},<br>see <a href=https://x.example/{{id}}>this</a></p>';
		expect(inlineTemplateCss(plain)).toEqual({ html: plain, css: '' });
	});

	it('leaves a <style data-embed> block alone', () => {
		const { html } = inlineTemplateCss(
			'<style data-embed>.x { color: red }</style><p class="x">x</p>',
		);
		expect(html).toContain('<p class="x">x</p>');
	});

	describe('remote stylesheets', () => {
		let server: Server;
		let requests: string[];
		let origin: string;
		beforeAll(async () => {
			requests = [];
			server = createServer((request, response) => {
				requests.push(request.url ?? '');
				response.writeHead(200, { 'content-type': 'text/css' });
				response.end('.remote { color: red }');
			});
			await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
			origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		});
		afterAll(() => new Promise((resolve) => server.close(resolve)));

		it('are never fetched: a <link> and an @import stay for the mail program, nothing is downloaded', async () => {
			const html = [
				`<html><head><link rel="stylesheet" href="${origin}/linked.css">`,
				`<style>@import url(${origin}/imported.css); .local { color: blue }</style></head>`,
				'<body><p class="remote local">x</p></body></html>',
			].join('');
			const inlined = inlineTemplateCss(html).html;
			// Give any stray request time to arrive: the server answers at once.
			await new Promise((resolve) => setTimeout(resolve, 200));
			expect(requests).toEqual([]);
			expect(inlined).toContain(`<link rel="stylesheet" href="${origin}/linked.css">`);
			expect(inlined).toContain(`@import url(${origin}/imported.css)`);
			expect(inlined).toContain('<p class="remote local" style="color: blue;">x</p>');
		});
	});
});

describe('inlineFragmentCss', () => {
	it("styles a partial with the template's CSS, without adding a <style> to it", () => {
		const { css } = inlineTemplateCss(template);
		expect(inlineFragmentCss('<p class="price">{{total}}</p>', css)).toBe(
			'<p class="price" style="color: #0a7; font-weight: bold;">{{total}}</p>',
		);
	});
});
