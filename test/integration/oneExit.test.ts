import { NodeOperationError, type INodeExecutionData } from 'n8n-workflow';

import { GmailSmtp } from '../../nodes/GmailSmtp/GmailSmtp.node';
import { fakeExecuteContext, jsonItems } from '../../testkit/fakeExecuteContext';
import { runGmailSmtpNode } from '../helpers/runNode';
import { credentialsFor, useSmtpTestServer } from '../helpers/smtpTestServer';

const send = {
	operation: 'send',
	toEmail: (_index: number, item: INodeExecutionData) => item.json.email,
	subject: 'Hi',
	text: 'Hello',
	options: {},
};
const items = () => jsonItems({ email: 'a@example.com' }, { email: 'b@example.com' });

const REDIS_SECRET = 'ab%zz-secret"\\';

describe('every error leaves through the one exit', () => {
	const server = useSmtpTestServer({ security: 'tls' });
	const savedEnv = { ...process.env };
	afterEach(() => {
		process.env = { ...savedEnv, N8N_USER_FOLDER: process.env.N8N_USER_FOLDER };
	});

	/** What the node says with and without Continue On Fail; nothing may reach the server. */
	async function bothWays(credentials: Record<string, unknown>) {
		const errorItems = await runGmailSmtpNode({
			parameters: send,
			items: items(),
			credentials,
			continueOnFail: true,
		});
		const thrown = await runGmailSmtpNode({ parameters: send, items: items(), credentials }).then(
			() => undefined,
			(error: unknown) => error,
		);
		expect(server.connections).toBe(0);
		return { errorItems, thrown: thrown as NodeOperationError };
	}

	it.each([
		[
			'a broken %-escape',
			`redis://:${REDIS_SECRET}@127.0.0.1:6390`,
			/Write a % in a password as %25/,
		],
		['no URL at all', 'not a url', /Expected redis:\/\/user:password@host/],
	])(
		'a Redis URL with %s: an error item per item with Continue On Fail, a clear node error without',
		async (_label, redisUrl, fix) => {
			const { errorItems, thrown } = await bothWays(
				credentialsFor(server, { limitStore: 'redis', redisUrl }),
			);

			expect(errorItems).toEqual(
				[0, 1].map((item) => ({
					json: {
						error: expect.objectContaining({
							kind: 'config',
							message: 'Invalid Redis URL',
							description: expect.stringMatching(fix),
						}),
					},
					pairedItem: { item },
				})),
			);
			expect(thrown).toBeInstanceOf(NodeOperationError);
			expect(thrown.message).toBe('Invalid Redis URL');
			expect(thrown.description).toMatch(fix);
			for (const text of [JSON.stringify(errorItems), thrown.message, thrown.description]) {
				expect(text).not.toContain('ab%zz');
			}
		},
	);

	it("an unreadable QUEUE_BULL_REDIS_PASSWORD_FILE (n8n's queue Redis) names the variable and the file", async () => {
		process.env.EXECUTIONS_MODE = 'queue';
		process.env.QUEUE_BULL_REDIS_PASSWORD_FILE = '/nonexistent/redis-password';
		delete process.env.QUEUE_BULL_REDIS_PASSWORD;

		const { errorItems, thrown } = await bothWays(credentialsFor(server, { limitStore: 'auto' }));

		for (const [index, item] of errorItems.entries()) {
			expect(item).toEqual({
				json: {
					error: expect.objectContaining({
						kind: 'config',
						message: "n8n's queue Redis settings unreadable",
						description: expect.stringContaining(
							'QUEUE_BULL_REDIS_PASSWORD_FILE names /nonexistent/redis-password',
						),
					}),
				},
				pairedItem: { item: index },
			});
		}
		expect(thrown).toBeInstanceOf(NodeOperationError);
		expect(thrown.description).toMatch(/ENOENT.*make the file readable/);
	});

	it('the variable itself wins over its _FILE form, as in n8n', async () => {
		process.env.EXECUTIONS_MODE = 'queue';
		process.env.QUEUE_BULL_REDIS_PASSWORD_FILE = '/nonexistent/redis-password';
		process.env.QUEUE_BULL_REDIS_PASSWORD = 'given';
		// Nothing listens there: the store is tried (and fails closed), the file is never read.
		process.env.QUEUE_BULL_REDIS_PORT = '1';

		const [item] = await runGmailSmtpNode({
			parameters: send,
			items: jsonItems({ email: 'a@example.com' }),
			credentials: credentialsFor(server, { limitStore: 'auto' }),
			continueOnFail: true,
		});

		expect(item.json.error).toMatchObject({ message: 'Account limits unavailable' });
	});

	it("an error of n8n's own (the credential cannot be loaded) is a node error with what to do", async () => {
		const { context } = fakeExecuteContext({ parameters: send, items: items(), credentials: {} });
		context.getCredentials = async () => {
			throw new Error('Credentials could not be decrypted');
		};

		const thrown = await new GmailSmtp().execute.call(context).then(
			() => undefined,
			(error: unknown) => error as NodeOperationError,
		);

		expect(thrown).toBeInstanceOf(NodeOperationError);
		expect(thrown!.description).toMatch(/Credentials could not be decrypted\. .*report it/);
	});

	it('an operation this version does not know honours Continue On Fail', async () => {
		const output = await runGmailSmtpNode({
			parameters: { ...send, operation: 'sendLater' },
			items: items(),
			credentials: credentialsFor(server),
			continueOnFail: true,
		});

		expect(output.map((item) => item.json.error)).toEqual(
			Array(2).fill(
				expect.objectContaining({
					kind: 'input',
					message: 'The operation "sendLater" is not supported',
				}),
			),
		);
	});
});
