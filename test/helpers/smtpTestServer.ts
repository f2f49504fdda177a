// The jest side of the Gmail-like test server (testkit/smtpTestServer.ts): one started and
// stopped by jest's hooks, and credentials that send at full speed.
import {
	credentialData,
	startSmtpTestServer,
	type SmtpTestServer,
	type TestServerOptions,
} from '../../testkit/smtpTestServer';

export {
	startSmtpTestServer,
	TEST_APP_PASSWORD,
	TEST_CA,
	TEST_USER,
	type InjectedFault,
	type ReceivedMessage,
	type SessionStage,
	type SmtpTestServer,
	type TestServerOptions,
} from '../../testkit/smtpTestServer';

/**
 * A test server for the tests of the enclosing `describe` (or file), started and stopped by jest's
 * hooks. `test`: each test gets a server of its own, so its counters and faults start anew and no
 * pooled connection outlives the test. `block`: one server for all of them, its received messages
 * and connection count cleared before each test. The object returned stands for the running
 * server; reading it outside a test fails.
 */
export function useSmtpTestServer(
	options: TestServerOptions,
	lifetime: 'test' | 'block' = 'test',
): SmtpTestServer {
	let current: SmtpTestServer | undefined;
	const running = () => {
		if (!current) throw new Error('The SMTP test server runs only while a test runs');
		return current;
	};
	const start = async () => {
		current = await startSmtpTestServer(options);
	};
	const stop = async () => {
		await current?.close();
		current = undefined;
	};
	if (lifetime === 'test') {
		beforeEach(start);
		afterEach(stop);
	} else {
		beforeAll(start);
		afterAll(stop);
		beforeEach(() => {
			running().messages.length = 0;
			running().connections = 0;
		});
	}
	return new Proxy({} as SmtpTestServer, {
		get: (_target, key) => Reflect.get(running(), key),
		set: (_target, key, value) => Reflect.set(running(), key, value),
	});
}

/**
 * Credential data for the `gmailSmtpApi` credential pointing at a test server. Tests measure
 * behaviour, not Gmail's pace: no rate cap (the cap has tests of its own).
 */
export function credentialsFor(server: SmtpTestServer, overrides: Record<string, unknown> = {}) {
	return credentialData(server, { maxPerSecond: 0, ...overrides });
}
