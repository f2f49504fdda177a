import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { REPO_ROOT } from './repoRoot';

/** Where the test CA and the server's certificate are kept as files (Dovecot reads them there). */
export const TLS_DIR = join(REPO_ROOT, 'testkit', 'tls');

export interface TestTls {
	/** The CA that signed the server certificate: what a credential's CA Certificate holds. */
	caCert: string;
	serverKey: string;
	/** For `localhost` and `127.0.0.1`. */
	serverCert: string;
}

const read = (file: string) => readFileSync(join(TLS_DIR, file), 'utf8');

/**
 * The one TLS source of every test (jest, real n8n, the demo, the benchmark): a test CA and a
 * server certificate it signed for localhost / 127.0.0.1, valid until 2126. Clients verify the
 * local servers against the CA the way they verify Gmail, never with verification turned off.
 */
export const TEST_TLS: TestTls = {
	caCert: read('ca.pem'),
	serverKey: read('server.key'),
	serverCert: read('server.pem'),
};
