import { setTimeout as sleep } from 'node:timers/promises';

import { MINUTE_MS } from '../../durations';
import { GmailSmtpError } from '../../errors/GmailSmtpError';
import type { ConnectionGate } from '../../transport/smtpConnection';
import { uniqueTag } from '../processTag';
import type { HeldConnections, LimitStore } from './limitStore';

/** How long a message waits for one of the account's connections before it fails. */
export const CONNECTION_WAIT_MS = 5 * MINUTE_MS;
const POLL_MS = 250;

/**
 * One pool's share of its account's connection slots. Each open connection holds a slot in the
 * store; an attempt starts only when the pool has a connection free for it, or has taken a further
 * slot for the connection nodemailer is about to open. An attempt that waits for a connection
 * therefore never holds a rate slot, so pools and processes cannot block each other; a pool that
 * goes idle closes its connections and so gives its slots back.
 */
export class ConnectionPermits implements ConnectionGate {
	/** Slots held: connections open or opening, plus slots taken for a connection not yet opened. */
	private readonly holders = new Set<string>();
	private readonly parked: string[] = [];
	/** How to close the open connection that holds a slot. */
	private readonly sockets = new Map<string, () => void>();
	/** Slots lost while their connection was still opening: closed as soon as it opens. */
	private readonly doomed = new Set<string>();
	private inFlight = 0;
	private taking?: Promise<void>;
	private fencing?: Promise<void>;
	private waiters: Array<() => void> = [];

	constructor(
		private readonly store: LimitStore,
		private readonly account: string,
		private readonly maxConnections: () => number,
	) {}

	/** Waits until an attempt may start; the returned function ends it. */
	async acquire(): Promise<() => void> {
		const deadline = Date.now() + CONNECTION_WAIT_MS;
		for (;;) {
			if (this.fencing) {
				await this.fencing;
				continue;
			}
			if (this.inFlight < this.holders.size) {
				this.inFlight++;
				return once(() => this.releasePermit());
			}
			const changed = this.nextChange();
			if (this.holders.size < this.maxConnections()) {
				this.taking ??= this.takeSlot(deadline).finally(() => (this.taking = undefined));
				await Promise.race([this.taking, changed]);
			} else {
				await Promise.race([changed, sleep(POLL_MS)]);
				if (Date.now() > deadline) throw this.noFreeConnection();
			}
		}
	}

	/** The slots to confirm in the store before an attempt may use one of this pool's connections. */
	held(): HeldConnections {
		return { holders: [...this.holders], max: this.maxConnections() };
	}

	/**
	 * Another process took these slots while this one was paused past their lease: their
	 * connections are closed, once the attempts already on the wire (which started while the slots
	 * were still ours) have ended, and no attempt starts until then. The caller holds no permit.
	 */
	async fence(lost: string[]): Promise<void> {
		this.fencing ??= this.closeLost(lost).finally(() => (this.fencing = undefined));
		await this.fencing;
	}

	/**
	 * nodemailer opens a connection: it uses a slot taken for it, or waits for one.
	 *
	 * A slot parked while the connection waits is for this connection too, so every turn looks
	 * there first. This was the 60 s stall of bench/RESULTS.md: nodemailer retires a connection
	 * after maxMessages and opens the replacement for the next message at once, while the retired
	 * socket still holds the slot, so the replacement was refused by the store and waited for it.
	 * When that socket closed, a message waiting in `acquire` took the freed slot and parked it
	 * for "the connection about to open", which was the waiting one; but it only asked the store.
	 * Parked slots go back only when no attempt is in flight, and its own message was, so nothing
	 * moved until an idle connection's socket timeout gave a slot back.
	 */
	async opening(): Promise<string> {
		const deadline = Date.now() + CONNECTION_WAIT_MS;
		const holderId = uniqueTag();
		for (;;) {
			const parked = this.parked.pop();
			if (parked) return parked;
			const changed = this.nextChange();
			const decision = await this.store.acquireConnection(
				this.account,
				holderId,
				this.maxConnections(),
			);
			if (decision.granted) {
				this.holders.add(holderId);
				return holderId;
			}
			if (Date.now() > deadline) throw this.noFreeConnection();
			await Promise.race([changed, sleep(Math.min(decision.retryInMs, POLL_MS))]);
		}
	}

	opened(holderId: string, close: () => void): void {
		if (this.doomed.delete(holderId)) return close();
		if (this.holders.has(holderId)) this.sockets.set(holderId, close);
	}

	closed(holderId: string): void {
		this.holders.delete(holderId);
		this.sockets.delete(holderId);
		this.notify();
		this.store.releaseConnection(this.account, holderId).catch(() => undefined);
	}

	private async closeLost(lost: string[]): Promise<void> {
		while (this.inFlight > 0) await this.nextChange();
		for (const holderId of lost) {
			const parkedAt = this.parked.indexOf(holderId);
			const close = this.sockets.get(holderId);
			if (parkedAt >= 0) {
				this.parked.splice(parkedAt, 1);
				this.closed(holderId);
			} else if (close) {
				close();
			} else if (this.holders.has(holderId)) {
				this.doomed.add(holderId);
			}
		}
		// A closed connection gives its slot back when its socket has closed.
		while (lost.some((holderId) => this.sockets.has(holderId))) await this.nextChange();
	}

	private async takeSlot(deadline: number): Promise<void> {
		const holderId = uniqueTag();
		await this.waitForSlot(holderId, deadline);
		this.holders.add(holderId);
		this.parked.push(holderId);
		this.notify();
	}

	private async waitForSlot(holderId: string, deadline: number): Promise<void> {
		for (;;) {
			const decision = await this.store.acquireConnection(
				this.account,
				holderId,
				this.maxConnections(),
			);
			if (decision.granted) return;
			if (Date.now() > deadline) throw this.noFreeConnection();
			await sleep(Math.min(decision.retryInMs, POLL_MS));
		}
	}

	private releasePermit(): void {
		this.inFlight--;
		if (this.inFlight === 0) {
			// Slots taken for connections that were never needed go back to other processes.
			for (const holderId of this.parked.splice(0)) this.closed(holderId);
		}
		this.notify();
	}

	private nextChange(): Promise<void> {
		return new Promise((resolve) => this.waiters.push(resolve));
	}

	private notify(): void {
		const waiters = this.waiters;
		this.waiters = [];
		for (const wake of waiters) wake();
	}

	private noFreeConnection(): GmailSmtpError {
		return new GmailSmtpError({
			kind: 'transient',
			retryable: false,
			stopsAccount: true,
			title: 'No free connection for this account',
			description: `All ${this.maxConnections()} connections of ${this.account} (the credential's Max Connections) stayed busy for ${CONNECTION_WAIT_MS / MINUTE_MS} minutes, held by other executions or n8n workers. This item was not sent; re-run it when they are done.`,
		});
	}
}

function once(action: () => void): () => void {
	let done = false;
	return () => {
		if (done) return;
		done = true;
		action();
	};
}
