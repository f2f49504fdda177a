'use strict';
// Debian packages the checks run for real (redis-server, dovecot-imapd, chromium): a fresh machine
// has nothing installed by hand, so they are installed with apt-get when missing.
const { execFileSync } = require('node:child_process');

/**
 * What `find()` returns, installing Debian's `packageName` first when it finds nothing. A system
 * service the package starts on install (`service`) is stopped: the checks start their own.
 */
function ensureDebianPackage({
	packageName,
	find,
	service,
	withRecommends = false,
	log = (message) => console.error(message),
}) {
	const found = find();
	if (found) return found;
	log(`installing Debian's ${packageName} with apt-get`);
	const apt = (args) =>
		execFileSync('apt-get', args, {
			stdio: ['ignore', 'ignore', 'inherit'],
			env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
		});
	apt(['update', '-qq']);
	apt([
		'install',
		'-y',
		'-qq',
		...(withRecommends ? [] : ['--no-install-recommends']),
		packageName,
	]);
	const installed = find();
	if (!installed) throw new Error(`${packageName} is still missing after apt-get install`);
	if (service) {
		try {
			execFileSync('service', [service, 'stop'], { stdio: 'ignore' });
		} catch {
			// No init system here: nothing was started.
		}
	}
	return installed;
}

module.exports = { ensureDebianPackage };
