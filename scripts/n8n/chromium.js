'use strict';
// A person's browser for the real-n8n checks: Debian's chromium (apt-get when missing) driven
// through playwright-core, no browser download.
const fs = require('node:fs');

const { ensureDebianPackage } = require('../lib/debianPackage');

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
const DESKTOP_CHROME =
	'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/** Launches chromium (installing it first when missing); the caller closes it. */
async function launchChromium(log) {
	ensureDebianPackage({
		packageName: 'chromium',
		find: () => (fs.existsSync(CHROMIUM) ? CHROMIUM : undefined),
		withRecommends: true,
		log,
	});
	const { chromium } = require('playwright-core');
	return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}

/** A fresh browser profile, as a person opening the link from their mail client. */
async function personContext(browser) {
	return browser.newContext({ userAgent: DESKTOP_CHROME });
}

module.exports = { DESKTOP_CHROME, launchChromium, personContext };
