import type { NodeExecutionHint } from 'n8n-workflow';

import {
	GMAIL_CLIP_BYTES,
	GMAIL_STYLE_BYTES,
	kilobytes,
	styleBytes,
} from '../../message/gmailClipping';
import type { ComposedMessage } from '../../message/messageDraft';

/**
 * What Gmail will do to these messages, said above Preview's output: clipped messages (by item),
 * and styles beyond what Gmail keeps.
 */
export function gmailHints(
	messages: ComposedMessage[],
	clippedItems: number[],
): NodeExecutionHint[] {
	const hints: NodeExecutionHint[] = [];
	if (clippedItems.length > 0) {
		const items = clippedItems.slice(0, 10).join(', ');
		const more = clippedItems.length > 10 ? ` and ${clippedItems.length - 10} more` : '';
		hints.push({
			type: 'warning',
			location: 'outputPane',
			message: `Gmail would clip ${clippedItems.length} of ${messages.length} message(s) (item ${items}${more}): their HTML is over ${kilobytes(GMAIL_CLIP_BYTES)} as sent, so Gmail shows "[Message clipped]" and hides the rest, including the unsubscribe link. See htmlBytes; shorten the template, or set When Gmail Would Clip to "Fail the Item" to stop such messages in Send.`,
		});
	}
	const largestStyles = Math.max(0, ...messages.map((message) => styleBytes(message.html ?? '')));
	if (largestStyles > GMAIL_STYLE_BYTES) {
		hints.push({
			type: 'warning',
			location: 'outputPane',
			message: `The HTML has ${kilobytes(largestStyles)} of <style>; Gmail keeps only the first ${kilobytes(GMAIL_STYLE_BYTES)} and drops the rules after it (media queries included when they come last). Remove unused rules or move media queries first.`,
		});
	}
	return hints;
}
