'use strict';
// What the `npm run test:n8n` checks share: failing a check, and building workflow JSON.

const GMAIL_SMTP_TYPE = 'n8n-nodes-gmail-smtp.gmailSmtp';

/** A check that did not hold (as opposed to the test itself breaking). */
class CheckFailed extends Error {}

function check(condition, message) {
	if (!condition) throw new CheckFailed(message);
}

/** Connections of a workflow whose nodes run one after the other. */
function chain(...names) {
	const connections = {};
	for (let index = 0; index + 1 < names.length; index++) {
		connections[names[index]] = {
			main: [[{ node: names[index + 1], type: 'main', index: 0 }]],
		};
	}
	return connections;
}

/** Seconds since `startedAt`, for the log. */
function secondsSince(startedAt) {
	return `${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
}

/** Polls `probe` until it returns something other than undefined. */
async function waitFor(probe, timeoutMs, what) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const result = await probe();
		if (result !== undefined) return result;
		if (Date.now() > deadline) throw new CheckFailed(`${what}: not within ${timeoutMs / 1000} s`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

module.exports = { GMAIL_SMTP_TYPE, CheckFailed, check, chain, secondsSince, waitFor };
