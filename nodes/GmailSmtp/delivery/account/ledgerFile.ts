import { randomBytes } from 'node:crypto';
import { promises as fs, type Stats } from 'node:fs';
import { dirname } from 'node:path';

import { configError } from '../../errors/GmailSmtpError';
import type { LedgerRow } from './dailyLedger';
import { lockFile } from './fileLock';
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
		let unlock: () => Promise<void>;
		try {
			unlock = await lockFile(this.path);
		} catch (error) {
			throw this.unusable(error);
		}
		try {
			const ledger = await this.read();
			const { result, changed } = change(ledger);
			if (changed) await this.write(ledger);
			return result;
		} finally {
			await unlock().catch(() => undefined);
		}
	}

	private async read(): Promise<AccountLedger> {
		let stats: Stats;
		try {
			stats = await fs.stat(this.path);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return this.empty();
			throw this.unusable(error);
		}
		const stamp = stampOf(stats);
		if (this.cached?.stamp === stamp) return this.cached.ledger;
		let text: string;
		try {
			text = await fs.readFile(this.path, 'utf8');
		} catch (error) {
			throw this.unusable(error);
		}
		const ledger = this.parse(text);
		this.cached = { stamp, ledger };
		return ledger;
	}

	private async write(ledger: AccountLedger): Promise<void> {
		const temporary = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
		try {
			const handle = await fs.open(temporary, 'w', 0o600);
			try {
				await handle.writeFile(JSON.stringify(ledger));
				await handle.sync();
			} finally {
				await handle.close();
			}
			await fs.rename(temporary, this.path);
			this.cached = { stamp: stampOf(await fs.stat(this.path)), ledger };
		} catch (error) {
			this.cached = undefined;
			await fs.rm(temporary, { force: true }).catch(() => undefined);
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
				typeof row[2] === 'string',
		);
		if (!rowsValid) throw this.corrupt('some of its entries are malformed');
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

function stampOf(stats: Stats): string {
	return `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
}
