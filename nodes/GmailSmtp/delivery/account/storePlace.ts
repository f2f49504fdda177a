import { homedir } from 'node:os';
import { join } from 'node:path';

import type { GmailSmtpCredentials } from '../../transport/gmailSmtpCredentials';
import { isQueueMode, n8nQueueRedis, redisFromUrl, type RedisSettings } from './redisSettings';

/** Where an account keeps what every n8n process must share: a folder, or a Redis. */
export type StorePlace =
	{ kind: 'embedded'; folder: string } | { kind: 'redis'; settings: RedisSettings };

/**
 * Where the credential's account keeps its budget and its suppression lists: `auto` is n8n's own
 * Redis in queue mode and n8n's user folder otherwise.
 */
export function accountStorePlace(
	credentials: Pick<GmailSmtpCredentials, 'limitStore' | 'redisUrl'>,
): StorePlace {
	const useRedis =
		credentials.limitStore === 'redis' || (credentials.limitStore === 'auto' && isQueueMode());
	if (!useRedis) return { kind: 'embedded', folder: embeddedFolder() };
	const settings = credentials.redisUrl ? redisFromUrl(credentials.redisUrl) : n8nQueueRedis();
	return { kind: 'redis', settings };
}

/** Where n8n keeps its own state (`N8N_USER_FOLDER/.n8n`, by default in the home folder). */
export function embeddedFolder(): string {
	return join(process.env.N8N_USER_FOLDER || homedir(), '.n8n', 'gmail-smtp');
}

/**
 * One store of a kind per place in this process, shared by every execution (and its connection,
 * for a Redis), until `closeAll`.
 */
export class StoresByPlace<Store extends { close(): Promise<void> }> {
	private readonly stores = new Map<string, Store>();

	constructor(
		private readonly create: {
			embedded(folder: string): Store;
			redis(settings: RedisSettings): Store;
		},
	) {}

	at(place: StorePlace): Store {
		const key =
			place.kind === 'embedded'
				? `embedded:${place.folder}`
				: `redis:${JSON.stringify(place.settings)}`;
		let store = this.stores.get(key);
		if (!store) {
			store =
				place.kind === 'embedded'
					? this.create.embedded(place.folder)
					: this.create.redis(place.settings);
			this.stores.set(key, store);
		}
		return store;
	}

	async closeAll(): Promise<void> {
		const open = [...this.stores.values()];
		this.stores.clear();
		await Promise.all(open.map((store) => store.close()));
	}
}
