import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { suppressionsFor } from '../../delivery/suppression/suppressionRegistry';
import type { SuppressionReason } from '../../delivery/suppression/suppressionStore';
import type { FailureOutput } from '../../errors/failureOutput';
import {
	failureOf,
	inputError,
	unexpectedFailure,
	type Failure,
} from '../../errors/GmailSmtpError';
import { parseAddressList } from '../../message/addresses';
import { normalizeListName } from '../../message/managedUnsubscribe';
import type { GmailSmtpCredentials } from '../../transport/gmailSmtpCredentials';

export type SuppressionOperation = 'addSuppression' | 'removeSuppression' | 'checkSuppression';

interface Request {
	itemIndex: number;
	email: string;
	list: string;
}

/**
 * Add, Remove and Check on the account's suppression lists, one address per item: an import of
 * a whole CRM list is one write per list, not one per address. An item with a bad address fails
 * on its own (with Continue On Fail) or stops the node before anything is changed.
 */
export async function execute(
	this: IExecuteFunctions,
	credentials: GmailSmtpCredentials,
	failures: FailureOutput,
	operation: SuppressionOperation,
): Promise<INodeExecutionData[]> {
	const continueOnFail = this.continueOnFail();
	const results: IDataObject[] = [];
	const requests: Request[] = [];
	this.getInputData().forEach((_, itemIndex) => {
		try {
			requests.push({
				itemIndex,
				email: readAddress(this.getNodeParameter('email', itemIndex, '')),
				list: normalizeListName(this.getNodeParameter('suppressionList', itemIndex, '')),
			});
		} catch (error) {
			const failure = failureOf(error, unexpectedFailure);
			if (!continueOnFail) throw failures.stop(failure, itemIndex);
			results[itemIndex] = failures.errorItem(failure);
		}
	});

	const suppressions = suppressionsFor(credentials);
	for (const [list, group] of byList(requests)) {
		const emails = group.map((request) => request.email);
		let answers: IDataObject[];
		try {
			answers = await answer(this, operation, suppressions, list, group);
		} catch (error) {
			const failure: Failure = failureOf(error, unexpectedFailure);
			if (!continueOnFail) throw failures.stop(failure, group[0].itemIndex);
			answers = emails.map(() => failures.errorItem(failure));
		}
		group.forEach((request, index) => (results[request.itemIndex] = answers[index]));
	}
	return results.map((json, itemIndex) => ({ json, pairedItem: { item: itemIndex } }));
}

async function answer(
	context: IExecuteFunctions,
	operation: SuppressionOperation,
	suppressions: ReturnType<typeof suppressionsFor>,
	list: string,
	group: Request[],
): Promise<IDataObject[]> {
	const emails = group.map((request) => request.email);
	if (operation === 'addSuppression') {
		const at = new Date().toISOString();
		const entries = group.map(({ email, itemIndex }) => ({
			email,
			reason: context.getNodeParameter(
				'suppressionReason',
				itemIndex,
				'manual',
			) as SuppressionReason,
			at,
		}));
		const added = await suppressions.add(list, entries);
		return emails.map((email, index) => ({ email, list, suppressed: true, added: added[index] }));
	}
	if (operation === 'removeSuppression') {
		const removed = await suppressions.remove(list, emails);
		return emails.map((email, index) => ({
			email,
			list,
			suppressed: false,
			removed: removed[index],
		}));
	}
	const found = await suppressions.find(list, emails);
	return emails.map((email) => {
		const record = found.get(email);
		if (!record) return { email, list, suppressed: false };
		const { reason, at, method, messageId } = record;
		return {
			email,
			list,
			suppressed: true,
			reason,
			at,
			...(method && { method }),
			...(messageId && { messageId }),
		};
	});
}

/** One address, lower-cased: `jane@example.com` or `Jane <jane@example.com>`. */
function readAddress(value: unknown): string {
	const addresses = parseAddressList(value, 'Email');
	if (addresses.length === 0) {
		throw inputError('No address', 'Email is empty for this item: give the address to look up.');
	}
	if (addresses.length > 1) {
		throw inputError(
			'One address per item',
			`Email holds ${addresses.length} addresses; give each address an item of its own (e.g. with a Split Out node).`,
		);
	}
	return addresses[0].address.toLowerCase();
}

function byList(requests: Request[]): Map<string, Request[]> {
	const groups = new Map<string, Request[]>();
	for (const request of requests) {
		const group = groups.get(request.list) ?? [];
		group.push(request);
		groups.set(request.list, group);
	}
	return groups;
}
