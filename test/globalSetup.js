'use strict';
// The Redis store is tested against a real redis-server: install Debian's package once, before
// any test file runs, if this machine does not have it yet.
const { ensureRedisServer } = require('../scripts/lib/redisServer');

module.exports = async () => {
	ensureRedisServer();
};
