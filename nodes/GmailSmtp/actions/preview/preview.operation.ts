import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

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
import { composeMessage } from '../send/send.operation';
import { prepareTemplates } from '../send/templateSetup';

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
	const { templates, renderer } = prepareTemplates(this, parameters, connection);

	const results: INodeExecutionData[] = [];
	for (const { itemIndex, pairedItem, templateContext } of messageUnits(this, items)) {
		try {
			const rendered = withPlainTextAlternative(renderer.render(templates, templateContext()));
			const draft = await composeMessage(this, parameters, itemIndex, rendered, credentials);
			results.push({ json: previewMessage(draft) as unknown as IDataObject, pairedItem });
		} catch (error) {
			const failure = publicFailure(classifySmtpError(error, connection), secrets);
			if (!this.continueOnFail()) throw nodeOperationError(this.getNode(), failure, itemIndex);
			results.push({ json: errorItemJson(failure), pairedItem });
		}
	}
	return results;
}
