import type { INodeExecutionData } from 'n8n-workflow';

import { jsonItems } from '../helpers/fakeExecuteContext';
import { runGmailSmtpNode } from '../helpers/runNode';
import {
	credentialsFor,
	startSmtpTestServer,
	type SmtpTestServer,
} from '../helpers/smtpTestServer';

const baseParameters = {
	operation: 'send',
	toEmail: (_index: number, item: INodeExecutionData) => item.json.email,
	subject: 'Hello {{firstName}}',
	html: '<p>Hi {{firstName}}</p>',
	text: 'Hi {{firstName}}',
	options: {},
};

let server: SmtpTestServer;

beforeAll(async () => {
	server = await startSmtpTestServer({ security: 'tls' });
});
afterAll(async () => {
	await server.close();
});
beforeEach(() => {
	server.messages.length = 0;
	server.connections = 0;
});

describe('recipients', () => {
	it('sends to To, CC and BCC given as lists and { name, address } objects', async () => {
		await runGmailSmtpNode({
			parameters: {
				...baseParameters,
				toEmail: [{ name: 'Doe, Jane', address: 'jane@example.com' }, 'bob@example.com'],
				options: {
					ccEmail: ['c1@example.com', 'Carl <c2@example.com>'],
					bccEmail: 'h@example.com',
				},
			},
			items: jsonItems({ firstName: 'Ann' }),
			credentials: credentialsFor(server),
		});

		const [message] = server.messages;
		expect(message.parsed.to).toMatchObject({
			value: [
				{ name: 'Doe, Jane', address: 'jane@example.com' },
				{ name: '', address: 'bob@example.com' },
			],
		});
		expect(message.parsed.cc).toMatchObject({
			value: [
				{ name: '', address: 'c1@example.com' },
				{ name: 'Carl', address: 'c2@example.com' },
			],
		});
		expect(message.envelope.to.sort()).toEqual([
			'bob@example.com',
			'c1@example.com',
			'c2@example.com',
			'h@example.com',
			'jane@example.com',
		]);
	});

	it('refuses more than 100 recipients before connecting, and sends the other items', async () => {
		const many = Array.from({ length: 101 }, (_, index) => `r${index}@example.com`).join(', ');
		const output = await runGmailSmtpNode({
			parameters: {
				...baseParameters,
				toEmail: (_index: number, item: INodeExecutionData) => item.json.to,
			},
			items: jsonItems(
				{ to: many, firstName: 'Many' },
				{ to: 'one@example.com', firstName: 'One' },
			),
			credentials: credentialsFor(server),
			continueOnFail: true,
		});

		expect(output[0].json.error).toMatchObject({ message: 'Too many recipients', kind: 'input' });
		expect((output[0].json.error as { description: string }).description).toMatch(
			/101 recipients .*at most 100.*Split/,
		);
		expect(server.messages.map((message) => message.envelope.to)).toEqual([['one@example.com']]);
	});
});
