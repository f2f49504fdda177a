// The Redis store is tested against a real redis-server, and Check Replies and Bounces against a
// real Dovecot: install Debian's packages once, before any test file runs, if this machine does
// not have them yet.
import { ensureDovecot } from '../testkit/dovecot';
import { ensureRedisServer } from '../testkit/redisServer';

export default async function globalSetup(): Promise<void> {
	ensureRedisServer();
	ensureDovecot();
}
