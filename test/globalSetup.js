'use strict';
// The Redis store is tested against a real redis-server, and Check Replies and Bounces against a
// real Dovecot: install Debian's packages once, before any test file runs, if this machine does
// not have them yet.
const { ensureDovecot } = require('../scripts/lib/imapServer');
const { ensureRedisServer } = require('../scripts/lib/redisServer');

module.exports = async () => {
	ensureRedisServer();
	ensureDovecot();
};
