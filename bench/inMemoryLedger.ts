import { LedgerFile, type AccountLedger } from '../nodes/GmailSmtp/delivery/account/ledgerFile';
import { NO_PUSHBACK } from '../nodes/GmailSmtp/delivery/account/pushback';

/**
 * For A-memory only, in its own child process: the embedded store keeps each account's ledger in
 * this process's memory instead of its file. Every decision is the store's own (the same daily
 * ledger, push-back, connection slots and rate window); only the lock and the disk are gone. The
 * package offers no such store, since a budget in one process's memory is neither shared nor kept
 * across restarts: it is the in-process figure that the shared stores are measured against.
 */
export function keepLedgersInMemory(): void {
	const ledgers = new Map<string, AccountLedger>();
	const ledgerOf = (file: LedgerFile) => {
		let ledger = ledgers.get(file.path);
		if (!ledger) {
			ledger = { version: 1, account: '', rows: [], pushback: { ...NO_PUSHBACK } };
			ledgers.set(file.path, ledger);
		}
		return ledger;
	};
	LedgerFile.prototype.update = async function <T>(
		this: LedgerFile,
		change: (ledger: AccountLedger) => { result: T; changed: boolean },
	): Promise<T> {
		return change(ledgerOf(this)).result;
	};
	LedgerFile.prototype.peek = async function (this: LedgerFile): Promise<AccountLedger> {
		return ledgerOf(this);
	};
}
