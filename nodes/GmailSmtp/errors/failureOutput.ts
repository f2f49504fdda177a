import { NodeOperationError, type IDataObject, type INode } from 'n8n-workflow';

import type { Failure } from './GmailSmtpError';
import { secretRedactor as redactorFor } from './redactSecrets';

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

/** The failure each error built by {@link FailureOutput.stop} stands for. */
const stopped = new WeakMap<object, Failure>();

/**
 * An error that already left through a {@link FailureOutput}, with its failure (the router passes
 * it on, or turns it into error items under Continue On Fail), if it is one.
 */
export function shapedStop(
	error: unknown,
): { stop: NodeOperationError; failure: Failure } | undefined {
	const failure = error instanceof NodeOperationError ? stopped.get(error) : undefined;
	return failure && { stop: error as NodeOperationError, failure };
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
			const error = new NodeOperationError(node, shown.title, {
				description: [shown.description, redact(extraDescription)].filter(Boolean).join('\n'),
				itemIndex,
			});
			stopped.set(error, failure);
			return error;
		},
	};
}

/** The credential Test's message: a node is not at hand there, the same redaction is. */
export function credentialTestMessage(failure: Failure, credentials: SecretSource): string {
	const shown = publicFailure(failure, secretRedactor(credentials));
	return `${shown.title}. ${shown.description}`;
}

/** What the user can do about an error the node has no explanation for. */
const UNKNOWN_ERROR_FIX =
	'The node has no explanation for this error. If it happens again, report it with the node settings (never the App Password) at https://github.com/n8n-nodes-gmail-smtp/n8n-nodes-gmail-smtp/issues.';

function publicFailure(failure: Failure, redact: (text: string) => string): Failure {
	const description =
		failure.kind === 'unknown'
			? `${failure.description.replace(/(?<![.!?])\s*$/, '.')} ${UNKNOWN_ERROR_FIX}`
			: failure.description;
	return { ...failure, title: redact(failure.title), description: redact(description) };
}

/** The App Password, and the password of a Redis URL, never leave the node in any text. */
function secretRedactor(credentials: SecretSource): (text: string) => string {
	const text = (value: unknown) => (typeof value === 'string' ? value : '');
	const passwords = [
		text(credentials.appPassword),
		text(credentials.linkSecret),
		...redisUrlSecrets(text(credentials.redisUrl)),
	];
	const user = text(credentials.user).trim();
	return redactorFor(passwords, user);
}

/**
 * The password of a Redis URL as written and decoded: also from a URL that does not parse or
 * whose %-escapes are broken (refused with its own error, whose text must not show it either).
 */
function redisUrlSecrets(url: string): string[] {
	const userInfo = /^[a-z]+:\/\/([^@/?#]*)@/i.exec(url.trim())?.[1];
	if (!userInfo) return [];
	const written = userInfo.slice(userInfo.indexOf(':') + 1);
	const secrets = [written];
	try {
		secrets.push(decodeURIComponent(written));
	} catch {
		// A broken escape: only the written form can appear.
	}
	return secrets.filter(Boolean);
}
