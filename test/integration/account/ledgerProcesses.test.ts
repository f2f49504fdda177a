import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { EmbeddedLimitStore } from '../../../nodes/GmailSmtp/delivery/account/embeddedLimitStore';

const run = promisify(execFile);
const RESERVER = join(__dirname, '..', '..', 'fixtures', 'processes', 'reserveInLedger.js');
const ACCOUNT = 'sender@example.com@smtp.gmail.com';

describe('the embedded ledger shared by n8n processes on one host', () => {
	let folder: string;
	beforeEach(() => {
		folder = mkdtempSync(join(tmpdir(), 'gmail-smtp-ledger-processes-'));
	});
	afterEach(() => {
		rmSync(folder, { recursive: true, force: true });
	});

	/** `processes` n8n processes each asking `each` times; what each was granted. */
	async function race(processes: number, each: number, limit: number): Promise<number[]> {
		const outputs = await Promise.all(
			Array.from({ length: processes }, (_, n) =>
				run(process.execPath, [RESERVER, folder, ACCOUNT, String(each), String(limit), `p${n}`]),
			),
		);
		return outputs.map((output) => Number(output.stdout));
	}

	it('five processes racing for the same daily limit never overshoot it or lose a count', async () => {
		const granted = await race(5, 60, 100);

		expect(granted.reduce((sum, count) => sum + count, 0)).toBe(100);
		const store = new EmbeddedLimitStore(folder);
		const counted = await store.counted(ACCOUNT);
		await store.close();
		expect(new Set(counted).size).toBe(100);
	}, 60_000);

	it('stay exact while the journal is compacted under them, and keep it small', async () => {
		// 6,000 requests: the journal is sealed and compacted into a new generation mid-race.
		const granted = await race(4, 1_500, 5_000);

		expect(granted.reduce((sum, count) => sum + count, 0)).toBe(5_000);
		const store = new EmbeddedLimitStore(folder);
		expect(new Set(await store.counted(ACCOUNT)).size).toBe(5_000);
		await store.close();
		const journals = readdirSync(folder).filter((name) => name.endsWith('.journal'));
		expect(journals).toHaveLength(1);
		expect(journals[0]).not.toMatch(/\.1\.journal$/);
	}, 120_000);
});
