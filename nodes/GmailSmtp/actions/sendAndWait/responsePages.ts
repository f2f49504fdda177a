import { escapeHtml } from '../../fieldText';
import { megabytes } from '../../message/messageSize';
import { pageButtonStyle, pageHtml } from '../../pages/pageHtml';
import type { FormField } from './formFields';
import { MAX_ANSWER_BYTES, type FieldProblems } from './formAnswers';

/** The pages a person sees after following a Send and Wait link (in the frame of pageHtml.ts). */
export interface FormPage {
	title: string;
	description: string;
	buttonLabel: string;
	fields: FormField[];
	/** What the person entered, by field position (kept when the form is shown again). */
	values?: string[];
	/** Fields to mark, with what is wrong, by position. */
	problems?: FieldProblems;
}

const ERROR_COLOUR = '#b3261e';
const BUTTON_STYLE = pageButtonStyle(16);

/**
 * The form, posted back to the same signed URL as multipart/form-data: what n8n 2.x requires for
 * a Custom Form (a URL-encoded post gets 415) and what n8n's own form pages send.
 */
export function formPageHtml(page: FormPage): string {
	const inputs = page.fields
		.map((field, index) => fieldHtml(field, index, page.values?.[index], page.problems?.[index]))
		.join('\n');
	const marked = Object.keys(page.problems ?? {}).length;
	const summary = marked
		? `<p role="alert" style="color:${ERROR_COLOUR};font-weight:bold;">Please check the ${marked === 1 ? 'marked field' : `${marked} marked fields`}: nothing was sent yet.</p>`
		: '';
	return pageHtml(
		page.title || 'Your answer',
		`${page.description ? `<p style="white-space:pre-line;">${escapeHtml(page.description)}</p>` : ''}${summary}
<form method="POST" enctype="multipart/form-data" accept-charset="utf-8" style="margin-top:16px;">
${inputs}
<button type="submit" style="${BUTTON_STYLE}">${escapeHtml(page.buttonLabel || 'Submit')}</button>
</form>`,
	);
}

/**
 * Confirm on Page: the link only shows the choice, and the button posts it. A link fetcher
 * (a mail scanner, a preview) requests the link but never presses the button.
 */
export function confirmAnswerPageHtml(question: string, choice: string): string {
	const asked = question ? `<p style="font-size:17px;">${escapeHtml(question)}</p>\n` : '';
	return pageHtml(
		'Confirm your answer',
		`${asked}<p>Press the button to send your answer.</p>
<form method="POST" enctype="multipart/form-data" accept-charset="utf-8">
<input type="hidden" name="confirmed" value="yes">
<button type="submit" style="${BUTTON_STYLE}">${escapeHtml(choice)}</button>
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

/** A link of an earlier round of a loop (or of another item) while the execution waits on another. */
export function noLongerWaitingHtml(): string {
	return pageHtml(
		'This request is no longer waiting',
		'<p>This link belongs to an earlier question of the workflow, which is now waiting for a different answer. Nothing was changed.</p><p>Please use the link in the most recent email.</p>',
	);
}

/** Answers over {@link MAX_ANSWER_BYTES}: refused, and the execution waits on. */
export function answerTooLargeHtml(bytes: number): string {
	return pageHtml(
		'Your answer is too long',
		`<p>The answer has ${megabytes(bytes)}; at most ${megabytes(MAX_ANSWER_BYTES)} can be sent. Nothing was recorded.</p><p>Please go back, shorten it and send it again.</p>`,
	);
}

function fieldHtml(
	field: FormField,
	index: number,
	value: string | undefined,
	problem: string | undefined,
): string {
	const name = `field-${index}`;
	const required = field.requiredField ? ' required' : '';
	const placeholder = field.placeholder ? ` placeholder="${escapeHtml(field.placeholder)}"` : '';
	const border = problem ? `2px solid ${ERROR_COLOUR}` : '1px solid #dadce0';
	const style = `display:block;width:100%;box-sizing:border-box;margin-top:4px;padding:8px;border:${border};border-radius:6px;font-size:15px;`;
	const invalid = problem ? ` aria-invalid="true" aria-describedby="${name}-problem"` : '';
	const attributes = `id="${name}" name="${name}" style="${style}"${required}${invalid}`;
	let control: string;
	if (field.fieldType === 'textarea') {
		control = `<textarea ${attributes} rows="5"${placeholder}>${escapeHtml(value ?? '')}</textarea>`;
	} else if (field.fieldType === 'dropdown') {
		const options = field.options
			.map(
				(option) =>
					`<option value="${escapeHtml(option)}"${option === value ? ' selected' : ''}>${escapeHtml(option)}</option>`,
			)
			.join('');
		control = `<select ${attributes}><option value=""></option>${options}</select>`;
	} else {
		const kept = value ? ` value="${escapeHtml(value)}"` : '';
		const step = field.fieldType === 'number' ? ' step="any"' : '';
		control = `<input ${attributes} type="${field.fieldType}"${step}${kept}${placeholder}>`;
	}
	const message = problem
		? `\n<p id="${name}-problem" style="margin:4px 0 0;color:${ERROR_COLOUR};">${escapeHtml(problem)}</p>`
		: '';
	return `<label for="${name}" style="display:block;margin-top:12px;font-weight:bold;">${escapeHtml(field.fieldLabel)}${field.requiredField ? ' *' : ''}</label>\n${control}${message}`;
}
