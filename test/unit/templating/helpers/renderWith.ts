import {
	compileTemplates,
	type TemplateSettings,
} from '../../../../nodes/GmailSmtp/templating/templateRenderer';

/** Renders one template as the Text part (not escaped) and as HTML (escaped). */
export function renderWith(
	template: string,
	data: unknown,
	settings: Partial<TemplateSettings> = {},
) {
	const rendered = compileTemplates(
		{ subject: '', html: template, text: template },
		{ missingVariable: 'leaveEmpty', ...settings },
	).render(data);
	return { text: rendered.text, html: rendered.html };
}
