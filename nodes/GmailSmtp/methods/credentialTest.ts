import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { CREDENTIAL_DEFAULTS } from '../defaults';
import { accountGuardFor } from '../delivery/account/guardRegistry';
import { classifySmtpError } from '../errors/classifySmtpError';
import { credentialTestMessage } from '../errors/failureOutput';
import { failureOf } from '../errors/GmailSmtpError';
import {
	readGmailSmtpCredentials,
	type GmailSmtpCredentials,
} from '../transport/gmailSmtpCredentials';
import { verifyLogin } from '../transport/smtpConnection';

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
		// Before the credential is read, only our own errors (its fields refused) can arise.
		const failure = failureOf(error, (other) =>
			classifySmtpError(other, credentials ?? CREDENTIAL_DEFAULTS),
		);
		return { status: 'Error', message: credentialTestMessage(failure, data) };
	}
}
