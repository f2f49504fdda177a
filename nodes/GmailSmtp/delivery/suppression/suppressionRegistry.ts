import type { GmailSmtpCredentials } from '../../transport/gmailSmtpCredentials';
import { accountKey } from '../account/accountKey';
import { accountStorePlace, StoresByPlace } from '../account/storePlace';
import { EmbeddedSuppressionStore } from './embeddedSuppressionStore';
import { RedisSuppressionStore } from './redisSuppressionStore';
import type { NewSuppression, Suppression, SuppressionStore } from './suppressionStore';

const stores = new StoresByPlace<SuppressionStore>({
	embedded: (folder) => new EmbeddedSuppressionStore(folder),
	redis: (settings) => new RedisSuppressionStore(settings),
});

/** One account's suppression lists, wherever the account keeps its budget. */
export interface AccountSuppressions {
	readonly location: string;
	add(list: string, entries: NewSuppression[]): Promise<boolean[]>;
	remove(list: string, emails: string[]): Promise<boolean[]>;
	find(list: string, emails: string[]): Promise<Map<string, Suppression>>;
}

/**
 * The credential's account's suppression lists, in the same place as its budget (the Limit Store
 * setting): n8n's user folder, or n8n's queue Redis (or the credential's) in queue mode. One store
 * per place and process, shared by every execution.
 */
export function suppressionsFor(
	credentials: Pick<GmailSmtpCredentials, 'user' | 'host' | 'limitStore' | 'redisUrl'>,
): AccountSuppressions {
	const store = stores.at(accountStorePlace(credentials));
	const account = accountKey(credentials);
	return {
		location: store.location,
		add: (list, entries) => store.add(account, list, entries),
		remove: (list, emails) => store.remove(account, list, emails),
		find: (list, emails) => store.find(account, list, emails),
	};
}

/** Closes every store connection (tests, shutdown). */
export async function closeAllSuppressionStores(): Promise<void> {
	await stores.closeAll();
}
