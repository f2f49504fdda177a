import { NodeOperationError, type IDataObject, type INode } from 'n8n-workflow';

import type { Failure } from './GmailSmtpError';
import { redactSecrets } from './redactSecrets';

/** Where the secrets come from: a credential as read, or as n8n hands it over (any field may be off). */
export interface SecretSource {
	user?: unknown;
	appPassword?: unknown;
	redisUrl?: unknown;
	linkSecret?: unknown;
}

/**
 * The one way out for a failure: every text that leaves the node (output items, thrown errors and
 * their descriptions, the credential Test message) is redacted and shaped here. Failures inside the
 * node keep their text as it is; nothing else builds a user-facing error from one.
 */
export interface FailureOutput {
	/** The `error` field of an output item under Continue On Fail. */
	errorItem(failure: Failure): IDataObject;
	/** The error that stops the node; `extraDescription` adds what the run as a whole did. */
	stop(failure: Failure, itemIndex: number, extraDescription?: string): NodeOperationError;
}

export function failureOutput(node: INode, credentials: SecretSource): FailureOutput {
	const redact = secretRedactor(credentials);
	return {
		errorItem(failure) {
			const shown = publicFailure(failure, redact);
			const error: IDataObject = {
				message: shown.title,
				description: shown.description,
				kind: shown.kind,
			};
			if (shown.code !== undefined) error.code = shown.code;
			if (shown.responseCode !== undefined) error.responseCode = shown.responseCode;
			if (shown.messageId !== undefined) error.messageId = shown.messageId;
			if (shown.attempts !== undefined) error.attempts = shown.attempts;
			return { error };
		},
		// Built from the failure only: the original error (a library's message, stack and fields,
		// not ours to vet for secrets) is not attached.
		stop(failure, itemIndex, extraDescription = '') {
			const shown = publicFailure(failure, redact);
			return new NodeOperationError(node, shown.title, {
				description: [shown.description, redact(extraDescription)].filter(Boolean).join('\n'),
				itemIndex,
			});
		},
	};
}

/** The credential Test's message: a node is not at hand there, the same redaction is. */
export function credentialTestMessage(failure: Failure, credentials: SecretSource): string {
	const shown = publicFailure(failure, secretRedactor(credentials));
	return `${shown.title}. ${shown.description}`;
}

function publicFailure(failure: Failure, redact: (text: string) => string): Failure {
	return { ...failure, title: redact(failure.title), description: redact(failure.description) };
}

/** The App Password, and the password of a Redis URL, never leave the node in any text. */
function secretRedactor(credentials: SecretSource): (text: string) => string {
	const text = (value: unknown) => (typeof value === 'string' ? value : '');
	const passwords = [text(credentials.appPassword), text(credentials.linkSecret)];
	try {
		const redisPassword = decodeURIComponent(new URL(text(credentials.redisUrl)).password);
		if (redisPassword) passwords.push(redisPassword);
	} catch {
		// No Redis URL, or one that is refused with its own error before it is used.
	}
	const user = text(credentials.user).trim();
	return (value) => redactSecrets(value, passwords, user);
}
