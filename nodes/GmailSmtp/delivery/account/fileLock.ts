import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

/** A lock older than this, or held by a process of this host that is gone, is taken over. */
const STALE_MS = 20_000;
const REFRESH_MS = STALE_MS / 4;
const WAIT_MS = 30_000;

interface Owner {
	host: string;
	pid: number;
}

/**
 * Serialises changes to one file between the processes of a host: a directory next to it, created
 * atomically (`mkdir` fails if it exists), with its owner inside and its time refreshed while held.
 * Written here rather than taken from a package: the usual one installs exit handlers that re-raise
 * SIGTERM, which cuts n8n's graceful shutdown short.
 */
export async function lockFile(path: string): Promise<() => Promise<void>> {
	const lockPath = `${path}.lock`;
	const owner: Owner = { host: hostname(), pid: process.pid };
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
	await fs.writeFile(`${lockPath}/owner`, JSON.stringify(owner)).catch(() => undefined);
	const refresh = setInterval(() => {
		const now = new Date();
		fs.utimes(lockPath, now, now).catch(() => undefined);
	}, REFRESH_MS);
	refresh.unref();
	return async () => {
		clearInterval(refresh);
		await fs.rm(lockPath, { recursive: true, force: true });
	};
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
