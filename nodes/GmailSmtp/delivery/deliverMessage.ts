import { setTimeout as sleep } from 'node:timers/promises';

import {
	classifySmtpError,
	enhancedStatus,
	type SmtpErrorFields,
} from '../errors/classifySmtpError';
import type { ConnectionContext } from '../errors/smtpRules/smtpRule';
import { GmailSmtpError, type Failure } from '../errors/GmailSmtpError';
import { SendAttemptError } from '../transport/deliveryProbe';
import type {
	PooledTransport,
	SendResult,
	TransportMessage,
	TransportResult,
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
	/** Waits out a backoff delay; a timer unless given (tests record the delays instead). */
	wait?: (ms: number) => Promise<unknown>;
	/** The backoff's jitter, in [0, 1); `Math.random` unless given (tests fix it). */
	random?: () => number;
}

/**
 * Sends one message, retrying only where the failure proves nothing was accepted
 * (see retryPolicy), and sending again to the recipients a server put off with "452 too many
 * recipients", in further transactions of the same message. Throws a {@link GmailSmtpError}
 * carrying the final failure.
 */
export async function deliverMessage(
	message: TransportMessage,
	environment: DeliveryEnvironment,
): Promise<SendResult> {
	const result = await deliverTo(message, undefined, environment);
	return {
		messageId: result.messageId,
		accepted: result.accepted,
		rejected: result.rejected,
		response: result.response,
		envelope: result.envelope,
	};
}

/** `recipients`: a part of the envelope, or undefined for the message's own. */
async function deliverTo(
	message: TransportMessage,
	recipients: string[] | undefined,
	environment: DeliveryEnvironment,
): Promise<TransportResult> {
	const envelope = recipients && { from: envelopeSender(message), to: recipients };
	const part = envelope ? { ...message, envelope } : message;
	const all = recipients ?? envelopeRecipients(message);
	let sent: TransportResult;
	try {
		sent = await deliverWithRetries(part, environment, all.length > 1);
	} catch (error) {
		if (!(error instanceof TooManyRecipients)) throw error;
		// Nobody was taken: try each half on its own.
		const half = Math.ceil(all.length / 2);
		const first = await deliverTo(message, all.slice(0, half), environment);
		return await deliverRest(message, all.slice(half), environment, first);
	}
	if (sent.deferred.length === 0 || sent.deferred.length >= all.length) return sent;
	return await deliverRest(message, sent.deferred, environment, sent);
}

/**
 * A further transaction of a message the server already took for some recipients. If it fails for
 * certain, its recipients are reported refused and the message as sent: failing it as a whole
 * would invite a re-run that sends it twice to the others. Only an uncertain failure (the body may
 * have reached the server) still fails the message, which then stays counted.
 */
async function deliverRest(
	message: TransportMessage,
	recipients: string[],
	environment: DeliveryEnvironment,
	taken: TransportResult,
): Promise<TransportResult> {
	try {
		return merge(taken, await deliverTo(message, recipients, environment));
	} catch (error) {
		if (!(error instanceof GmailSmtpError) || error.failure.kind === 'uncertain') throw error;
		const refused = new Set(recipients);
		return {
			...taken,
			rejected: [...taken.rejected.filter((to) => !refused.has(to)), ...recipients],
			deferred: [],
		};
	}
}

/** The server refused every recipient of a transaction with 452: fewer per transaction may go. */
class TooManyRecipients extends Error {}

async function deliverWithRetries(
	message: TransportMessage,
	environment: DeliveryEnvironment,
	splittable: boolean,
): Promise<TransportResult> {
	const { transport, connection, retry } = environment;
	const wait = environment.wait ?? sleep;
	const random = environment.random ?? Math.random;
	let delayedMs = 0;
	let staleConnections = 0;
	for (let attempt = 1; ; attempt++) {
		const ticket = await environment.gate?.begin(retry.maxTotalDelayMs - delayedMs);
		delayedMs += ticket?.waitedMs ?? 0;
		let result: TransportResult;
		try {
			result = await transport.send(message);
		} catch (error) {
			if (!(error instanceof SendAttemptError)) {
				await finish(ticket, 'failed');
				throw error;
			}
			const failure = classifySmtpError(error.cause, connection);
			await finish(ticket, pushbackOf(failure));
			if (failure.responseCode === 452 && enhancedStatusOf(error.cause) === '4.5.3') {
				if (splittable) throw new TooManyRecipients();
				throw new GmailSmtpError(recipientNotTaken(failure, message));
			}
			const failed = { failure, reached: error.reached };
			if (isUncertain(failed)) {
				throw new GmailSmtpError(uncertainDelivery(failure, error.messageId));
			}
			if (isStaleConnection(failed) && staleConnections < STALE_CONNECTIONS_FORGIVEN) {
				staleConnections++;
				attempt--;
				continue;
			}
			const delay = nextRetryDelayMs(failed, attempt, delayedMs, retry, random());
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

function merge(first: TransportResult, more: TransportResult): TransportResult {
	const acceptedLater = new Set(more.accepted);
	return {
		...first,
		accepted: [...first.accepted, ...more.accepted],
		rejected: [...first.rejected.filter((to) => !acceptedLater.has(to)), ...more.rejected],
		deferred: more.deferred,
		envelope: {
			from: first.envelope.from,
			to: [...new Set([...first.envelope.to, ...more.envelope.to])],
		},
	};
}

function enhancedStatusOf(cause: unknown): string | undefined {
	return enhancedStatus((cause as SmtpErrorFields | undefined)?.response);
}

function recipientNotTaken(failure: Failure, message: TransportMessage): Failure {
	const recipient =
		(message.envelope as { to?: string[] } | undefined)?.to?.[0] ?? envelopeRecipients(message)[0];
	return {
		...failure,
		kind: 'recipient',
		retryable: false,
		stopsAccount: false,
		title: 'Recipient not taken',
		description: `The server takes no more recipients in this message (452 4.5.3), not even ${recipient} alone, so the message was not sent to that address. Check the server's recipient limit, or send to fewer recipients per item.`,
	};
}

function envelopeSender(message: TransportMessage): string {
	return addressesOf(message.from)[0] ?? '';
}

function envelopeRecipients(message: TransportMessage): string[] {
	return [...addressesOf(message.to), ...addressesOf(message.cc), ...addressesOf(message.bcc)];
}

function addressesOf(field: unknown): string[] {
	const list = Array.isArray(field) ? field : field === undefined ? [] : [field];
	return list
		.map((entry) => (typeof entry === 'string' ? entry : (entry as { address?: string }).address))
		.filter((address): address is string => Boolean(address));
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
