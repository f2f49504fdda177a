import { connectTimeoutMs } from '../defaults';
import { classifySmtpError } from '../errors/classifySmtpError';
import { failureOf, GmailSmtpError, type Failure } from '../errors/GmailSmtpError';
import type { ComposedMessage } from '../message/messageDraft';
import type { GmailSmtpCredentials } from '../transport/gmailSmtpCredentials';
import { leaseTransport } from '../transport/sharedTransports';
import { POOL_DEFAULTS, type SendResult } from '../transport/smtpTransport';
import { accountGuardFor } from './account/guardRegistry';
import { deliverMessage } from './deliverMessage';
import { RETRY_DEFAULTS, type RetrySettings } from './retryPolicy';

/** What one node may set for its own messages (options saved by any version). */
export interface SessionOptions {
	maxConnections?: number;
	maxPerSecond?: number;
	connectTimeoutSeconds?: number;
	maxAttempts?: number;
	maxRetryWaitSeconds?: number;
	/** Told what the user should know about the account's limit store (once per session). */
	onNotice?: (message: string) => void;
}

/**
 * One execution's sending through the account: the shared pooled transport, the account's budget
 * (daily ledger, connections, rate) and its failures. `send` throws a {@link GmailSmtpError}.
 */
export interface AccountSession {
	/** How many messages this node may have in flight at once. */
	concurrency: number;
	/** Throws the failure that stopped the account for this run (bad login, daily limit, ...), if any. */
	assertOpen(): void;
	send(message: ComposedMessage): Promise<SendResult>;
	close(): void;
	/** What the user should know about the account's limit store, if anything. */
	notice?(): Promise<string | undefined>;
}

export function openAccountSession(
	credentials: GmailSmtpCredentials,
	options: SessionOptions,
): AccountSession {
	const guard = accountGuardFor(credentials);
	const lease = leaseTransport(
		credentials,
		{
			...POOL_DEFAULTS,
			maxConnections: credentials.maxConnections,
			connectTimeoutMs: connectTimeoutMs(options.connectTimeoutSeconds),
		},
		() => guard.connectionPermits(),
	);
	const attempts = guard.attemptGate(
		lease.gate,
		ownRateCap(options.maxPerSecond, credentials.maxPerSecond),
	);
	const retry = retrySettings(options);
	// Set when a failure means every later message would fail too (bad login, unreachable host,
	// daily limit): the remaining messages fail at once instead of hammering Gmail.
	let accountFailure: Failure | undefined;
	const assertOpen = () => {
		if (accountFailure) throw new GmailSmtpError(accountFailure);
	};

	return {
		// Node options may only lower the account's budget, and only for this node's messages.
		concurrency: lowerOnly(options.maxConnections, credentials.maxConnections),
		assertOpen,
		async send(message) {
			// Its first attempt counts the message in the account's daily ledger.
			const gate = attempts.forMessage({
				id: message.messageId,
				recipients: message.to.length + message.cc.length + message.bcc.length,
			});
			try {
				assertOpen();
				return await deliverMessage(message, {
					transport: lease.transport,
					connection: credentials,
					retry,
					gate,
				});
			} catch (error) {
				const failure = failureOf(error, (other) => classifySmtpError(other, credentials));
				// A message that may have been accepted still counts against the daily limit.
				if (failure.kind !== 'uncertain') await gate.releaseDaily().catch(() => undefined);
				if (failure.stopsAccount) accountFailure ??= failure;
				throw new GmailSmtpError(failure);
			}
		},
		close: () => lease.release(),
		notice: async () => await guard.store.notice?.().catch(() => undefined),
	};
}

/** Runs `use` with a session on the account, closed (its pool lease given back) however it ends. */
export async function withAccountSession<T>(
	credentials: GmailSmtpCredentials,
	options: SessionOptions,
	use: (session: AccountSession) => Promise<T>,
): Promise<T> {
	const session = openAccountSession(credentials, options);
	try {
		return await use(session);
	} finally {
		session.close();
		const notice = await session.notice?.();
		if (notice) options.onNotice?.(notice);
	}
}

/** A node option (saved by any version) narrows the account's value, never widens it. */
function lowerOnly(option: number | undefined, account: number): number {
	return option !== undefined && option >= 1 ? Math.min(Math.floor(option), account) : account;
}

/** A node's own rate cap, when it is below the account's (0 = no cap of its own). */
function ownRateCap(option: number | undefined, account: number): number {
	if (option === undefined || !(option > 0)) return 0;
	return account > 0 && option >= account ? 0 : option;
}

function retrySettings(options: SessionOptions): RetrySettings {
	return {
		...RETRY_DEFAULTS,
		maxAttempts: Math.max(1, Math.floor(options.maxAttempts ?? RETRY_DEFAULTS.maxAttempts)),
		maxTotalDelayMs:
			options.maxRetryWaitSeconds !== undefined
				? Math.max(0, options.maxRetryWaitSeconds) * 1000
				: RETRY_DEFAULTS.maxTotalDelayMs,
	};
}
