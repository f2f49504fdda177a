import type {
	IBinaryKeyData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
} from 'n8n-workflow';

import type { FailureOutput } from '../../errors/failureOutput';
import { failureOf, unexpectedFailure } from '../../errors/GmailSmtpError';
import { gmailClipReport } from '../../message/gmailClipping';
import { htmlForDisplay } from '../../message/htmlPreview';
import { previewMessage } from '../../message/previewMessage';
import type { GmailSmtpCredentials } from '../../transport/gmailSmtpCredentials';
import { buildRawMessage } from '../../transport/rawMessage';
import type { ComposedMessage } from '../../message/messageDraft';
import { messageComposer } from '../shared/messageComposer';
import { gmailHints } from './gmailHints';

/**
 * Renders every message exactly as Send would and returns it, without creating a transport: no
 * connection is opened and nothing is sent.
 */
export async function execute(
	this: IExecuteFunctions,
	credentials: GmailSmtpCredentials,
	failures: FailureOutput,
): Promise<INodeExecutionData[]> {
	// No store is read: Preview shows the message and its unsubscribe link, suppressed or not.
	const composer = await messageComposer(this, credentials, undefined, {
		checkSuppressions: false,
	});
	const results: INodeExecutionData[] = [];
	const previews: ComposedMessage[] = [];
	const clipped: number[] = [];
	for (const unit of composer.units) {
		const { itemIndex, pairedItem } = unit;
		try {
			const message = await composer.compose(unit);
			const clipReport = await gmailClipReport(message.html);
			previews.push(message);
			if (clipReport.gmailClipped) clipped.push(itemIndex);
			results.push({
				json: { ...previewMessage(message), ...clipReport } as unknown as IDataObject,
				binary: await previewFiles(this, message),
				pairedItem,
			});
		} catch (error) {
			const failure = failureOf(error, unexpectedFailure);
			if (!this.continueOnFail()) throw failures.stop(failure, itemIndex);
			results.push({ json: failures.errorItem(failure), pairedItem });
		}
	}
	// n8n 1.x before execution hints existed has no addExecutionHints.
	if (typeof this.addExecutionHints === 'function') {
		this.addExecutionHints(...gmailHints(previews, clipped));
	}
	return results;
}

/**
 * The message to look at rather than read: the HTML as the recipient sees it (to open in a
 * browser, or in n8n's File Preview), and the whole message as sent, to open in a mail program.
 */
async function previewFiles(
	context: IExecuteFunctions,
	message: ComposedMessage,
): Promise<IBinaryKeyData> {
	const files: IBinaryKeyData = {
		eml: await context.helpers.prepareBinaryData(
			await buildRawMessage(message),
			'message.eml',
			'message/rfc822',
		),
	};
	if (message.html) {
		files.html = await context.helpers.prepareBinaryData(
			Buffer.from(htmlForDisplay(message), 'utf8'),
			'message.html',
			'text/html',
		);
	}
	return files;
}
