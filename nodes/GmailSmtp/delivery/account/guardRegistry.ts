import type { GmailSmtpCredentials } from '../../transport/gmailSmtpCredentials';
import { AccountGuard } from './accountGuard';
import { accountKey, legacyAccountKey } from './accountKey';
import { EmbeddedLimitStore } from './embeddedLimitStore';
import type { LimitStore } from './limitStore';
import { RedisLimitStore } from './redisLimitStore';
import { accountStorePlace, StoresByPlace } from './storePlace';

const stores = new StoresByPlace<LimitStore>({
	embedded: (folder) => new EmbeddedLimitStore(folder),
	redis: (settings) => new RedisLimitStore(settings),
});
const guards = new Map<string, AccountGuard>();

/**
 * The guard of the credential's account in this process, over the store the credential chooses
 * (see storePlace.ts): one per account and store, shared by every execution. The limits are the
 * credential's as last read, so an edited credential applies to the next message.
 */
export function accountGuardFor(credentials: GmailSmtpCredentials): AccountGuard {
	const store = stores.at(accountStorePlace(credentials));
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

/** Closes every store connection (tests, shutdown). */
export async function closeAllLimitStores(): Promise<void> {
	guards.clear();
	await stores.closeAll();
}
