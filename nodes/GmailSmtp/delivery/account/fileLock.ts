import { randomBytes } from 'node:crypto';
import { promises as fs, readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

/** A lock older than this, or held by a process of this host that is gone, is taken over. */
const STALE_MS = 20_000;
const REFRESH_MS = STALE_MS / 4;
const WAIT_MS = 30_000;

interface Owner {
	host: string;
	pid: number;
	/** Unique per acquisition: tells this holder's lock from a later one in the same place. */
	token?: string;
}

/** A lock held on a file; it may be taken over while its holder is paused (see {@link lockFile}). */
export interface FileLock {
	/**
	 * Whether the lock is still this holder's, read from the lock itself (synchronously, so that
	 * nothing runs between the check and the step it guards).
	 */
	isOurs(): boolean;
	/** Lets go of the lock, only if it is still ours: a lock taken over is the new holder's. */
	release(): Promise<void>;
}

/**
 * Serialises changes to one file between the processes of a host: a directory next to it, created
 * atomically (`mkdir` fails if it exists), with its owner inside and its time refreshed while held.
 * A holder that stops refreshing (a frozen container, a long pause) loses the lock after
 * {@link STALE_MS}; it must check {@link FileLock.isOurs} before a write takes effect.
 * Written here rather than taken from a package: the usual one installs exit handlers that re-raise
 * SIGTERM, which cuts n8n's graceful shutdown short.
 */
export async function lockFile(path: string): Promise<FileLock> {
	const lockPath = `${path}.lock`;
	const owner: Owner = {
		host: hostname(),
		pid: process.pid,
		token: randomBytes(8).toString('hex'),
	};
	const giveUpAt = Date.now() + WAIT_MS;
	for (let round = 0; ; round++) {
		try {
			await fs.mkdir(lockPath);
			break;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		}
		if (await isStale(lockPath)) {
			await removeStale(lockPath);
			continue;
		}
		if (Date.now() > giveUpAt) {
			throw Object.assign(new Error(`${lockPath} is held by another process`), { code: 'ELOCKED' });
		}
		await sleep(Math.min(2 + round * 2, 50) * (0.5 + Math.random()));
	}
	try {
		await fs.writeFile(`${lockPath}/owner`, JSON.stringify(owner));
	} catch (error) {
		await fs.rm(lockPath, { recursive: true, force: true }).catch(() => undefined);
		throw error;
	}
	const isOurs = () => ownerOf(lockPath)?.token === owner.token;
	const refresh = setInterval(() => {
		// A lock taken over while this process was paused is not refreshed on the new holder's behalf.
		if (!isOurs()) return clearInterval(refresh);
		const now = new Date();
		fs.utimes(lockPath, now, now).catch(() => undefined);
	}, REFRESH_MS);
	refresh.unref();
	return {
		isOurs,
		async release() {
			clearInterval(refresh);
			// Checked and removed without yielding to the event loop in between.
			if (isOurs()) rmSync(lockPath, { recursive: true, force: true });
		},
	};
}

function ownerOf(lockPath: string): Owner | undefined {
	try {
		return JSON.parse(readFileSync(`${lockPath}/owner`, 'utf8')) as Owner;
	} catch {
		return undefined;
	}
}

async function isStale(lockPath: string): Promise<boolean> {
	try {
		const stats = await fs.stat(lockPath);
		if (Date.now() - stats.mtimeMs > STALE_MS) return true;
		const owner = JSON.parse(await fs.readFile(`${lockPath}/owner`, 'utf8')) as Owner;
		return owner.host === hostname() && !isAlive(owner.pid);
	} catch {
		// Gone already, or its owner not written yet: not stale, try again.
		return false;
	}
}

/** Moves the stale lock aside first, so that two processes cannot both remove and retake it. */
async function removeStale(lockPath: string): Promise<void> {
	const aside = `${lockPath}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
	try {
		await fs.rename(lockPath, aside);
	} catch {
		return;
	}
	await fs.rm(aside, { recursive: true, force: true });
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}
