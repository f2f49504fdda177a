// Debian packages the tests run for real (redis-server, dovecot-imapd, chromium): a fresh machine
// has nothing installed by hand, so they are installed with apt-get when missing.
import { execFileSync } from 'node:child_process';

export type Log = (message: string) => void;

export interface DebianPackage {
	packageName: string;
	/** The installed program's path, or undefined when it is missing. */
	find(): string | undefined;
	/** A system service the package starts on install: stopped, the tests start their own. */
	service?: string;
	withRecommends?: boolean;
	log?: Log;
}

/** What `find()` returns, installing Debian's `packageName` first when it finds nothing. */
export function ensureDebianPackage({
	packageName,
	find,
	service,
	withRecommends = false,
	log = (message) => console.error(message),
}: DebianPackage): string {
	const found = find();
	if (found) return found;
	log(`installing Debian's ${packageName} with apt-get`);
	const apt = (args: string[]) =>
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
