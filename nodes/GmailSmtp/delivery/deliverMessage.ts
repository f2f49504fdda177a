import { setTimeout as sleep } from 'node:timers/promises';

import { classifySmtpError, type ConnectionContext } from '../errors/classifySmtpError';
import { GmailSmtpError, type Failure } from '../errors/GmailSmtpError';
import {
	SendAttemptError,
	type OutgoingMessage,
	type PooledTransport,
	type SendResult,
} from '../transport/smtpTransport';
import { isUncertain, nextRetryDelayMs, type RetrySettings } from './retryPolicy';

export interface DeliveryEnvironment {
	transport: PooledTransport;
	connection: ConnectionContext;
	retry: RetrySettings;
	/** Awaited before every attempt, retries included (the account's rate limit). */
	beforeAttempt?: () => Promise<unknown>;
	wait?: (ms: number) => Promise<unknown>;
	random?: () => number;
}

/**
 * Sends one message, retrying only where the failure proves nothing was accepted
 * (see retryPolicy). Throws a {@link GmailSmtpError} carrying the final failure.
 */
export async function deliverMessage(
	message: OutgoingMessage,
	environment: DeliveryEnvironment,
): Promise<SendResult> {
	const { transport, connection, retry } = environment;
	const wait = environment.wait ?? sleep;
	const random = environment.random ?? Math.random;
	let delayedMs = 0;
	for (let attempt = 1; ; attempt++) {
		await environment.beforeAttempt?.();
		try {
			return await transport.send(message);
		} catch (error) {
			if (!(error instanceof SendAttemptError)) throw error;
			const failure = classifySmtpError(error.cause, connection);
			const outcome = { failure, envelopeStarted: error.envelopeStarted };
			if (isUncertain(outcome)) {
				throw new GmailSmtpError(uncertainDelivery(failure, error.messageId));
			}
			const delay = nextRetryDelayMs(outcome, attempt, delayedMs, retry, random());
			if (delay === undefined) {
				throw new GmailSmtpError(attempt > 1 ? { ...failure, attempts: attempt } : failure);
			}
			delayedMs += delay;
			await wait(delay);
		}
	}
}

function uncertainDelivery(failure: Failure, messageId: string): Failure {
	return {
		...failure,
		kind: 'uncertain',
		retryable: false,
		stopsAccount: false,
		title: 'Delivery uncertain',
		description: `The connection broke while the message was being sent, so the server may or may not have accepted it. It was not sent again, to avoid a duplicate: look for Message-ID ${messageId} in the Sent folder before re-running this item. (${failure.title})`,
		messageId,
	};
}
