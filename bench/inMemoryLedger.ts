import { LedgerJournal } from '../nodes/GmailSmtp/delivery/account/ledgerJournal';
import { LedgerState } from '../nodes/GmailSmtp/delivery/account/ledgerState';

/**
 * For A-memory only, in its own child process: the embedded store keeps each account's ledger in
 * this process's memory instead of its journal file. Every decision is the store's own (the same
 * replayed ledger, push-back, connection slots and rate window); only the disk is gone. The
 * package offers no such store, since a budget in one process's memory is neither shared nor kept
 * across restarts: it is the in-process figure that the shared stores are measured against.
 */
export function keepLedgersInMemory(): void {
	const states = new WeakMap<LedgerJournal, LedgerState>();
	const stateOf = (journal: LedgerJournal) => {
		let state = states.get(journal);
		if (!state) states.set(journal, (state = new LedgerState()));
		return state;
	};
	let tag = 0;
	const journal = LedgerJournal.prototype;
	journal.reserve = async function (this: LedgerJournal, entry, limits, now) {
		const record = [
			'r',
			`m${++tag}`,
			now,
			entry.id,
			entry.recipients,
			limits.messages,
			limits.recipients,
		] as const;
		return stateOf(this).apply([...record])!;
	};
	journal.release = async function (this: LedgerJournal, entry, now) {
		stateOf(this).apply(['x', `m${++tag}`, now, entry.id]);
	};
	journal.record = async function (this: LedgerJournal, outcome, now) {
		stateOf(this).apply(['p', `m${++tag}`, now, outcome]);
	};
	journal.current = async function (this: LedgerJournal) {
		return stateOf(this);
	};
	Object.defineProperty(journal, 'lastRead', {
		get(this: LedgerJournal) {
			return stateOf(this);
		},
	});
}
