/** A field of the Custom Form (names as n8n's built-in Send Email node's `formFields`). */
export interface FormField {
	fieldLabel: string;
	fieldType: 'text' | 'textarea' | 'number' | 'email' | 'date' | 'dropdown';
	requiredField: boolean;
	placeholder?: string;
	options: string[];
}

/** Free Text is a form with one required text area, answered as `text`. */
export const FREE_TEXT_FIELD: FormField = {
	fieldLabel: 'Response',
	fieldType: 'textarea',
	requiredField: true,
	options: [],
};

const FIELD_TYPES = new Set<FormField['fieldType']>([
	'text',
	'textarea',
	'number',
	'email',
	'date',
	'dropdown',
]);

/** Reads the `formFields.values` parameter; throws with the field's position when one is unusable. */
export function readFormFields(values: unknown): FormField[] {
	const rows = Array.isArray(values) ? values : [];
	if (rows.length === 0) throw new Error('Add at least one form field.');
	return rows.map((row: Record<string, unknown>, index) => {
		const fieldLabel = String(row.fieldLabel ?? '').trim();
		const fieldType = (row.fieldType ?? 'text') as FormField['fieldType'];
		if (!fieldLabel) throw new Error(`Form field ${index + 1} has no label.`);
		if (!FIELD_TYPES.has(fieldType)) {
			throw new Error(`Form field "${fieldLabel}" has an unknown type "${String(fieldType)}".`);
		}
		const optionRows = (row.fieldOptions as { values?: Array<{ option?: unknown }> } | undefined)
			?.values;
		const options = (optionRows ?? []).map((option) => String(option.option ?? '')).filter(Boolean);
		if (fieldType === 'dropdown' && options.length === 0) {
			throw new Error(`Form field "${fieldLabel}" is a dropdown without options.`);
		}
		return {
			fieldLabel,
			fieldType,
			requiredField: row.requiredField === true,
			placeholder: typeof row.placeholder === 'string' ? row.placeholder : undefined,
			options,
		};
	});
}

export interface FormAnswers {
	answers: Record<string, string | number | null>;
	missing: string[];
}

/** The submitted form, keyed by field label as n8n's forms output it; numbers as numbers. */
export function readFormAnswers(fields: FormField[], body: Record<string, unknown>): FormAnswers {
	const answers: FormAnswers['answers'] = {};
	const missing: string[] = [];
	fields.forEach((field, index) => {
		const raw = body[`field-${index}`];
		const value =
			(Array.isArray(raw) ? raw[0] : raw) === undefined
				? ''
				: String(Array.isArray(raw) ? raw[0] : raw);
		const given = value.trim() !== '';
		if (field.requiredField && !given) missing.push(field.fieldLabel);
		if (field.fieldType === 'dropdown' && given && !field.options.includes(value)) {
			missing.push(field.fieldLabel);
		}
		answers[field.fieldLabel] =
			field.fieldType === 'number' ? (given ? Number(value) : null) : value;
	});
	return { answers, missing };
}

export interface FormPage {
	title: string;
	description: string;
	buttonLabel: string;
	fields: FormField[];
	/** Fields that must be filled in before the answer is taken. */
	missing?: string[];
}

/** The answer page: plain HTML with inline styles, no script; posts back to the same signed URL. */
export function formPageHtml(page: FormPage): string {
	const inputs = page.fields.map((field, index) => fieldHtml(field, index)).join('\n');
	const missing = page.missing?.length
		? `<p style="color:#b3261e;">Please fill in: ${page.missing.map(escapeHtml).join(', ')}.</p>`
		: '';
	return pageHtml(
		page.title || 'Your answer',
		`${page.description ? `<p style="white-space:pre-line;">${escapeHtml(page.description)}</p>` : ''}${missing}
<form method="POST" style="margin-top:16px;">
${inputs}
<button type="submit" style="margin-top:16px;padding:12px 24px;border:0;border-radius:6px;background:#1a73e8;color:#fff;font-size:16px;font-weight:bold;cursor:pointer;">${escapeHtml(page.buttonLabel || 'Submit')}</button>
</form>`,
	);
}

/** Shown once the answer was recorded. */
export function answerRecordedHtml(): string {
	return pageHtml(
		'Got it, thanks',
		'<p>Your answer was recorded. This page can be closed now.</p>',
	);
}

function fieldHtml(field: FormField, index: number): string {
	const name = `field-${index}`;
	const required = field.requiredField ? ' required' : '';
	const placeholder = field.placeholder ? ` placeholder="${escapeHtml(field.placeholder)}"` : '';
	const style =
		'display:block;width:100%;box-sizing:border-box;margin-top:4px;padding:8px;border:1px solid #dadce0;border-radius:6px;font-size:15px;';
	let control: string;
	if (field.fieldType === 'textarea') {
		control = `<textarea id="${name}" name="${name}" rows="5" style="${style}"${required}${placeholder}></textarea>`;
	} else if (field.fieldType === 'dropdown') {
		const options = field.options
			.map((option) => `<option value="${escapeHtml(option)}">${escapeHtml(option)}</option>`)
			.join('');
		control = `<select id="${name}" name="${name}" style="${style}"${required}><option value=""></option>${options}</select>`;
	} else {
		control = `<input id="${name}" name="${name}" type="${field.fieldType}" style="${style}"${required}${placeholder}>`;
	}
	return `<label for="${name}" style="display:block;margin-top:12px;font-weight:bold;">${escapeHtml(field.fieldLabel)}${field.requiredField ? ' *' : ''}</label>\n${control}`;
}

function pageHtml(title: string, body: string): string {
	return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex,nofollow"><title>${escapeHtml(title)}</title></head>
<body style="margin:0;background:#f6f8fc;font-family:Arial,Helvetica,sans-serif;color:#202124;">
<main style="max-width:560px;margin:48px auto;padding:24px;background:#fff;border-radius:12px;border:1px solid #dadce0;">
<h1 style="margin-top:0;font-size:22px;">${escapeHtml(title)}</h1>
${body}
</main></body></html>`;
}

function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
