import { inlineFragmentCss, inlineTemplateCss } from './inlineCss';
import { compileMjml } from './mjmlTemplate';

/** `html`: the HTML template as written. `mjml`: MJML with Handlebars in it, compiled to HTML. */
export type TemplateFormat = 'html' | 'mjml';

export interface HtmlTemplateSettings {
	format: TemplateFormat;
	inlineCss: boolean;
	/** Named partials; used by the HTML template after MJML, so they are HTML. */
	partials: Record<string, string>;
}

/** The HTML template, ready to be compiled by Handlebars once and rendered per item. */
export interface PreparedHtmlTemplate {
	html: string;
	/** The template as the author wrote it, when `html` was produced from it by MJML. */
	authoredHtml?: string;
	/** The partials with the template's styles inlined, when inlining is on. */
	htmlPartials?: Record<string, string>;
}

// Webhook-driven workflows run one item per execution: MJML and inlining then run once per
// template and n8n process rather than once per execution.
const CACHE_SIZE = 16;
const cache = new Map<string, Promise<PreparedHtmlTemplate>>();

/**
 * MJML (when the format is `mjml`) and CSS inlining run on the template, with Handlebars still
 * in it, not on each rendered message: a thousand items cost one MJML compile and one inlining.
 * Values rendered later are text, so inlining the template styles everything but HTML that an
 * item brings in with `{{{…}}}`.
 */
export async function prepareHtmlTemplate(
	source: string,
	settings: HtmlTemplateSettings,
): Promise<PreparedHtmlTemplate> {
	if (!source || (settings.format === 'html' && !settings.inlineCss)) return { html: source };
	const key = JSON.stringify([source, settings.format, settings.inlineCss, settings.partials]);
	let prepared = cache.get(key);
	if (prepared) {
		// Most recently used last, so the oldest entry is the first to go.
		cache.delete(key);
	} else {
		prepared = prepare(source, settings);
		// A template that fails is not kept: the author fixes it and runs again.
		prepared.catch(() => cache.delete(key));
	}
	cache.set(key, prepared);
	if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
	return await prepared;
}

async function prepare(
	source: string,
	settings: HtmlTemplateSettings,
): Promise<PreparedHtmlTemplate> {
	const mjml = settings.format === 'mjml';
	const compiled = mjml ? await compileMjml(source) : source;
	const authored = mjml ? { authoredHtml: source } : {};
	if (!settings.inlineCss) return { html: compiled, ...authored };
	const { html, css } = inlineTemplateCss(compiled);
	if (!css) return { html, ...authored };
	const htmlPartials: Record<string, string> = {};
	for (const [name, partial] of Object.entries(settings.partials)) {
		htmlPartials[name] = inlineFragmentCss(partial, css);
	}
	return { html, ...authored, htmlPartials };
}
