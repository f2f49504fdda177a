import { NodeOperationError, type INodeExecutionData } from 'n8n-workflow';

import type { MessageUnit } from '../../../nodes/GmailSmtp/actions/shared/messageUnits';
import type { MessageComposer } from '../../../nodes/GmailSmtp/actions/shared/messageComposer';
import { sendMessages } from '../../../nodes/GmailSmtp/actions/shared/sendMessages';
import type { AccountSession } from '../../../nodes/GmailSmtp/delivery/accountSession';
import type { ComposedMessage } from '../../../nodes/GmailSmtp/message/messageDraft';
import { failureOutput } from '../../../nodes/GmailSmtp/errors/failureOutput';
import {
	GmailSmtpError,
	inputError,
	type Failure,
} from '../../../nodes/GmailSmtp/errors/GmailSmtpError';
import { fakeExecuteContext, jsonItems, TEST_NODE } from '../../../testkit/fakeExecuteContext';

const credentials = { user: 'me@gmail.com', appPassword: 'abcdefghijklmnop' };
const output = failureOutput(TEST_NODE, credentials);

const LOGIN_REFUSED: Failure = {
	kind: 'auth',
	retryable: false,
	stopsAccount: true,
	title: 'Username and App Password not accepted',
	description: 'Use an App Password, not abcdefghijklmnop.',
};

function message(index: number): ComposedMessage {
	const address = { name: '', address: `lead${index}@example.com` };
	return {
		from: { name: '', address: 'me@gmail.com' },
		to: [address],
		cc: [],
		bcc: [],
		replyTo: [],
		subject: `Order ${index}`,
		text: `Hello ${index}`,
		messageId: `<${index}@gmail.com>`,
	};
}

/** A composer over `count` items; the item named in `badInput` fails to compose. */
function composerFor(count: number, badInput?: number) {
	const composed: number[] = [];
	const units: MessageUnit[] = Array.from({ length: count }, (_, index) => ({
		itemIndex: index,
		pairedItem: { item: index },
		templateContext: () => ({}),
	}));
	const composer: MessageComposer = {
		units,
		settings: {},
		async compose(unit) {
			composed.push(unit.itemIndex);
			if (unit.itemIndex === badInput) throw inputError('Invalid To', `item ${unit.itemIndex}`);
			return message(unit.itemIndex);
		},
		assertSendable: async (_unit, composedMessage) => composedMessage,
	};
	return { composer, composed };
}

/** Sends after a tick; the message of `refused` fails the way the account's login does. */
function sessionFor(concurrency: number, refused?: number) {
	const sent: ComposedMessage[] = [];
	let inFlight = 0;
	let mostInFlight = 0;
	let stoppedBy: Failure | undefined;
	const session: AccountSession = {
		concurrency,
		assertOpen() {
			if (stoppedBy) throw new GmailSmtpError(stoppedBy);
		},
		async send(outgoing) {
			inFlight++;
			mostInFlight = Math.max(mostInFlight, inFlight);
			await new Promise((resolve) => setTimeout(resolve, 5));
			inFlight--;
			if (outgoing.messageId === `<${refused}@gmail.com>`) {
				stoppedBy = LOGIN_REFUSED;
				throw new GmailSmtpError(LOGIN_REFUSED);
			}
			sent.push(outgoing as ComposedMessage);
			return {
				messageId: outgoing.messageId,
				accepted: outgoing.to.map((to) => to.address),
				rejected: [],
				response: '250 2.0.0 OK',
				envelope: { from: 'me@gmail.com', to: outgoing.to.map((to) => to.address) },
			};
		},
		close: jest.fn(),
	};
	return { session, sent, mostInFlight: () => mostInFlight };
}

function contextFor(count: number, continueOnFail = false) {
	return fakeExecuteContext({
		items: jsonItems(...Array.from({ length: count }, (_, index) => ({ index }))),
		parameters: {},
		credentials,
		continueOnFail,
	}).context;
}

const messageIds = (items: INodeExecutionData[]) =>
	items.map((item) => item.json.messageId ?? (item.json.error as { message: string }).message);

describe('sendMessages', () => {
	it('sends one at a time until one is taken, then up to the session concurrency, output in order', async () => {
		const { composer } = composerFor(8);
		const { session, mostInFlight } = sessionFor(3);
		const items = await sendMessages(contextFor(8), composer, session, output);
		expect(messageIds(items)).toEqual(
			Array.from({ length: 8 }, (_, index) => `<${index}@gmail.com>`),
		);
		expect(items.map((item) => item.pairedItem)).toEqual(
			Array.from({ length: 8 }, (_, index) => ({ item: index })),
		);
		expect(mostInFlight()).toBe(3);
	});

	it('finishes each composed message (Send and Wait) before it is sent', async () => {
		const { composer } = composerFor(2);
		const { session, sent } = sessionFor(1);
		await sendMessages(contextFor(2), composer, session, output, (composed) => ({
			...composed,
			html: `<p>${composed.subject}</p><a href="https://n8n.example/resume">Approve</a>`,
		}));
		expect(sent.map((outgoing) => outgoing.html)).toEqual([
			'<p>Order 0</p><a href="https://n8n.example/resume">Approve</a>',
			'<p>Order 1</p><a href="https://n8n.example/resume">Approve</a>',
		]);
	});

	it('with Continue On Fail, gives a failed item its error item in its place and goes on', async () => {
		const { composer } = composerFor(3, 1);
		const { session } = sessionFor(1);
		const items = await sendMessages(contextFor(3, true), composer, session, output);
		expect(messageIds(items)).toEqual(['<0@gmail.com>', 'Invalid To', '<2@gmail.com>']);
		expect(items[1]).toEqual({
			json: { error: { message: 'Invalid To', description: 'item 1', kind: 'input' } },
			pairedItem: { item: 1 },
		});
	});

	it('without it, stops at the first failure, starts nothing after it and names what was sent', async () => {
		const { composer, composed } = composerFor(6, 2);
		const { session, sent } = sessionFor(1);
		const run = sendMessages(contextFor(6), composer, session, output);
		await expect(run).rejects.toThrow(NodeOperationError);
		const error = (await run.catch((thrown: unknown) => thrown)) as NodeOperationError;
		expect(error.message).toBe('Invalid To');
		expect(error.context.itemIndex).toBe(2);
		expect(error.description).toBe(
			'item 2\n2 other item(s) of this run were sent; skip them when re-running (item 0: <0@gmail.com>, item 1: <1@gmail.com>).',
		);
		expect(composed).toEqual([0, 1, 2]);
		expect(sent).toHaveLength(2);
	});

	it('after an account failure, fails the remaining items without composing them, redacted', async () => {
		const { composer, composed } = composerFor(4);
		const { session } = sessionFor(1, 0);
		const items = await sendMessages(contextFor(4, true), composer, session, output);
		expect(composed).toEqual([0]);
		expect(items.map((item) => item.json.error)).toEqual(
			Array.from({ length: 4 }, () => ({
				message: 'Username and App Password not accepted',
				description: 'Use an App Password, not [redacted].',
				kind: 'auth',
			})),
		);
	});
});
