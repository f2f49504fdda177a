import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { EmbeddedLimitStore } from '../../../nodes/GmailSmtp/delivery/account/embeddedStore';

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

	it('three processes racing for the same daily limit never overshoot it or lose a count', async () => {
		const outputs = await Promise.all(
			['one', 'two', 'three'].map((tag) =>
				run(process.execPath, [RESERVER, folder, ACCOUNT, '60', '100', tag]),
			),
		);

		const granted = outputs.map((output) => Number(output.stdout));
		expect(granted.reduce((sum, count) => sum + count, 0)).toBe(100);
		const path = new EmbeddedLimitStore(folder).ledgerPath(ACCOUNT);
		const ledger = JSON.parse(readFileSync(path, 'utf8'));
		expect(ledger.rows).toHaveLength(100);
		expect(new Set(ledger.rows.map((row: unknown[]) => row[2])).size).toBe(100);
	}, 60_000);
});
