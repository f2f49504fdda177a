import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname } from 'node:path';

import { configError } from '../../errors/GmailSmtpError';
import type { LedgerSnapshot } from './ledgerState';
import { NO_PUSHBACK } from './pushback';

/**
 * The JSON ledger an earlier version kept (`ledger-<hash>.json`), as the journal's first snapshot;
 * an empty one if there is none. An unreadable one is an error naming it, never a reset.
 */
export async function readLegacySnapshot(path: string, account: string): Promise<LedgerSnapshot> {
	let text: string;
	try {
		text = await fs.readFile(path, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return { rows: [], pushback: NO_PUSHBACK };
		}
		throw ledgerUnavailable(account, path, error);
	}
	let data: { version?: unknown };
	try {
		data = JSON.parse(text);
	} catch {
		throw ledgerUnreadable(account, path, 'it is not valid JSON');
	}
	if (data?.version !== 1) {
		throw ledgerUnreadable(account, path, 'it does not have the expected fields');
	}
	return checkedSnapshot(data as unknown as LedgerSnapshot, path, account);
}

/** A snapshot as read from disk, checked field by field: a wrong type names the file. */
export function checkedSnapshot(
	snapshot: LedgerSnapshot,
	path: string,
	account: string,
): LedgerSnapshot {
	if (
		!Array.isArray(snapshot?.rows) ||
		typeof snapshot.pushback !== 'object' ||
		!snapshot.pushback
	) {
		throw ledgerUnreadable(account, path, 'it does not have the expected fields');
	}
	const rowsValid = snapshot.rows.every(
		(row) =>
			Array.isArray(row) &&
			Number.isFinite(row[0]) &&
			Number.isInteger(row[1]) &&
			row[1] >= 0 &&
			typeof row[2] === 'string',
	);
	if (!rowsValid) throw ledgerUnreadable(account, path, 'some of its entries are malformed');
	const pushback = snapshot.pushback as unknown as Record<string, unknown>;
	const wrongField = Object.keys(NO_PUSHBACK).find(
		(field) => pushback[field] !== undefined && !Number.isFinite(pushback[field]),
	);
	if (wrongField) {
		throw ledgerUnreadable(account, path, `its push-back field "${wrongField}" is not a number`);
	}
	return { rows: snapshot.rows, pushback: { ...NO_PUSHBACK, ...snapshot.pushback } };
}

export function ledgerUnreadable(account: string, path: string, why: string) {
	return configError(
		'Account ledger unreadable',
		`The daily ledger of ${account} at ${path} cannot be read: ${why}. It counts what this account sent in the last 24 hours, so nothing is sent rather than start counting from zero. Restore the file, or delete it to start the count again (only if you know how much the account sent today).`,
	);
}

export function ledgerUnavailable(account: string, where: string, error: unknown) {
	const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
	return configError(
		'Account ledger unavailable',
		`The daily ledger of ${account} in ${where} cannot be used (${reason}). n8n needs to read and write its user folder (N8N_USER_FOLDER); nothing was sent, so the account's limits still hold.`,
	);
}

/**
 * Writes a journal generation beside its name, flushed, and links it to the name unless that is
 * taken: whoever is first creates the generation, and it is complete the moment it has its name.
 */
export async function createGeneration(
	path: string,
	generation: number,
	snapshot: LedgerSnapshot,
): Promise<void> {
	const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
	try {
		const handle = await fs.open(temporary, 'w', 0o600);
		try {
			await handle.writeFile(`${JSON.stringify(['snapshot', generation, snapshot])}\n`);
			await handle.sync();
		} finally {
			await handle.close();
		}
		await fs.link(temporary, path).catch((error: NodeJS.ErrnoException) => {
			if (error.code !== 'EEXIST') throw error;
		});
	} finally {
		await fs.rm(temporary, { force: true }).catch(() => undefined);
	}
}

/** The generation numbers of the journal `<base>.<n>.journal` present on disk. */
export async function listGenerations(base: string): Promise<number[]> {
	const prefix = `${basename(base)}.`;
	return (await fs.readdir(dirname(base)))
		.filter((name) => name.startsWith(prefix) && name.endsWith('.journal'))
		.map((name) => Number(name.slice(prefix.length, -'.journal'.length)))
		.filter((generation) => Number.isInteger(generation) && generation > 0);
}
