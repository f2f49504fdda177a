import type { ICredentialTestFunctions, INodeExecutionData } from 'n8n-workflow';

import { GmailSmtp } from '../../nodes/GmailSmtp/GmailSmtp.node';
import { jsonItems } from '../../testkit/fakeExecuteContext';
import { runGmailSmtpNode } from '../helpers/runNode';
import {
	credentialsFor,
	TEST_APP_PASSWORD,
	TEST_USER,
	useSmtpTestServer,
} from '../helpers/smtpTestServer';

const parameters = {
	operation: 'send',
	toEmail: (_index: number, item: INodeExecutionData) => item.json.email,
	subject: 'Hi',
	text: 'Hello',
	options: {},
};

/** Every form in which the App Password could come back from a server that echoes the login. */
const SECRET_FORMS = [
	TEST_APP_PASSWORD,
	Buffer.from(TEST_APP_PASSWORD).toString('base64'),
	Buffer.from(`\0${TEST_USER}\0${TEST_APP_PASSWORD}`).toString('base64'),
];

function expectNoSecret(text: string) {
	for (const form of SECRET_FORMS) expect(text).not.toContain(form);
	expect(text).toContain('[redacted]');
}

describe('a server that echoes the login in its reply', () => {
	const server = useSmtpTestServer({ security: 'tls', echoAuth: true }, 'block');

	it('never gets the App Password into an output item', async () => {
		const output = await runGmailSmtpNode({
			parameters,
			items: jsonItems({ email: 'a@example.com' }, { email: 'b@example.com' }),
			credentials: credentialsFor(server),
			continueOnFail: true,
		});
		for (const item of output) expectNoSecret(JSON.stringify(item.json));
	});

	it('nor into the error that stops the node', async () => {
		const error = await runGmailSmtpNode({
			parameters,
			items: jsonItems({ email: 'a@example.com' }),
			credentials: credentialsFor(server),
		}).catch((thrown: Error & { description?: string }) => thrown);
		expect(error).toBeInstanceOf(Error);
		const { message, description } = error as Error & { description?: string };
		expectNoSecret(`${message} ${description}`);
	});

	it('nor into the credential Test message', async () => {
		const test = new GmailSmtp().methods.credentialTest.gmailSmtpConnectionTest;
		const result = await test.call({} as ICredentialTestFunctions, {
			id: '1',
			name: 'Gmail SMTP account',
			type: 'gmailSmtpApi',
			data: credentialsFor(server) as never,
		});
		expect(result.status).toBe('Error');
		expectNoSecret(result.message);
	});
});
