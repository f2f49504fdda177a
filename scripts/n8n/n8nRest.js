'use strict';
// n8n's REST API (the one its editor uses), signed in as the instance owner: activating workflows
// and reading executions of a running `n8n start`.
//
// Why this and not the SQLite file: it is n8n's own reader, so it finds execution data wherever
// this n8n keeps it (2.41 can keep it in files instead of the database) and whatever the database
// (SQLite, Postgres), unflattened the way the editor does, with the status n8n itself reports.
// Reading `execution_entity` directly would tie the test to n8n's schema and need the sqlite3
// native module built for n8n's Node 24, not the Node running this script. The price is a
// signed-in owner: two requests, and the same session publishes the workflows without a
// `n8n publish:workflow` boot per workflow.
const path = require('node:path');

const { OWNER, setUpOwner } = require('./editor');

/** Any constant: n8n binds the session cookie to the `browser-id` header it was issued with. */
const BROWSER_ID = 'gmail-smtp-e2e';

/**
 * Creates the owner account if n8n still offers the set-up, signs in and returns a client.
 * `installDir` is where n8n is installed: execution data is read with n8n's own `flatted`.
 */
async function signInAsOwner(baseUrl, installDir) {
	const { parse } = require(
		require.resolve('flatted', { paths: [path.join(installDir, 'node_modules', 'n8n')] }),
	);
	await setUpOwner(baseUrl);
	const login = await fetch(`${baseUrl}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID },
		body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
	});
	const cookie = login.headers
		.getSetCookie()
		.map((header) => header.split(';')[0])
		.find((pair) => pair.startsWith('n8n-auth='));
	if (!login.ok || !cookie) {
		throw new Error(`signing in to n8n failed: ${login.status} ${await login.text()}`);
	}

	const call = async (method, route, body) => {
		const response = await fetch(`${baseUrl}/rest${route}`, {
			method,
			headers: {
				cookie,
				'browser-id': BROWSER_ID,
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(30_000),
		});
		const text = await response.text();
		if (!response.ok)
			throw new Error(`${method} /rest${route} answered ${response.status}: ${text}`);
		return JSON.parse(text).data;
	};

	return {
		/**
		 * Publishes the workflow's current version; its webhooks answer as soon as this returns when
		 * n8n runs with N8N_USE_WORKFLOW_PUBLICATION_SERVICE=false (no outbox polled seconds later).
		 */
		async activateWorkflow(workflowId) {
			const { versionId } = await call('GET', `/workflows/${workflowId}`);
			await call('POST', `/workflows/${workflowId}/activate`, { versionId });
		},
		/** A workflow's executions as n8n's executions list shows them: `{ id, status, … }`, no data. */
		async executions(workflowId) {
			const filter = encodeURIComponent(JSON.stringify({ workflowId }));
			return (await call('GET', `/executions?filter=${filter}`)).results;
		},
		/**
		 * An execution as `{ id, status, finished, data }`, `data` unflattened from n8n's storage
		 * format into the run data (`data.resultData.runData[node][run]`).
		 */
		async execution(executionId) {
			const execution = await call('GET', `/executions/${executionId}`);
			return { ...execution, data: parse(execution.data) };
		},
	};
}

module.exports = { signInAsOwner };
