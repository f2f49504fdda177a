import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { closeAllLimitStores } from '../nodes/GmailSmtp/delivery/account/guardRegistry';
import { closeAllSuppressionStores } from '../nodes/GmailSmtp/delivery/suppression/suppressionRegistry';
import { closeAllTransports } from '../nodes/GmailSmtp/transport/sharedTransports';

// Every test starts with an n8n user folder of its own, so the accounts' daily ledgers (kept
// there, across executions) start empty.
let userFolder: string;
beforeEach(() => {
	userFolder = mkdtempSync(join(tmpdir(), 'gmail-smtp-user-'));
	process.env.N8N_USER_FOLDER = userFolder;
});

// Pooled connections are shared across executions and closed when idle; tests close them after
// each test so that every test server sees its own connections and shuts down at once.
afterEach(async () => {
	closeAllTransports();
	await closeAllLimitStores();
	await closeAllSuppressionStores();
	rmSync(userFolder, { recursive: true, force: true });
});
