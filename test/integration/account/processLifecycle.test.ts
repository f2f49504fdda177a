import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
});
