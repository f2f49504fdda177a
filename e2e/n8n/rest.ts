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
import { join } from 'node:path';

import type { Execution, ExecutionData } from './execution';

/** The instance owner the checks and `npm run n8n` set up. */
export const OWNER = {
	email: 'owner@example.com',
	firstName: 'Local',
	lastName: 'Owner',
	password: 'Gmail-smtp-1',
};

/** Any constant: n8n binds the session cookie to the `browser-id` header it was issued with. */
const BROWSER_ID = 'gmail-smtp-e2e';

/** Creates the owner account if n8n still offers the set-up; whether it did. */
export async function setUpOwner(baseUrl: string): Promise<boolean> {
	const settings = (await (await fetch(`${baseUrl}/rest/settings`)).json()) as {
		data?: { userManagement?: { showSetupOnFirstLoad?: boolean } };
	};
	if (!settings.data?.userManagement?.showSetupOnFirstLoad) return false;
	const response = await fetch(`${baseUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(OWNER),
	});
	if (!response.ok)
		throw new Error(`owner set-up failed: ${response.status} ${await response.text()}`);
	return true;
}

export interface N8nRest {
	/**
	 * Publishes the workflow's current version; its webhooks answer as soon as this returns when
	 * n8n runs with N8N_USE_WORKFLOW_PUBLICATION_SERVICE=false (no outbox polled seconds later).
	 */
	activateWorkflow(workflowId: string): Promise<void>;
	/** A workflow's executions as n8n's executions list shows them: `{ id, status, … }`, no data. */
	executions(workflowId: string): Promise<Array<{ id: string; status: string }>>;
	/**
	 * An execution as `{ id, status, finished, data }`, `data` unflattened from n8n's storage
	 * format into the run data (`data.resultData.runData[node][run]`).
	 */
	execution(executionId: string): Promise<Execution>;
}

/**
 * Creates the owner account if n8n still offers the set-up, signs in and returns a client.
 * `installDir` is where n8n is installed: execution data is read with n8n's own `flatted`.
 */
export async function signInAsOwner(baseUrl: string, installDir: string): Promise<N8nRest> {
	// eslint-disable-next-line @typescript-eslint/no-require-imports -- n8n's copy, found at run time
	const { parse } = require(
		require.resolve('flatted', { paths: [join(installDir, 'node_modules', 'n8n')] }),
	) as { parse(text: string): unknown };
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

	const call = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
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
		return (JSON.parse(text) as { data: T }).data;
	};

	return {
		async activateWorkflow(workflowId) {
			const { versionId } = await call<{ versionId: string }>('GET', `/workflows/${workflowId}`);
			await call('POST', `/workflows/${workflowId}/activate`, { versionId });
		},
		async executions(workflowId) {
			const filter = encodeURIComponent(JSON.stringify({ workflowId }));
			return (
				await call<{ results: Array<{ id: string; status: string }> }>(
					'GET',
					`/executions?filter=${filter}`,
				)
			).results;
		},
		async execution(executionId) {
			const execution = await call<Omit<Execution, 'data'> & { data: string }>(
				'GET',
				`/executions/${executionId}`,
			);
			return { ...execution, data: parse(execution.data) as ExecutionData };
		},
	};
}
