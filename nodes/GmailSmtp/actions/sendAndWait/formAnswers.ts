import { submittedFields, submittedText } from '../../pages/submittedFields';
import type { FormField } from './formFields';

/** Answers larger than this in all are refused, not stored in the execution. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

/** What is wrong with a submitted field, by its position in the form. */
export type FieldProblems = Record<number, string>;

export type FormReading =
	/** Keyed by field label as n8n's forms output them; numbers as numbers. */
	| { kind: 'answered'; answers: Record<string, string | number | null> }
	/** Shown again with `values` kept and the fields in `problems` marked. */
	| { kind: 'incomplete'; values: string[]; problems: FieldProblems }
	| { kind: 'tooLarge'; bytes: number };

/**
 * The form's `field-N` values as text (a repeated field counts once, as n8n reads it). Browsers
 * submit a text area's line breaks as CR LF; the answer has them as typed, one LF each.
 */
export function fieldValues(fields: FormField[], submitted: Record<string, unknown>): string[] {
	return fields.map((_, index) =>
		submittedText(submitted[`field-${index}`]).replace(/\r\n?/g, '\n'),
	);
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Checks the submitted form and turns it into n8n's output shape: text and email trimmed (as n8n
 * does), a number as a number (`null` when an optional one is left empty), a date as the browser's
 * `yyyy-mm-dd`. A browser checks the same before it submits; this is for what it lets through
 * (blanks in a required field) and for anything that did not come from the page.
 */
export function readFormAnswers(fields: FormField[], body: unknown): FormReading {
	const values = fieldValues(fields, submittedFields(body));
	const bytes = values.reduce((sum, value) => sum + Buffer.byteLength(value, 'utf8'), 0);
	if (bytes > MAX_ANSWER_BYTES) return { kind: 'tooLarge', bytes };

	const problems: FieldProblems = {};
	const answers: Record<string, string | number | null> = {};
	fields.forEach((field, index) => {
		const value = values[index];
		const given = value.trim() !== '';
		const problem = given ? problemWith(field, value) : field.requiredField && 'Please fill in.';
		if (problem) problems[index] = problem;
		answers[field.fieldLabel] = answerOf(field, value, given);
	});
	return Object.keys(problems).length > 0
		? { kind: 'incomplete', values, problems }
		: { kind: 'answered', answers };
}

function problemWith(field: FormField, value: string): string | undefined {
	const trimmed = value.trim();
	switch (field.fieldType) {
		case 'email':
			return EMAIL.test(trimmed) ? undefined : 'Please enter an email address.';
		case 'number':
			return Number.isFinite(Number(trimmed)) ? undefined : 'Please enter a number.';
		case 'date':
			return DATE.test(trimmed) && !Number.isNaN(Date.parse(trimmed))
				? undefined
				: 'Please enter a date.';
		case 'dropdown':
			return field.options.includes(value) ? undefined : 'Please choose one of the options.';
		default:
			return undefined;
	}
}

function answerOf(field: FormField, value: string, given: boolean): string | number | null {
	switch (field.fieldType) {
		case 'number':
			return given ? Number(value.trim()) : null;
		case 'text':
		case 'email':
		case 'date':
			return value.trim();
		default:
			return value;
	}
}
