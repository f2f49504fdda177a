'use strict';
// Debian's chromium, driven by playwright-core (no browser download), for the checks that use a
// page as a person does. Installed with apt-get when missing.
const { createHash, X509Certificate } = require('node:crypto');
const fs = require('node:fs');

const { ensureDebianPackage } = require('./debianPackage');

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

function ensureChromium(log = (message) => console.error(message)) {
	return ensureDebianPackage({
		packageName: 'chromium',
		find: () => (fs.existsSync(CHROMIUM) ? CHROMIUM : undefined),
		withRecommends: true,
		log,
	});
}

/**
 * Launches chromium. `trustCertificate` (PEM): a server certificate the browser accepts although
 * no CA it knows signed it, pinned by its public key: that certificate's key only, not "any
 * certificate" (Chromium's --ignore-certificate-errors-spki-list).
 */
async function launchChromium({ trustCertificate, log } = {}) {
	const { chromium } = require('playwright-core');
	const args = [...CHROMIUM_FLAGS];
	if (trustCertificate) {
		const spki = new X509Certificate(trustCertificate).publicKey.export({
			type: 'spki',
			format: 'der',
		});
		args.push(
			`--ignore-certificate-errors-spki-list=${createHash('sha256').update(spki).digest('base64')}`,
		);
	}
	return await chromium.launch({ executablePath: ensureChromium(log), args });
}

module.exports = { ensureChromium, launchChromium };
