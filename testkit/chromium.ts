// A person's browser for the tests: Debian's chromium (apt-get when missing) driven through
// playwright-core, no browser download.
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

import { ensureDebianPackage, type Log } from './debianPackage';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];
/**
 * What Chrome on a desktop sends. Headless Chromium names itself `HeadlessChrome`, which `isbot`
 * (used by n8n's built-in node and ours) rightly takes for a bot; a person's browser never does.
 */
export const DESKTOP_CHROME =
	'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/** The path of chromium, installing Debian's package first if needed. */
export function ensureChromium(log?: Log): string {
	return ensureDebianPackage({
		packageName: 'chromium',
		find: () => (existsSync(CHROMIUM) ? CHROMIUM : undefined),
		withRecommends: true,
		log,
	});
}

/**
 * Launches chromium; the caller closes it. `trustCertificate` (PEM): a server certificate the
 * browser accepts although no CA it knows signed it, pinned by its public key: that certificate's
 * key only, not "any certificate" (Chromium's --ignore-certificate-errors-spki-list).
 */
export async function launchChromium(
	options: { trustCertificate?: string; log?: Log } = {},
): Promise<Browser> {
	const args = [...CHROMIUM_FLAGS];
	if (options.trustCertificate) {
		const spki = new X509Certificate(options.trustCertificate).publicKey.export({
			type: 'spki',
			format: 'der',
		});
		args.push(
			`--ignore-certificate-errors-spki-list=${createHash('sha256').update(spki).digest('base64')}`,
		);
	}
	return chromium.launch({ executablePath: ensureChromium(options.log), args });
}

/** A fresh browser profile, as a person opening a link from their mail client. */
export function personContext(browser: Browser): Promise<BrowserContext> {
	return browser.newContext({ userAgent: DESKTOP_CHROME });
}
