import type {
	IBinaryKeyData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
} from 'n8n-workflow';

import { classifySmtpError, type ConnectionContext } from '../../errors/classifySmtpError';
import {
	credentialSecrets,
	errorItemJson,
	nodeOperationError,
	publicFailure,
} from '../../errors/nodeErrors';
import { withPlainTextAlternative } from '../../message/plainTextAlternative';
import { previewMessage } from '../../message/previewMessage';
import type { GmailSmtpCredentials } from '../../transport/gmailSmtpCredentials';
import { itemParameterReader } from '../send/itemParameters';
import { messageUnits } from '../send/messageUnits';
import { htmlForDisplay } from '../../message/htmlPreview';
import { buildRawMessage } from '../../transport/rawMessage';
import { composeMessage, renderScope, type ComposedMessage } from '../send/send.operation';
import { prepareTemplates } from '../send/templateSetup';

/**
 * The message to look at rather than read: the HTML as the recipient sees it (to open in a
 * browser, or in n8n's File Preview), and the whole message as sent, to open in a mail program.
 */
async function previewFiles(
	context: IExecuteFunctions,
	draft: ComposedMessage,
): Promise<IBinaryKeyData> {
	const files: IBinaryKeyData = {
		eml: await context.helpers.prepareBinaryData(
			await buildRawMessage(draft),
			'message.eml',
			'message/rfc822',
		),
	};
	if (draft.html) {
		files.html = await context.helpers.prepareBinaryData(
			Buffer.from(htmlForDisplay(draft), 'utf8'),
			'message.html',
			'text/html',
		);
	}
	return files;
}

/**
 * Renders every message exactly as Send would and returns it, without creating a transport: no
 * connection is opened and nothing is sent.
 */
export async function execute(
	this: IExecuteFunctions,
	credentials: GmailSmtpCredentials,
): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const secrets = credentialSecrets(credentials);
	const connection: ConnectionContext = credentials;

	const parameters = itemParameterReader(this);
	const templates = prepareTemplates(this, parameters, connection);

	const results: INodeExecutionData[] = [];
	for (const { itemIndex, pairedItem, templateContext } of messageUnits(this, items)) {
		try {
			const rendered = withPlainTextAlternative(
				templates.render(templateContext(), renderScope(parameters, itemIndex)),
			);
			const draft = await composeMessage(this, parameters, itemIndex, rendered, credentials);
			results.push({
				json: previewMessage(draft) as unknown as IDataObject,
				binary: await previewFiles(this, draft),
				pairedItem,
			});
		} catch (error) {
			const failure = publicFailure(classifySmtpError(error, connection), secrets);
			if (!this.continueOnFail()) throw nodeOperationError(this.getNode(), failure, itemIndex);
			results.push({ json: errorItemJson(failure), pairedItem });
		}
	}
	return results;
}
