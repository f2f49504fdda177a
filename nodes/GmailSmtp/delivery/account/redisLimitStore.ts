import type Redis from 'ioredis';

import { configError } from '../../errors/GmailSmtpError';
import { DAY_MS } from '../../durations';
import type {
	AttemptDecision,
	AttemptOutcome,
	DailyDecision,
	DailyLimits,
	DailyRefusal,
	DailyRequest,
	HeldConnections,
	LedgerEntry,
	LimitStore,
	RateWindow,
	SlotDecision,
} from './limitStore';
import { closeRedisClient, scriptClient, type ScriptClient, type ScriptReply } from './redisClient';
import { persistenceNotice, redisPersistence, type Persistence } from './redisPersistence';
import { accountKeyBase, type RedisSettings } from './redisSettings';

/** A connection slot or an attempt in flight is freed this long after its holder stops renewing. */
export const LEASE_MS = 30_000;

/**
 * The store for n8n in queue mode: every main and worker keeps one account's ledger, push-back,
 * rate window and connection slots in the same Redis, changed by atomic scripts. If Redis cannot
 * be reached, every call fails: the node stops sending rather than count on its own and overshoot.
 */
export class RedisLimitStore implements LimitStore {
	private readonly client: ScriptClient;
	/** What this process holds, per account: renewed until released, or freed by expiry if it dies. */
	private readonly held = new Map<string, { connections: Set<string>; attempts: Set<string> }>();
	private renewTimer?: NodeJS.Timeout;
	/**
	 * Attempts whose success or plain failure changes nothing in Redis: they hold no rate slot, and
	 * when they started no push-back streak was running that a success would end. Their finish
	 * costs no round trip, which is most attempts when Max Messages per Second is 0.
	 */
	private readonly quietAttempts = new Set<string>();
	/** Whether Redis keeps its data across a restart, checked once per connection. */
	private persistence?: Promise<Persistence>;

	constructor(
		private readonly settings: RedisSettings,
		private readonly leaseMs = LEASE_MS,
	) {
		// A Redis that comes back may have come back with other settings (or restarted empty).
		this.client = scriptClient(settings, () => (this.persistence = undefined));
	}

	get location(): string {
		return this.settings.label;
	}

	async notice(): Promise<string | undefined> {
		this.persistence ??= redisPersistence(this.client as unknown as Redis);
		return persistenceNotice(this.settings.label, await this.persistence);
	}

	async reserveDaily(
		account: string,
		entry: LedgerEntry,
		limits: DailyLimits,
	): Promise<DailyDecision> {
		const keys = this.keys(account);
		const reply = await this.call(() =>
			this.client.reserveDaily(
				keys.ledger,
				keys.recipients,
				keys.pushback,
				ledgerMember(entry),
				entry.recipients,
				limits.messages,
				limits.recipients,
				DAY_MS,
			),
		);
		switch (reply[0]) {
			case 'ok':
				return { granted: true };
			case 'exhausted':
				return { granted: false, reason: 'exhausted', until: Number(reply[1]) };
			default:
				return dailyRefusal(reply);
		}
	}

	async releaseDaily(account: string, entry: LedgerEntry): Promise<void> {
		const keys = this.keys(account);
		await this.call(() =>
			this.client.releaseDaily(keys.ledger, keys.recipients, ledgerMember(entry), entry.recipients),
		);
	}

	async startAttempt(
		account: string,
		attemptId: string,
		rate: RateWindow | undefined,
		daily?: DailyRequest,
		connections?: HeldConnections,
	): Promise<AttemptDecision> {
		const keys = this.keys(account);
		const holders = connections?.holders ?? [];
		const counting = daily
			? [
					ledgerMember(daily.entry),
					daily.entry.recipients,
					daily.limits.messages,
					daily.limits.recipients,
					DAY_MS,
				]
			: [];
		const reply = await this.call(() =>
			this.client.startAttempt(
				keys.pushback,
				keys.rate,
				keys.ledger,
				keys.recipients,
				keys.connections,
				attemptId,
				rate?.slots ?? 0,
				rate?.windowMs ?? 0,
				this.leaseMs,
				holders.length,
				connections?.max ?? 0,
				...holders,
				...counting,
			),
		);
		switch (reply[0]) {
			case 'connectionLost':
				return { go: false, reason: 'connectionLost', lost: reply.slice(1).map(String) };
			case 'go':
				if (rate) this.holdings(account).attempts.add(attemptId);
				else if (Number(reply[1]) === 0) this.quietAttempts.add(attemptId);
				return { go: true };
			case 'rate':
				return { go: false, reason: 'rate', retryInMs: Number(reply[1]) };
			case 'messages':
			case 'recipients':
				return { go: false, reason: 'daily', refusal: dailyRefusal(reply) };
			default:
				return {
					go: false,
					reason: reply[0] === 'exhausted' ? 'exhausted' : 'coolDown',
					until: Number(reply[1]),
				};
		}
	}

