import { randomBytes } from 'node:crypto';
import { promises as fs, renameSync, rmSync, statSync, type BigIntStats } from 'node:fs';
import { dirname } from 'node:path';

import { configError } from '../../errors/GmailSmtpError';
import type { LedgerRow } from './dailyLedger';
import { lockFile, type FileLock } from './fileLock';
import { NO_PUSHBACK, type PushbackState } from './pushback';

/** What the embedded store keeps per account. */
export interface AccountLedger {
	version: 1;
	account: string;
	rows: LedgerRow[];
	pushback: PushbackState;
}

/**
 * One account's ledger as a JSON file, changed under a lock that other n8n processes on this host
 * honour too, and replaced atomically (written beside it, flushed, renamed over it), so a crash
 * leaves either the old or the new file. An unreadable file is an error naming it, never a reset.
 *
 * Fencing: a process paused while it holds the lock (a frozen container, a long GC pause) loses it
 * to another after the lock's stale time, and may wake up with a change computed from a ledger
 * that is no longer the current one. So immediately before the ledger is replaced, the lock must
 * still be ours and the file still the version the change was computed from (its stamp: inode,
 * size and modification time in nanoseconds, which every replace changes); otherwise the change
 * is dropped and computed again on the current ledger, under the lock taken anew. The check and
 * the rename are synchronous, so only a pause of more than the stale time that falls exactly
 * between those two system calls could still let a stale ledger through.
 */
export class LedgerFile {
	private queue: Promise<unknown> = Promise.resolve();

	/** The last version this process read or wrote, reused while the file is unchanged. */
	private cached?: { stamp: string; ledger: AccountLedger };

	constructor(
		readonly path: string,
		private readonly account: string,
	) {}

	/** Runs `change` on the current ledger and saves it if `change` says so. */
	update<T>(change: (ledger: AccountLedger) => { result: T; changed: boolean }): Promise<T> {
		const run = this.queue.then(() => this.underLock(change));
		this.queue = run.catch(() => undefined);
		return run;
	}

	/**
	 * The ledger as last written, without taking the lock: every write replaces the file whole, so
	 * a reader sees the old or the new version, never half of one.
	 */
	async peek(): Promise<AccountLedger> {
		return await this.read();
	}

	private async underLock<T>(
		change: (ledger: AccountLedger) => { result: T; changed: boolean },
	): Promise<T> {
		await fs.mkdir(dirname(this.path), { recursive: true }).catch((error) => {
			throw this.unusable(error);
		});
		let lock = await this.lock();
		try {
			for (;;) {
				const { ledger, stamp } = await this.readWithStamp();
				const { result, changed } = change(ledger);
				if (!changed) return result;
				const temporary = await this.writeTemporary(ledger);
				if (lock.isOurs() && this.stampNow() === stamp) {
					this.replaceWith(temporary, ledger);
					return result;
				}
				// Taken over while this process was paused: the change is computed again on the
				// ledger as the other process left it, under the lock taken anew.
				this.cached = undefined;
				await fs.rm(temporary, { force: true }).catch(() => undefined);
				if (!lock.isOurs()) {
					await lock.release();
					lock = await this.lock();
				}
			}
		} finally {
			await lock.release().catch(() => undefined);
		}
	}

	private async lock(): Promise<FileLock> {
		try {
			return await lockFile(this.path);
		} catch (error) {
			throw this.unusable(error);
		}
	}

	private async read(): Promise<AccountLedger> {
		return (await this.readWithStamp()).ledger;
	}

	private async readWithStamp(): Promise<{ ledger: AccountLedger; stamp: string }> {
		let stats: BigIntStats;
		try {
			stats = await fs.stat(this.path, { bigint: true });
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
				return { ledger: this.empty(), stamp: ABSENT };
			}
			throw this.unusable(error);
		}
		const stamp = stampOf(stats);
		if (this.cached?.stamp === stamp) return this.cached;
		let text: string;
		try {
			text = await fs.readFile(this.path, 'utf8');
		} catch (error) {
			throw this.unusable(error);
		}
		const ledger = this.parse(text);
		this.cached = { stamp, ledger };
		return this.cached;
	}

	/** The stamp of the file as it is now, read without yielding to the event loop. */
	private stampNow(): string {
		try {
			return stampOf(statSync(this.path, { bigint: true }));
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return ABSENT;
			throw this.unusable(error);
		}
	}

	/** The new version, written beside the ledger and flushed to disk. */
	private async writeTemporary(ledger: AccountLedger): Promise<string> {
		const temporary = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
		try {
			const handle = await fs.open(temporary, 'w', 0o600);
			try {
				await handle.writeFile(JSON.stringify(ledger));
				await handle.sync();
			} finally {
				await handle.close();
			}
			return temporary;
		} catch (error) {
			this.cached = undefined;
			await fs.rm(temporary, { force: true }).catch(() => undefined);
			throw this.unusable(error);
		}
	}

	private replaceWith(temporary: string, ledger: AccountLedger): void {
		try {
			renameSync(temporary, this.path);
			this.cached = { stamp: this.stampNow(), ledger };
		} catch (error) {
			this.cached = undefined;
			rmSync(temporary, { force: true });
			throw this.unusable(error);
		}
	}

	private parse(text: string): AccountLedger {
		let data: unknown;
		try {
			data = JSON.parse(text);
		} catch {
			throw this.corrupt('it is not valid JSON');
		}
		const ledger = data as Partial<AccountLedger>;
		if (
			ledger?.version !== 1 ||
			!Array.isArray(ledger.rows) ||
			typeof ledger.pushback !== 'object'
		) {
			throw this.corrupt('it does not have the expected fields');
		}
		const rowsValid = ledger.rows.every(
			(row) =>
				Array.isArray(row) &&
				Number.isFinite(row[0]) &&
				Number.isInteger(row[1]) &&
				row[1] >= 0 &&
				typeof row[2] === 'string',
		);
		if (!rowsValid) throw this.corrupt('some of its entries are malformed');
		const pushback = ledger.pushback as unknown as Record<string, unknown> | null;
		const wrongField = Object.keys(NO_PUSHBACK).find(
			(field) => pushback?.[field] !== undefined && !Number.isFinite(pushback[field]),
		);
		if (!pushback || wrongField) {
			throw this.corrupt(
				wrongField
					? `its push-back field "${wrongField}" is not a number`
					: 'it has no push-back record',
			);
		}
		return {
			...this.empty(),
			...ledger,
			pushback: { ...NO_PUSHBACK, ...ledger.pushback },
		} as AccountLedger;
	}

	private empty(): AccountLedger {
		return { version: 1, account: this.account, rows: [], pushback: { ...NO_PUSHBACK } };
	}

	private corrupt(why: string) {
		return configError(
			'Account ledger unreadable',
			`The daily ledger of ${this.account} at ${this.path} cannot be read: ${why}. It counts what this account sent in the last 24 hours, so nothing is sent rather than start counting from zero. Restore the file, or delete it to start the count again (only if you know how much the account sent today).`,
		);
	}

	private unusable(error: unknown) {
		const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
		return configError(
			'Account ledger unavailable',
			`The daily ledger of ${this.account} at ${this.path} cannot be used (${reason}). n8n needs to read and write its user folder (N8N_USER_FOLDER); nothing was sent, so the account's limits still hold.`,
		);
	}
}

const ABSENT = 'absent';

function stampOf(stats: BigIntStats): string {
	return `${stats.ino}:${stats.size}:${stats.mtimeNs}`;
}
