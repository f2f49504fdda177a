import { NodeOperationError, type INode } from 'n8n-workflow';

import {
	credentialTestMessage,
	failureOutput,
} from '../../../nodes/GmailSmtp/errors/failureOutput';
import type { Failure } from '../../../nodes/GmailSmtp/errors/GmailSmtpError';

const node = { name: 'Gmail SMTP', type: 'n8n-nodes-gmail-smtp.gmailSmtp' } as INode;
const credentials = {
	user: 'ada@gmail.com',
	appPassword: 'abcd efgh ijkl mnop',
	redisUrl: 'redis://:r3dis-secret@127.0.0.1:6379',
};
const authPlain = Buffer.from('\0ada@gmail.com\0abcdefghijklmnop').toString('base64');

const failure: Failure = {
	kind: 'auth',
	retryable: false,
	stopsAccount: true,
	title: 'Login abcdefghijklmnop refused',
	description: `Server replied: 535 5.7.8 Authentication failed for ${authPlain}; redis r3dis-secret`,
	code: 'EAUTH',
	responseCode: 535,
};

describe('failureOutput', () => {
	const output = failureOutput(node, credentials);

	it('shapes the Continue On Fail item with every secret removed', () => {
		expect(output.errorItem({ ...failure, attempts: 2, messageId: '<a@b>' })).toEqual({
			error: {
				message: 'Login [redacted] refused',
				description:
					'Server replied: 535 5.7.8 Authentication failed for [redacted]; redis [redacted]',
				kind: 'auth',
				code: 'EAUTH',
				responseCode: 535,
				attempts: 2,
				messageId: '<a@b>',
			},
		});
	});

	it('throws nothing of the original error, and redacts what the run adds', () => {
		const error = output.stop(failure, 3, 'item 0 sent with abcd efgh ijkl mnop');
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Login [redacted] refused');
		expect(error.description).toBe(
			'Server replied: 535 5.7.8 Authentication failed for [redacted]; redis [redacted]\nitem 0 sent with [redacted]',
		);
		expect(error.context.itemIndex).toBe(3);
		expect(JSON.stringify(error)).not.toContain('abcdefghijklmnop');
	});

	it('leaves out fields the failure does not have', () => {
		const { code, responseCode, ...bare } = failure;
		expect(Object.keys(output.errorItem(bare).error as object)).toEqual([
			'message',
			'description',
			'kind',
		]);
		expect([code, responseCode]).toEqual(['EAUTH', 535]);
	});
});

describe('credentialTestMessage', () => {
	it('redacts the same forms for fields as n8n hands them over', () => {
		expect(credentialTestMessage(failure, { ...credentials, user: ' ada@gmail.com ' })).toBe(
			'Login [redacted] refused. Server replied: 535 5.7.8 Authentication failed for [redacted]; redis [redacted]',
		);
	});

	it('copes with fields that are not text', () => {
		expect(credentialTestMessage(failure, { user: 42, appPassword: undefined })).toContain(
			'Login abcdefghijklmnop refused',
		);
	});
});
