import type { INodeExecutionData } from 'n8n-workflow';

import { messageComposer } from '../../../nodes/GmailSmtp/actions/shared/messageComposer';
import { GmailSmtpError } from '../../../nodes/GmailSmtp/errors/GmailSmtpError';
import { readGmailSmtpCredentials } from '../../../nodes/GmailSmtp/transport/gmailSmtpCredentials';
import { fakeExecuteContext, jsonItems } from '../../../testkit/fakeExecuteContext';

const credentials = readGmailSmtpCredentials({
	user: 'shop@gmail.com',
	appPassword: 'abcd efgh ijkl mnop',
	fromName: 'Acme Shop',
});

const leads = jsonItems(
	{ email: 'ada@example.com', firstName: 'Ada', total: 12 },
	{ email: 'bob@example.com', firstName: 'Bob', total: 7, agentSubject: 'Bob, a question' },
);

async function composerWith(
	parameters: Record<string, unknown>,
	items: INodeExecutionData[] = leads,
	templateValues?: Record<string, unknown>,
) {
	const { context, parameterReads } = fakeExecuteContext({
		items,
		credentials: {},
		parameters: {
			toEmail: (_index: number, item: INodeExecutionData) => item.json.email,
			subject: 'Order for {{firstName}}',
			html: '<p>Total {{total}}</p>',
			text: '',
			...parameters,
		},
	});
	return {
		composer: await messageComposer(context, credentials, templateValues),
		parameterReads,
	};
}

describe('messageComposer', () => {
	it('compiles the templates before composing anything: a template error stops the node at once (through the router)', async () => {
		const build = composerWith({ subject: 'Order for {{firstName}' });
		await expect(build).rejects.toThrow(GmailSmtpError);
		await expect(build).rejects.toThrow('Template syntax error in Subject');
	});

	it('renders each unit against its item, with the account as sender and a text part from the HTML', async () => {
		const { composer } = await composerWith({ options: {} });
		const [first, second] = await Promise.all(composer.units.map((unit) => composer.compose(unit)));
		expect(first).toMatchObject({
			from: { name: 'Acme Shop', address: 'shop@gmail.com' },
			to: [{ name: '', address: 'ada@example.com' }],
			subject: 'Order for Ada',
			html: '<p>Total 12</p>',
			text: 'Total 12',
		});
		expect(first.messageId).toMatch(/^<.+@gmail\.com>$/);
		expect(second.subject).toBe('Order for Bob');
		expect(second.messageId).not.toBe(first.messageId);
	});

	it('takes Subject Text as written for the items that have it, without rendering the Subject', async () => {
		const { composer } = await composerWith({
			subject: 'Order for {{missingEverywhere}}',
			options: (_index: number, item: INodeExecutionData) => ({
				subjectText: item.json.agentSubject ?? 'Your {{total}}',
			}),
		});
		const messages = await Promise.all(composer.units.map((unit) => composer.compose(unit)));
		expect(messages.map((composed) => composed.subject)).toEqual([
			'Your {{total}}',
			'Bob, a question',
		]);
	});

	it("offers the caller's values to the templates besides the item's own", async () => {
		const { composer } = await composerWith(
			{ html: '<p>{{firstName}}</p>{{{approvalButtons}}}' },
			leads,
			{ approvalButtons: '<a href="#">Approve</a>', firstName: 'not used' },
		);
		const composed = await composer.compose(composer.units[0]);
		expect(composed.html).toBe('<p>not used</p><a href="#">Approve</a>');
	});

	it("fails one unit's bad input as our own failure, naming the field", async () => {
		const { composer } = await composerWith(
			{},
			jsonItems({ email: 'not an address', firstName: 'X', total: 1 }),
		);
		const error = await composer.compose(composer.units[0]).catch((thrown: unknown) => thrown);
		expect(error).toBeInstanceOf(GmailSmtpError);
		expect((error as GmailSmtpError).failure).toMatchObject({ kind: 'input' });
		expect((error as GmailSmtpError).failure.description).toContain('To');
	});

	it('reads fixed options once for the execution, and options with expressions per item', async () => {
		const fixed = await composerWith({ options: { maxConnections: 2 } });
		await Promise.all(fixed.composer.units.map((unit) => fixed.composer.compose(unit)));
		expect(fixed.composer.settings).toEqual({ maxConnections: 2 });
		const readsOf = (reads: typeof fixed.parameterReads) =>
			reads.filter((read) => read.name === 'options').map((read) => read.itemIndex);
		expect(readsOf(fixed.parameterReads)).toEqual([0]);

		const perItem = await composerWith({ options: () => ({ replyTo: 'sales@example.com' }) });
		await Promise.all(perItem.composer.units.map((unit) => perItem.composer.compose(unit)));
		expect(readsOf(perItem.parameterReads)).toEqual([0, 0, 1]);
	});
});
