import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';

import { lockFile } from '../../../nodes/GmailSmtp/delivery/account/fileLock';

const FIXTURE = join(__dirname, '..', '..', 'fixtures', 'processes', 'loadNode.js');

describe('the package inside an n8n process', () => {
	let folder: string;
	beforeEach(() => {
		folder = mkdtempSync(join(tmpdir(), 'gmail-smtp-lifecycle-'));
	});
	afterEach(() => {
		rmSync(folder, { recursive: true, force: true });
	});

	it("installs no signal handler, so n8n's graceful shutdown runs to its end", () => {
		const run = spawnSync(process.execPath, [FIXTURE, folder], {
			encoding: 'utf8',
			timeout: 30_000,
		});

		expect(run.stderr).toBe('');
		expect(run.signal).toBeNull();
		expect(run.status).toBe(0);
		expect(JSON.parse(run.stdout)).toEqual({ listeners: [0, 0, 0], graceful: true });
	});

	describe('the ledger lock', () => {
		it('makes a second holder wait until the first lets go', async () => {
			const path = join(folder, 'ledger.json');
			const releaseFirst = await lockFile(path);
			let secondHasIt = false;
			const second = lockFile(path).then((release) => {
				secondHasIt = true;
				return release;
			});
			await new Promise((resolve) => setTimeout(resolve, 100));
			expect(secondHasIt).toBe(false);
			await releaseFirst.release();
			await (await second).release();
			expect(secondHasIt).toBe(true);
		});

		it('takes over a lock whose process is gone', async () => {
			const path = join(folder, 'ledger.json');
			const gone = spawn(process.execPath, ['-e', '0']);
			await new Promise((resolve) => gone.once('exit', resolve));
			mkdirSync(`${path}.lock`);
			writeFileSync(`${path}.lock/owner`, JSON.stringify({ host: hostname(), pid: gone.pid }));

			const started = Date.now();
			await (await lockFile(path)).release();
			expect(Date.now() - started).toBeLessThan(1_000);
		});

		it('takes over a lock nobody refreshed for a long time', async () => {
			const path = join(folder, 'ledger.json');
			mkdirSync(`${path}.lock`);
			writeFileSync(`${path}.lock/owner`, JSON.stringify({ host: 'elsewhere', pid: 1 }));
			const longAgo = new Date(Date.now() - 60_000);
			utimesSync(`${path}.lock`, longAgo, longAgo);

			await (await lockFile(path)).release();
		});

		it("a holder whose lock was taken over knows it, and does not remove the new holder's lock", async () => {
			const path = join(folder, 'ledger.json');
			const paused = await lockFile(path);
			// Nobody refreshed it for longer than its stale time: as after a freeze of its holder.
			const longAgo = new Date(Date.now() - 60_000);
			utimesSync(`${path}.lock`, longAgo, longAgo);
			const next = await lockFile(path);

			expect(paused.isOurs()).toBe(false);
			expect(next.isOurs()).toBe(true);
			await paused.release();
			expect(existsSync(`${path}.lock`)).toBe(true);
			expect(next.isOurs()).toBe(true);
			await next.release();
			expect(existsSync(`${path}.lock`)).toBe(false);
		});
	});
});
