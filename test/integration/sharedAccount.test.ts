import type { INodeExecutionData } from 'n8n-workflow';

import { jsonItems } from '../../testkit/fakeExecuteContext';
import { runGmailSmtpNode } from '../helpers/runNode';
import { credentialsFor, useSmtpTestServer } from '../helpers/smtpTestServer';

const parameters = {
	operation: 'send',
	toEmail: (_index: number, item: INodeExecutionData) => item.json.email,
	subject: 'Hello {{n}}',
	text: 'Hello {{n}}',
	options: {},
};

const customers = (count: number, prefix = 'c') =>
	jsonItems(
		...Array.from({ length: count }, (_, n) => ({ email: `${prefix}${n}@example.com`, n })),
	);

describe('one account, many executions', () => {
	const server = useSmtpTestServer({ security: 'tls' });

	it('50 concurrent executions of one credential share its bounded connections', async () => {
		const outputs = await Promise.all(
			Array.from({ length: 50 }, (_, run) =>
				runGmailSmtpNode({
					parameters,
					items: customers(3, `run${run}-`),
					credentials: credentialsFor(server),
				}),
			),
		);

		expect(outputs.flat()).toHaveLength(150);
		expect(server.messages).toHaveLength(150);
		expect(server.connections).toBeLessThanOrEqual(3);
		expect(server.logins).toHaveLength(server.connections);
	});

	it('a changed credential never reuses a connection of the old one', async () => {
		await runGmailSmtpNode({
			parameters,
			items: customers(1),
			credentials: credentialsFor(server),
		});
		await runGmailSmtpNode({
			parameters,
			items: customers(1),
			credentials: credentialsFor(server, { fromName: 'Renamed' }),
		});

		expect(server.connections).toBe(2);
	});

	it('enforces the daily limit before Gmail has to', async () => {
		const output = await runGmailSmtpNode({
			parameters,
			items: customers(3),
			credentials: credentialsFor(server, { dailyLimit: 2 }),
			continueOnFail: true,
		});

		expect(output[2].json.error).toMatchObject({
			kind: 'quota',
			message: 'Daily limit of this account reached',
		});
		expect(server.reached.mail).toBe(2);
	});
});
