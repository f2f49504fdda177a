// What the package keeps in an n8n user folder, read with the package's own modules (compiled
// from source with the suite, the same code as the packed package): an account's embedded ledger
// and suppression list. The only place the real-n8n checks import product modules.
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

import { accountKey } from '../nodes/GmailSmtp/delivery/account/accountKey';
import { EmbeddedLimitStore } from '../nodes/GmailSmtp/delivery/account/embeddedLimitStore';
import { EmbeddedSuppressionStore } from '../nodes/GmailSmtp/delivery/suppression/embeddedSuppressionStore';

export { accountKey };

/** Where the package keeps its files in an n8n user folder. */
const packageFolder = (userFolder: string) => join(userFolder, '.n8n', 'gmail-smtp');

/** The ids the embedded ledger counts for an account. */
export async function embeddedCounted(userFolder: string, account: string): Promise<string[]> {
	const store = new EmbeddedLimitStore(packageFolder(userFolder));
	try {
		return await store.counted(account);
	} finally {
		await store.close();
	}
}

/** Whether the embedded store keeps anything for the account (its journal or an older ledger). */
export function embeddedLedgerExists(userFolder: string, account: string): boolean {
	const legacy = new EmbeddedLimitStore(packageFolder(userFolder)).ledgerPath(account);
	const base = basename(legacy, '.json');
	const folder = dirname(legacy);
	return existsSync(folder) && readdirSync(folder).some((name) => name.startsWith(base));
}

/** The entries of an account's embedded suppression list for `emails`. */
export async function embeddedSuppressions(
	userFolder: string,
	account: string,
	list: string,
	emails: string[],
) {
	const store = new EmbeddedSuppressionStore(packageFolder(userFolder));
	try {
		return await store.find(account, list, emails);
	} finally {
		await store.close();
	}
}
