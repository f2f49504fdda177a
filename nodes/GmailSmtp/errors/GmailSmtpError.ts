/**
 * What went wrong, in the terms the node reports to the user. `kind` groups failures that call for
 * the same reaction (fix the credential, retry later, fix the item, ...).
 */
export type FailureKind =
	| 'auth'
	| 'config'
	| 'throttled'
	| 'transient'
	| 'quota'
	| 'message'
	| 'recipient'
	| 'network'
	| 'input'
	| 'uncertain'
	| 'unknown';

export interface Failure {
	kind: FailureKind;
	/** Sending again later could succeed; nothing about the message itself is wrong. */
	retryable: boolean;
	/** Every further message through this account would fail the same way (or make things worse). */
	stopsAccount: boolean;
	title: string;
	description: string;
	code?: string;
	responseCode?: number;
	/** Set when the message may have reached the server, so the user can look for it. */
	messageId?: string;
	/** How many times the message was tried, when more than once. */
	attempts?: number;
}

/** A failure that already carries its user-facing title and fix. Pure modules throw this. */
export class GmailSmtpError extends Error {
	readonly failure: Failure;

	constructor(failure: Failure) {
		super(failure.title);
		this.name = 'GmailSmtpError';
		this.failure = failure;
	}
}

/** Bad input in one item or in the node's settings: the item fails, the account is fine. */
export function inputError(title: string, description: string): GmailSmtpError {
	return new GmailSmtpError({
		kind: 'input',
		retryable: false,
		stopsAccount: false,
		title,
		description,
	});
}

/** Credential settings that can never work: no message is attempted. */
export function configError(title: string, description: string): GmailSmtpError {
	return new GmailSmtpError({
		kind: 'config',
		retryable: false,
		stopsAccount: true,
		title,
		description,
	});
}

/**
 * The failure behind any error: our own errors carry theirs; anything else is read by `classify`,
 * the classifier of the protocol the error came from (SMTP, IMAP), or is {@link unexpectedFailure}.
 */
export function failureOf(error: unknown, classify: (error: unknown) => Failure): Failure {
	return error instanceof GmailSmtpError ? error.failure : classify(error);
}

/** An error no classifier knows (a bug, or a library failing in a new way): said as it is. */
export function unexpectedFailure(error: unknown): Failure {
	return {
		kind: 'unknown',
		retryable: false,
		stopsAccount: false,
		title: 'Unexpected error',
		description: error instanceof Error ? error.message : String(error),
	};
}
