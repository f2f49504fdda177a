import { homedir } from 'node:os';
import { join } from 'node:path';

import type { GmailSmtpCredentials } from '../../transport/gmailSmtpCredentials';
import { AccountGuard } from './accountGuard';
import { accountKey, legacyAccountKey } from './accountKey';
import { EmbeddedLimitStore } from './embeddedStore';
import type { LimitStore } from './limitStore';
import { RedisLimitStore } from './redisStore';
import { isQueueMode, n8nQueueRedis, redisFromUrl, type RedisSettings } from './redisSettings';

export { accountKey } from './accountKey';

const stores = new Map<string, LimitStore>();
const guards = new Map<string, AccountGuard>();

/**
 * The guard of the credential's account in this process, over the store the credential chooses:
 * `auto` is n8n's own Redis in queue mode and the embedded ledger otherwise. The limits are the
 * credential's as last read, so an edited credential applies to the next message.
 */
export function accountGuardFor(credentials: GmailSmtpCredentials): AccountGuard {
	const store = limitStoreFor(credentials);
	const account = accountKey(credentials);
	const limits = {
		dailyMessages: credentials.dailyLimit,
		dailyRecipients: credentials.dailyRecipientLimit,
		maxConnections: credentials.maxConnections,
		perSecond: credentials.maxPerSecond,
	};
	const key = `${store.location}\n${account}`;
	let guard = guards.get(key);
	if (!guard) {
		guard = new AccountGuard(store, account, limits, legacyAccountKey(credentials));
		guards.set(key, guard);
	}
	guard.limits = limits;
	return guard;
}

function limitStoreFor(credentials: GmailSmtpCredentials): LimitStore {
	const place = accountStorePlace(credentials);
	if (place.kind === 'embedded')
		return cached(`embedded:${place.folder}`, () => new EmbeddedLimitStore(place.folder));
	return cached(
		`redis:${JSON.stringify(place.settings)}`,
		() => new RedisLimitStore(place.settings),
	);
}

/**
 * Where the credential's account keeps what every n8n process must share (its budget, its
 * suppression lists): `auto` is n8n's own Redis in queue mode and n8n's user folder otherwise.
 */
export function accountStorePlace(
	credentials: Pick<GmailSmtpCredentials, 'limitStore' | 'redisUrl'>,
): { kind: 'embedded'; folder: string } | { kind: 'redis'; settings: RedisSettings } {
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

function cached(key: string, create: () => LimitStore): LimitStore {
	let store = stores.get(key);
	if (!store) stores.set(key, (store = create()));
	return store;
}

/** Closes every store connection (tests, shutdown). */
export async function closeAllLimitStores(): Promise<void> {
	const open = [...stores.values()];
	stores.clear();
	guards.clear();
	await Promise.all(open.map((store) => store.close()));
}
