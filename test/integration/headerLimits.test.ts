import type { INodeExecutionData } from 'n8n-workflow';

import { jsonItems } from '../../testkit/fakeExecuteContext';
import { runGmailSmtpNode } from '../helpers/runNode';
import { credentialsFor, useSmtpTestServer } from '../helpers/smtpTestServer';

const fromItem = (field: string) => (_index: number, item: INodeExecutionData) => item.json[field];

const parameters = (operation: 'send' | 'preview') => ({
	operation,
	toEmail: fromItem('email'),
	subject: '{{subject}}',
	text: 'Hello',
	options: (_index: number, item: INodeExecutionData) => ({ fromName: item.json.fromName }),
});

function longestLine(raw: Buffer): number {
	return Math.max(
		...raw
			.toString('latin1')
			.split('\r\n')
			.map((line) => line.length),
	);
}

describe('header lines stay legal, whatever the item data', () => {
	const server = useSmtpTestServer({ security: 'tls' }, 'block');

	it('long subjects and names of words or non-ASCII text are folded to legal lines', async () => {
		const words = Array.from({ length: 300 }, (_, n) => `word${n}`).join(' ');
		const accented = 'é'.repeat(1000);
		const output = await runGmailSmtpNode({
			parameters: parameters('send'),
			items: jsonItems(
				{ email: 'a@example.com', subject: words, fromName: 'Shop' },
				{ email: 'b@example.com', subject: accented, fromName: 'ü'.repeat(300) },
			),
			credentials: credentialsFor(server),
		});

		expect(output.every((item) => item.json.messageId)).toBe(true);
		for (const message of server.messages)
			expect(longestLine(message.raw)).toBeLessThanOrEqual(998);
		const subjects = server.messages.map((message) => message.parsed.subject).sort();
		expect(subjects).toEqual([words, accented].sort());
	});

	it.each(['send', 'preview'] as const)(
		'%s: an unbreakable 1,000-character subject or From Name is refused, naming field and item',
		async (operation) => {
			const connectionsBefore = server.connections;
			const output = await runGmailSmtpNode({
				parameters: parameters(operation),
				items: jsonItems(
					{ email: 'a@example.com', subject: 'x'.repeat(1000), fromName: 'Shop' },
					{ email: 'b@example.com', subject: 'Hi', fromName: 'N'.repeat(1000) },
				),
				credentials: credentialsFor(server),
				continueOnFail: true,
			});

			expect(output[0].json.error).toMatchObject({
				kind: 'input',
				message: 'Subject too long for one header line',
				description: expect.stringContaining('The subject has a word of more than 900'),
			});
			expect(output[1].json.error).toMatchObject({
				kind: 'input',
				message: 'Invalid From Name',
				description: expect.stringContaining('The From Name has a word'),
			});
			expect(server.connections).toBe(connectionsBefore);

			const thrown = await runGmailSmtpNode({
				parameters: parameters(operation),
				items: jsonItems({ email: 'a@example.com', subject: 'x'.repeat(1000), fromName: '' }),
				credentials: credentialsFor(server),
			}).catch((error: { context?: { itemIndex?: number }; message: string }) => error);
			expect(thrown).toMatchObject({
				message: 'Subject too long for one header line',
				context: { itemIndex: 0 },
			});
		},
	);

	it.each(['send', 'preview'] as const)(
		'%s: the size guard counts the subject, before connecting',
		async (operation) => {
			const connectionsBefore = server.connections;
			const huge = 'spam '.repeat(6 * 1024 * 1024);
			const output = await runGmailSmtpNode({
				parameters: parameters(operation),
				items: jsonItems({ email: 'a@example.com', subject: huge, fromName: '' }),
				credentials: credentialsFor(server),
				continueOnFail: true,
			});

			expect(output[0].json.error).toMatchObject({
				kind: 'message',
				message: 'Message too large for Gmail',
			});
			expect(server.connections).toBe(connectionsBefore);
		},
	);
});
