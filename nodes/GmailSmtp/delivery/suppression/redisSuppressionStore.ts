import type Redis from 'ioredis';
import type { Cluster } from 'ioredis';

import { configError } from '../../errors/GmailSmtpError';
import { closeRedisClient, redisClient } from '../account/redisClient';
import { accountKeyBase, type RedisSettings } from '../account/redisSettings';
import {
	parseSuppressionRecord,
	suppressionKey,
	suppressionRecord,
	type NewSuppression,
	type Suppression,
	type SuppressionStore,
} from './suppressionStore';

/** Addresses per Redis command, so that an import of a whole CRM list does not block Redis. */
const BATCH = 1000;

/**
 * KEYS: the list (address → record), when each address was last removed from it (ms). ARGV, per
 * entry: the address, its record, when its evidence was seen (ms, or '' for now). Adds the record
 * unless the address is on the list or its evidence predates its removal; 1 for each one added.
 */
const ADD_UNLESS_REMOVED = `
local added = {}
for i = 1, #ARGV, 3 do
  local email, seen = ARGV[i], tonumber(ARGV[i + 2])
  local removed = seen and tonumber(redis.call('HGET', KEYS[2], email))
  if removed and seen < removed then
    added[#added + 1] = 0
  else
    added[#added + 1] = redis.call('HSETNX', KEYS[1], email, ARGV[i + 1])
  end
end
return added
`;

interface SuppressionScripts {
	addUnlessRemoved(list: string, removals: string, ...entries: string[]): Promise<number[]>;
}

/**
 * The store for n8n in queue mode: one Redis hash per account and list (address → record), and
 * one of when each address was last removed, in the Redis that keeps the account's budget, beside
 * its keys (same prefix and cluster slot). The first record of an address is kept. If Redis cannot
 * be reached every call fails: nothing is sent rather than mail someone who may be on the list.
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
		this.client.defineCommand('addUnlessRemoved', { lua: ADD_UNLESS_REMOVED, numberOfKeys: 2 });
	}

	get location(): string {
		return this.settings.label;
	}

	async add(account: string, list: string, entries: NewSuppression[]): Promise<boolean[]> {
		const scripts = this.client as unknown as SuppressionScripts;
		return await this.batched(entries, async (batch) => {
			const args = batch.flatMap((entry) => {
				const record = suppressionRecord(entry);
				const seen = entry.seenAt === undefined ? NaN : Date.parse(entry.seenAt);
				return [record.email, JSON.stringify(record), Number.isNaN(seen) ? '' : String(seen)];
			});
			const key = this.key(account, list);
			const replies = await this.call(() =>
				scripts.addUnlessRemoved(key, this.removalsKey(account, list), ...args),
			);
			return replies.map((reply) => reply === 1);
		});
	}

	async remove(
		account: string,
		list: string,
		emails: string[],
		at = new Date(),
	): Promise<boolean[]> {
		const key = this.key(account, list);
		const removals = this.removalsKey(account, list);
		return await this.batched(emails.map(suppressionKey), async (batch) => {
			const pipeline = this.client.multi();
			for (const email of batch) pipeline.hdel(key, email).hset(removals, email, at.getTime());
			const replies = await this.run(pipeline);
			return batch.map((_email, index) => replies[2 * index] === 1);
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

	/** `gmail-smtp:{<account>}:removed:<list>`: address → when it was last removed (ms). */
	removalsKey(account: string, list: string): string {
		return `${accountKeyBase(account, this.settings.keyPrefix)}:removed:${list}`;
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