	async finishAttempt(account: string, attemptId: string, outcome: AttemptOutcome): Promise<void> {
		const quiet = this.quietAttempts.delete(attemptId);
		// Outside a rate window and with no push-back streak, only Gmail's push-back is news.
		if (quiet && (outcome === 'accepted' || outcome === 'failed')) return;
		const keys = this.keys(account);
		this.held.get(account)?.attempts.delete(attemptId);
		await this.call(() => this.client.finishAttempt(keys.pushback, keys.rate, attemptId, outcome));
	}

	async acquireConnection(
		account: string,
		holderId: string,
		maxConnections: number,
	): Promise<SlotDecision> {
		const keys = this.keys(account);
		const reply = await this.call(() =>
			this.client.acquireConnection(keys.connections, holderId, maxConnections, this.leaseMs),
		);
		if (reply[0] !== 'ok') return { granted: false, retryInMs: Number(reply[1]) };
		this.holdings(account).connections.add(holderId);
		return { granted: true };
	}

	async releaseConnection(account: string, holderId: string): Promise<void> {
		this.held.get(account)?.connections.delete(holderId);
		const keys = this.keys(account);
		await this.call(() => (this.client as unknown as Redis).zrem(keys.connections, holderId));
	}

	async close(): Promise<void> {
		clearInterval(this.renewTimer);
		this.renewTimer = undefined;
		await closeRedisClient(this.client);
	}

	private holdings(account: string) {
		let holdings = this.held.get(account);
		if (!holdings) {
			holdings = { connections: new Set<string>(), attempts: new Set<string>() };
			this.held.set(account, holdings);
		}
		if (!this.renewTimer) {
			this.renewTimer = setInterval(() => void this.renewAll(), this.leaseMs / 3);
			this.renewTimer.unref();
		}
		return holdings;
	}

	private async renewAll(): Promise<void> {
		for (const [account, { connections, attempts }] of this.held) {
			if (connections.size === 0 && attempts.size === 0) continue;
			const keys = this.keys(account);
			// A missed renewal is retried on the next tick; leases outlast two of them.
			await this.client
				.renewLeases(
					keys.connections,
					keys.rate,
					this.leaseMs,
					connections.size,
					...connections,
					...attempts,
				)
				.catch(() => undefined);
		}
	}

	get keysChanged(): boolean {
		return this.settings.legacyPrefix !== this.settings.keyPrefix;
	}

	async adopt(account: string, legacyAccount: string): Promise<void> {
		const [own, legacy] = [
			this.keys(account),
			this.keys(legacyAccount, this.settings.legacyPrefix),
		];
		// In a cluster, keys of another account name live in another slot: those are not taken over.
		await this.call(() =>
			this.client
				.adoptLegacy(
					own.ledger,
					own.recipients,
					own.pushback,
					legacy.ledger,
					legacy.recipients,
					legacy.pushback,
				)
				.catch((error: Error) => {
					if (!/CROSSSLOT/.test(error.message)) throw error;
				}),
		);
	}

	/** An account's keys (see accountKeyBase). */
	private keys(account: string, prefix = this.settings.keyPrefix) {
		const base = accountKeyBase(account, prefix);
		return {
			ledger: `${base}:ledger`,
			recipients: `${base}:recipients`,
			pushback: `${base}:pushback`,
			rate: `${base}:rate`,
			connections: `${base}:connections`,
		};
	}

	private async call<T>(command: () => Promise<T>): Promise<T> {
		try {
			return await command();
		} catch (error) {
			throw configError(
				'Account limits unavailable',
				`${this.settings.label} did not answer (${(error as Error).message}). Every n8n process that sends as this account keeps its connections, rate and daily count there, so nothing is sent until it is reachable again rather than risk going over the account's limits.`,
			);
		}
	}
}

function dailyRefusal(reply: ScriptReply): DailyRefusal {
	return {
		granted: false,
		reason: reply[0] === 'messages' ? 'messages' : 'recipients',
		sent: Number(reply[1]),
		recipients: Number(reply[2]),
		freeAt: Number(reply[3]) < 0 ? Number.POSITIVE_INFINITY : Number(reply[3]),
	};
}

function ledgerMember(entry: LedgerEntry): string {
	return `${entry.id}|${entry.recipients}`;
}
