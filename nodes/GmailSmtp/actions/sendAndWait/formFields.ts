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

/** Where the output's `data` has the time of the answer, beside the fields' answers. */
export const RESPONDED_AT = 'respondedAt';

/** Reads the `formFields.values` parameter; throws with the field's position when one is unusable. */
export function readFormFields(values: unknown): FormField[] {
	const rows = Array.isArray(values) ? values : [];
	if (rows.length === 0) throw new Error('Add at least one form field.');
	const fields = rows.map((row: Record<string, unknown>, index): FormField => {
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
	const labels = new Set<string>();
	for (const { fieldLabel } of fields) {
		// The answers are keyed by label: a second field of the same label would overwrite the first.
		if (labels.has(fieldLabel)) {
			throw new Error(`Two form fields are labelled "${fieldLabel}": give each its own label.`);
		}
		if (fieldLabel === RESPONDED_AT) {
			throw new Error(
				`A form field is labelled "${RESPONDED_AT}", the name of the answer's time in the output: give it another label.`,
			);
		}
		labels.add(fieldLabel);
	}
	return fields;
}
