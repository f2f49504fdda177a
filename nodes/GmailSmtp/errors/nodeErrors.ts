import { NodeOperationError, type IDataObject, type INode } from 'n8n-workflow';

import type { Failure } from './GmailSmtpError';
import { redactSecrets } from './redactSecrets';

/** The secrets of a credential: its passwords, and the login they travel with. */
export interface CredentialSecrets {
	user: string;
	passwords: readonly string[];
}

/** The App Password, and the password of a Redis URL, never leave the node in any text. */
export function credentialSecrets(credentials: {
	user: string;
	appPassword: string;
	redisUrl?: string;
}): CredentialSecrets {
	const passwords = [credentials.appPassword];
	try {
		const redisPassword = decodeURIComponent(new URL(credentials.redisUrl ?? '').password);
		if (redisPassword) passwords.push(redisPassword);
	} catch {
		// No Redis URL, or one that is refused with its own error before it is used.
	}
	return { user: credentials.user, passwords };
}

/** Failure with every secret removed: this is all that leaves the node. */
export function publicFailure(failure: Failure, secrets: CredentialSecrets): Failure {
	const redact = (text: string) => redactSecrets(text, secrets.passwords, secrets.user);
	return { ...failure, title: redact(failure.title), description: redact(failure.description) };
}

/** The `error` field of an output item under Continue On Fail. */
export function errorItemJson(failure: Failure): IDataObject {
	const error: IDataObject = {
		message: failure.title,
		description: failure.description,
		kind: failure.kind,
	};
	if (failure.code !== undefined) error.code = failure.code;
	if (failure.responseCode !== undefined) error.responseCode = failure.responseCode;
	if (failure.messageId !== undefined) error.messageId = failure.messageId;
	if (failure.attempts !== undefined) error.attempts = failure.attempts;
	return { error };
}

/**
 * The error that stops the node. Built from the classified failure only: nodemailer's original
 * error is not attached, as its message, stack and fields are not ours to vet for secrets.
 */
export function nodeOperationError(
	node: INode,
	failure: Failure,
	itemIndex: number,
	extraDescription = '',
): NodeOperationError {
	return new NodeOperationError(node, failure.title, {
		description: [failure.description, extraDescription].filter(Boolean).join('\n'),
		itemIndex,
	});
}
