import type Redis from 'ioredis';
import type { Cluster } from 'ioredis';

import { configError } from '../../errors/GmailSmtpError';
import { closeRedisClient, redisClient } from '../account/redisClient';
import { accountKeyBase, type RedisSettings } from '../account/redisSettings';
import {
	parseSuppressionRecord,
	suppressionKey,
	suppressionRecord,
	type Suppression,
	type SuppressionStore,
} from './suppressionStore';

/** Addresses per Redis command, so that an import of a whole CRM list does not block Redis. */
const BATCH = 1000;

/**
 * The store for n8n in queue mode: one Redis hash per account and list (address → record), in the
 * Redis that keeps the account's budget, beside its keys (same prefix and cluster slot). HSETNX
 * keeps the first record of an address. If Redis cannot be reached every call fails: nothing is
 * sent rather than mail someone who may be on the list.
 */
export class RedisSuppressionStore implements SuppressionStore {
	private readonly client: Redis | Cluster;

	constructor(private readonly settings: RedisSettings) {
		this.client = redisClient(settings, {
			// Connects on the first command: a process that never reads a list opens no connection.
			lazyConnect: true,
			// How long `close` waits for a dead connection's socket before destroying it.
			disconnectTimeout: 200,
		});
	}

	get location(): string {
		return this.settings.label;
	}

	async add(account: string, list: string, entries: Suppression[]): Promise<boolean[]> {
		const key = this.key(account, list);
		const records = entries.map(suppressionRecord);
		return await this.batched(records, async (batch) => {
			const pipeline = this.client.pipeline();
			for (const record of batch) pipeline.hsetnx(key, record.email, JSON.stringify(record));
			return (await this.run(pipeline)).map((reply) => reply === 1);
		});
	}

	async remove(account: string, list: string, emails: string[]): Promise<boolean[]> {
		const key = this.key(account, list);
		return await this.batched(emails.map(suppressionKey), async (batch) => {
			const pipeline = this.client.pipeline();
			for (const email of batch) pipeline.hdel(key, email);
			return (await this.run(pipeline)).map((reply) => reply === 1);
		});
	}

	async find(account: string, list: string, emails: string[]): Promise<Map<string, Suppression>> {
		const key = this.key(account, list);
		const found = new Map<string, Suppression>();
		const keys = [...new Set(emails.map(suppressionKey))];
		await this.batched(keys, async (batch) => {
			const values = await this.call(() => this.client.hmget(key, ...batch));
			values.forEach((value, index) => {
				if (value === null) return;
				const record = parseSuppressionRecord(safeJson(value));
				// A value this package did not write still suppresses the address it is stored under.
				found.set(batch[index], record ?? { email: batch[index], reason: 'manual', at: '' });
			});
			return [];
		});
		return found;
	}

	async close(): Promise<void> {
		await closeRedisClient(this.client);
	}

	/** `gmail-smtp:{<account>}:suppressed:<list>`: beside the account's budget (accountKeyBase). */
	key(account: string, list: string): string {
		return `${accountKeyBase(account, this.settings.keyPrefix)}:suppressed:${list}`;
	}

	private async batched<T, R>(items: T[], each: (batch: T[]) => Promise<R[]>): Promise<R[]> {
		const results: R[] = [];
		for (let start = 0; start < items.length; start += BATCH) {
			results.push(...(await each(items.slice(start, start + BATCH))));
		}
		return results;
	}

	private async run(pipeline: ReturnType<Redis['pipeline']>): Promise<unknown[]> {
		const replies = (await this.call(() => pipeline.exec())) ?? [];
		return replies.map(([error, reply]) => {
			if (error) throw this.unavailable(error);
			return reply;
		});
	}

	private async call<T>(command: () => Promise<T>): Promise<T> {
		try {
			return await command();
		} catch (error) {
			throw this.unavailable(error);
		}
	}

	private unavailable(error: unknown) {
		return configError(
			'Suppression list unavailable',
			`${this.settings.label} did not answer (${(error as Error).message}). The account's suppression lists are kept there, so no message is sent until it is reachable again rather than mail someone who unsubscribed.`,
		);
	}
}

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}
