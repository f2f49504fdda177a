interface JuiceOptions {
	removeStyleTags?: boolean;
	removeInlinedSelectors?: boolean;
	insertPreservedExtraCss?: boolean;
	preserveMediaQueries?: boolean;
	preserveFontFaces?: boolean;
	preserveKeyFrames?: boolean;
	preservePseudos?: boolean;
}

interface JuiceClient {
	(html: string, options?: JuiceOptions): string;
	inlineContent(html: string, css: string, options?: JuiceOptions): string;
}

/**
 * Every rule stays in its `<style>` block as well as being inlined: Gmail and Apple Mail read the
 * block (media queries, `@font-face`, `@import`, `:hover`, rules for classes that mail programs add
 * such as `.moz-text-html`, and HTML that items insert with `{{{…}}}`), while programs that drop
 * `<style>` still get the inlined styles.
 */
const JUICE_OPTIONS: JuiceOptions = {
	removeStyleTags: false,
	removeInlinedSelectors: false,
	preserveMediaQueries: true,
	preserveFontFaces: true,
	preserveKeyFrames: true,
	preservePseudos: true,
};

/** A fragment (a partial) is styled by the template's CSS without gaining a `<style>` of its own. */
const FRAGMENT_OPTIONS: JuiceOptions = { ...JUICE_OPTIONS, insertPreservedExtraCss: false };

const STYLE_BLOCK = /<style\b([^>]*)>([\s\S]*?)<\/style\s*>/gi;
const COMMENT = /<!--[\s\S]*?-->/g;

let loaded: JuiceClient | undefined;

/**
 * juice's DOM-only entry point, loaded on first use. `juice/client` has no way to fetch anything:
 * the stylesheet loader (`juiceResources`, web-resource-inliner) lives in juice's main module, which
 * is never loaded, so a `<link rel="stylesheet">` is left as it is and never downloaded.
 */
function juice(): JuiceClient {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	loaded ??= require('juice/client') as JuiceClient;
	return loaded;
}

export interface InlinedTemplate {
	html: string;
	/** The CSS of the template's `<style>` blocks, to style partials the same way. */
	css: string;
}

/**
 * Copies the rules of the template's `<style>` blocks into the `style` attributes of the elements
 * they select, once per template (Handlebars is still in it: juice keeps `{{…}}` as written, in
 * text and in attribute values). A template without `<style>` is returned as written. A block
 * marked `<style data-embed>` is left alone (juice's convention).
 */
export function inlineTemplateCss(html: string): InlinedTemplate {
	const css = styleSheetOf(html);
	if (!css.trim()) return { html, css: '' };
	return { html: juice()(html, JUICE_OPTIONS), css };
}

/** Styles an HTML fragment (a partial) with the template's CSS. */
export function inlineFragmentCss(fragment: string, css: string): string {
	if (!css.trim() || !fragment.trim()) return fragment;
	return juice().inlineContent(fragment, css, FRAGMENT_OPTIONS);
}

/** The text of every `<style>` block outside comments (Outlook's conditional comments hold their own). */
export function styleSheetOf(html: string): string {
	const blocks: string[] = [];
	for (const [, attributes, css] of html.replace(COMMENT, '').matchAll(STYLE_BLOCK)) {
		if (!/\bdata-embed\b/i.test(attributes)) blocks.push(css);
	}
	return blocks.join('\n');
}
