import { createHash, randomBytes } from 'node:crypto';
import { promises as fs, type Stats } from 'node:fs';
import { join } from 'node:path';

import { configError } from '../../errors/GmailSmtpError';
import { lockFile } from '../account/fileLock';
import {
	parseSuppressionRecord,
	suppressionKey,
	suppressionRecord,
	type Suppression,
	type SuppressionStore,
} from './suppressionStore';

interface ListFile {
	version: 1;
	account: string;
	list: string;
	entries: Record<string, Suppression>;
}

/**
 * The store for n8n without queue mode: one JSON file per account and list, next to the account's
 * ledger in n8n's user folder. Changed under the same kind of lock the ledger uses (other n8n
 * processes on this host honour it) and replaced atomically, so a crash leaves the old or the new
 * list; read without the lock, from a copy reused while the file is unchanged, since every send
 * checks its recipients. An unreadable file is an error naming it, never an empty list.
 */
export class EmbeddedSuppressionStore implements SuppressionStore {
	private readonly cache = new Map<string, { stamp: string; file: ListFile }>();
	private readonly queues = new Map<string, Promise<unknown>>();

	constructor(readonly folder: string) {}

	get location(): string {
		return `the suppression files in ${this.folder}`;
	}

	async add(account: string, list: string, entries: Suppression[]): Promise<boolean[]> {
		return await this.update(account, list, (file) => {
			const added = entries.map((entry) => {
				const record = suppressionRecord(entry);
				if (Object.prototype.hasOwnProperty.call(file.entries, record.email)) return false;
				file.entries[record.email] = record;
				return true;
			});
			return { result: added, changed: added.some(Boolean) };
		});
	}

	async remove(account: string, list: string, emails: string[]): Promise<boolean[]> {
		return await this.update(account, list, (file) => {
			const removed = emails.map((email) => {
				const key = suppressionKey(email);
				if (!Object.prototype.hasOwnProperty.call(file.entries, key)) return false;
				delete file.entries[key];
				return true;
			});
			return { result: removed, changed: removed.some(Boolean) };
		});
	}

	async find(account: string, list: string, emails: string[]): Promise<Map<string, Suppression>> {
		const { entries } = await this.read(account, list);
		const found = new Map<string, Suppression>();
		for (const email of emails) {
			const key = suppressionKey(email);
			if (Object.prototype.hasOwnProperty.call(entries, key)) found.set(key, entries[key]);
		}
		return found;
	}

	async close(): Promise<void> {}

	/** The file of one list: named by a hash, so an address never becomes a file name. */
	listPath(account: string, list: string): string {
		const digest = createHash('sha256').update(`${account}\n${list}`).digest('hex').slice(0, 20);
		return join(this.folder, `suppressed-${digest}.json`);
	}

	private update<T>(
		account: string,
		list: string,
		change: (file: ListFile) => { result: T; changed: boolean },
	): Promise<T> {
		const path = this.listPath(account, list);
		const run = (this.queues.get(path) ?? Promise.resolve()).then(async () => {
			await fs.mkdir(this.folder, { recursive: true }).catch((error) => {
				throw this.unusable(path, error);
			});
			let unlock: () => Promise<void>;
			try {
				unlock = await lockFile(path);
			} catch (error) {
				throw this.unusable(path, error);
			}
			try {
				// A copy: a change that fails to be written must not linger in the cache.
				const current = await this.read(account, list);
				const file: ListFile = { ...current, entries: { ...current.entries } };
				const { result, changed } = change(file);
				if (changed) await this.write(path, file);
				return result;
			} finally {
				await unlock().catch(() => undefined);
			}
		});
		this.queues.set(
			path,
			run.catch(() => undefined),
		);
		return run;
	}

	private async read(account: string, list: string): Promise<ListFile> {
		const path = this.listPath(account, list);
		let stats: Stats;
		try {
			stats = await fs.stat(path);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
				return { version: 1, account, list, entries: {} };
			}
			throw this.unusable(path, error);
		}
		const stamp = `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
		const cached = this.cache.get(path);
		if (cached?.stamp === stamp) return cached.file;
		let text: string;
		try {
			text = await fs.readFile(path, 'utf8');
		} catch (error) {
			throw this.unusable(path, error);
		}
		const file = this.parse(path, text, account, list);
		this.cache.set(path, { stamp, file });
		return file;
	}

	private async write(path: string, file: ListFile): Promise<void> {
		const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
		try {
			const handle = await fs.open(temporary, 'w', 0o600);
			try {
				await handle.writeFile(JSON.stringify(file));
				await handle.sync();
			} finally {
				await handle.close();
			}
			await fs.rename(temporary, path);
			const stats = await fs.stat(path);
			this.cache.set(path, { stamp: `${stats.ino}:${stats.size}:${stats.mtimeMs}`, file });
		} catch (error) {
			this.cache.delete(path);
			await fs.rm(temporary, { force: true }).catch(() => undefined);
			throw this.unusable(path, error);
		}
	}

	private parse(path: string, text: string, account: string, list: string): ListFile {
		let data: Partial<ListFile>;
		try {
			data = JSON.parse(text) as Partial<ListFile>;
		} catch {
			throw this.corrupt(path, 'it is not valid JSON');
		}
		if (data?.version !== 1 || typeof data.entries !== 'object' || data.entries === null) {
			throw this.corrupt(path, 'it does not have the expected fields');
		}
		const entries: Record<string, Suppression> = {};
		for (const [email, value] of Object.entries(data.entries)) {
			const record = parseSuppressionRecord(value);
			if (!record || record.email !== email)
				throw this.corrupt(path, `the entry "${email}" is malformed`);
			entries[email] = record;
		}
		return { version: 1, account, list, entries };
	}

	private corrupt(path: string, why: string) {
		return configError(
			'Suppression list unreadable',
			`The suppression list at ${path} cannot be read: ${why}. Nothing is sent rather than mail people who unsubscribed. Restore the file from a backup, or delete it to start an empty list (everyone on it could then be mailed again).`,
		);
	}

	private unusable(path: string, error: unknown) {
		const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
		return configError(
			'Suppression list unavailable',
			`The suppression list at ${path} cannot be used (${reason}). n8n needs to read and write its user folder (N8N_USER_FOLDER); no message is sent while the list cannot be read, so nobody on it is mailed.`,
		);
	}
}
