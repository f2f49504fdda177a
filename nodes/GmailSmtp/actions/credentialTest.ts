import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { CREDENTIAL_DEFAULTS } from '../defaults';
import { accountGuardFor } from '../delivery/account/accountGuards';
import { classifySmtpError } from '../errors/classifySmtpError';
import { credentialSecrets, publicFailure } from '../errors/nodeErrors';
import {
	readGmailSmtpCredentials,
	type GmailSmtpCredentials,
} from '../transport/gmailSmtpCredentials';
import { verifyLogin } from '../transport/smtpTransport';

/** The credential's Test button: connect, negotiate TLS, log in, and say what is wrong if not. */
export async function gmailSmtpConnectionTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	let credentials: GmailSmtpCredentials | undefined;
	try {
		credentials = readGmailSmtpCredentials(data);
		await verifyLogin(credentials);
		const limitsKeptIn = await accountGuardFor(credentials).check();
		return {
			status: 'OK',
			message: `Connected to ${credentials.host}:${credentials.port} with ${credentials.security === 'tls' ? 'TLS' : 'STARTTLS'} and logged in as ${credentials.user}; the account's limits are kept in ${limitsKeptIn}`,
		};
	} catch (error) {
		const failure = publicFailure(
			classifySmtpError(error, credentials ?? CREDENTIAL_DEFAULTS),
			credentialSecrets({
				user: String(data.user ?? '').trim(),
				appPassword: String(data.appPassword ?? ''),
				redisUrl: String(data.redisUrl ?? ''),
			}),
		);
		return { status: 'Error', message: `${failure.title}. ${failure.description}` };
	}
}
