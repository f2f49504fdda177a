import { setTimeout as sleep } from 'node:timers/promises';

import { classifySmtpError, type ConnectionContext } from '../errors/classifySmtpError';
import { GmailSmtpError, type Failure } from '../errors/GmailSmtpError';
import {
	SendAttemptError,
	type OutgoingMessage,
	type PooledTransport,
	type SendResult,
} from '../transport/smtpTransport';
import type { AttemptGate, AttemptTicket } from './account/accountGuard';
import type { AttemptOutcome } from './account/limitStore';
import {
	isStaleConnection,
	isUncertain,
	nextRetryDelayMs,
	type RetrySettings,
} from './retryPolicy';

/** Stale pooled connections found per message before they count as failed attempts. */
const STALE_CONNECTIONS_FORGIVEN = 5;

export interface DeliveryEnvironment {
	transport: PooledTransport;
	connection: ConnectionContext;
	retry: RetrySettings;
	/** Lets every attempt, retries included, reach the server within the account's budget. */
	gate?: AttemptGate;
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
	let staleConnections = 0;
	for (let attempt = 1; ; attempt++) {
		const ticket = await environment.gate?.begin(retry.maxTotalDelayMs - delayedMs);
		delayedMs += ticket?.waitedMs ?? 0;
		let result: SendResult;
		try {
			result = await transport.send(message);
		} catch (error) {
			if (!(error instanceof SendAttemptError)) {
				await finish(ticket, 'failed');
				throw error;
			}
			const failure = classifySmtpError(error.cause, connection);
			await finish(ticket, pushbackOf(failure));
			const outcome = { failure, reached: error.reached };
			if (isUncertain(outcome)) {
				throw new GmailSmtpError(uncertainDelivery(failure, error.messageId));
			}
			if (isStaleConnection(outcome) && staleConnections < STALE_CONNECTIONS_FORGIVEN) {
				staleConnections++;
				attempt--;
				continue;
			}
			const delay = nextRetryDelayMs(outcome, attempt, delayedMs, retry, random());
			if (delay === undefined) {
				throw new GmailSmtpError(attempt > 1 ? { ...failure, attempts: attempt } : failure);
			}
			delayedMs += delay;
			await wait(delay);
			continue;
		}
		await finish(ticket, 'accepted');
		return result;
	}
}

/** Gmail pushing back on the account as a whole, as opposed to one message failing. */
export function pushbackOf(failure: Failure): AttemptOutcome {
	if (failure.responseCode === 421 || failure.responseCode === 454) return 'throttled';
	if (failure.kind === 'quota' && failure.responseCode === 550) return 'exhausted';
	return 'failed';
}

/** The outcome is recorded for the account; a store that fails here fails the next attempt. */
async function finish(ticket: AttemptTicket | undefined, outcome: AttemptOutcome): Promise<void> {
	await ticket?.finish(outcome).catch(() => undefined);
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
