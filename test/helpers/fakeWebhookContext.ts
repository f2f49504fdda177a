import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { evaluatePreviousRun, type PreviousRun } from '../../testkit/fakeExecuteContext';

export interface FakeRequest {
	method?: 'GET' | 'POST';
	query?: Record<string, string>;
	userAgent?: string;
	body?: IDataObject;
	/** The run that fed the waiting node (`$prevNode`): which wait of the execution this is. */
	previousRun?: PreviousRun;
}

/** A browser, as a person clicking the link in Gmail would present itself. */
export const BROWSER =
	'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

/**
 * What n8n hands the node's `webhook` when a resume link is requested: parameters by name, the
 * request, and a response that records what the node wrote itself.
 */
export function fakeWebhookContext(parameters: Record<string, unknown>, request: FakeRequest) {
	const written: { status?: number; headers: Record<string, string>; body?: string } = {
		headers: {},
	};
	const response = {
		setHeader: (name: string, value: string) => {
			written.headers[name.toLowerCase()] = value;
		},
		status: (code: number) => {
			written.status = code;
			return response;
		},
		end: (body: string) => {
			written.body = body;
		},
	};
	const context = {
		getNodeParameter: (name: string, fallback?: unknown) => {
			const value = name
				.split('.')
				.reduce<unknown>(
					(found, key) =>
						found && typeof found === 'object' ? (found as IDataObject)[key] : undefined,
					parameters,
				);
			return value === undefined ? fallback : value;
		},
		getRequestObject: () => ({
			method: request.method ?? 'GET',
			query: request.query ?? {},
			headers: request.userAgent === undefined ? {} : { 'user-agent': request.userAgent },
		}),
		getResponseObject: () => response,
		getBodyData: () => request.body ?? {},
		evaluateExpression: evaluatePreviousRun(request.previousRun),
	};
	return { context: context as unknown as IWebhookFunctions, written };
}
