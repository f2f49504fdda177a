import type { INodeExecutionData } from 'n8n-workflow';
import { createTransport as createTransport10 } from 'nodemailer';
// n8n 2.41 ships nodemailer 8.0.10; the alias keeps it beside our nodemailer 10.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodemailer8 = require('nodemailer-n8n') as typeof import('nodemailer');

import type { AccountSession } from '../nodes/GmailSmtp/delivery/accountSession';
import { CREDENTIAL_DEFAULTS } from '../nodes/GmailSmtp/defaults';
import { GmailSmtp } from '../nodes/GmailSmtp/GmailSmtp.node';
import { fakeExecuteContext } from '../testkit/fakeExecuteContext';
import { BENCH_CA, BENCH_PASSWORD, BENCH_USER } from './benchServer';

export const TEMPLATES = {
	subject: 'Your order {{orderId}} is confirmed, {{firstName}}',
	html: '<h1>Thanks, {{firstName}}!</h1><p>Order {{orderId}}: {{#each lines}}<li>{{qty}} × {{name}}</li>{{/each}}</p><p>Total {{total}}</p>',
	text: 'Thanks, {{firstName}}! Order {{orderId}}, total {{total}}.',
};

export function orderItems(count: number): INodeExecutionData[] {
	return Array.from({ length: count }, (_, n) => ({
		json: {
			email: `customer${n}@example.com`,
			firstName: `Customer ${n}`,
			orderId: `A-${n}`,
			total: (n * 1.37).toFixed(2),
			lines: [
				{ qty: 1, name: 'Coffee beans' },
				{ qty: 2, name: 'Filter papers' },
			],
		},
	}));
}

interface Order {
	email: string;
	firstName: string;
	orderId: string;
	total: string;
	lines: Array<{ qty: number; name: string }>;
}

/**
 * The message A renders with Handlebars, built with string templates: B and C send exactly the same
 * bytes, so the comparison is about sending, not content. (The sample data needs no escaping.)
 */
function sameMessageAsTemplates(order: Order) {
	const lines = order.lines.map((line) => `<li>${line.qty} × ${line.name}</li>`).join('');
	return {
		from: BENCH_USER,
		to: order.email,
		subject: `Your order ${order.orderId} is confirmed, ${order.firstName}`,
		html: `<h1>Thanks, ${order.firstName}!</h1><p>Order ${order.orderId}: ${lines}</p><p>Total ${order.total}</p>`,
		text: `Thanks, ${order.firstName}! Order ${order.orderId}, total ${order.total}.`,
	};
}

/** How long each message took, from the moment its sender began on it until it was sent. */
export class MessageTimes {
	readonly ms: number[] = [];

	async time<T>(work: () => Promise<T>): Promise<T> {
		const start = performance.now();
		try {
			return await work();
		} finally {
			this.ms.push(performance.now() - start);
		}
	}

	/**
	 * Times every message our node sends in this process: each session's `send`, which covers the
	 * wait for a connection permit, the rate window and the ledger as well as the SMTP transaction.
	 * (The bench is CommonJS: the operations call `withAccountSession` through the module's exports.)
	 */
	timeOurNode(): void {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const module = require('../nodes/GmailSmtp/delivery/accountSession') as {
			withAccountSession: (...args: unknown[]) => Promise<unknown>;
		};
		const original = module.withAccountSession;
		if (typeof original !== 'function')
			throw new Error('withAccountSession is gone: update the bench');
		module.withAccountSession = (credentials, options, use) =>
			original(credentials, options, (session: AccountSession) =>
				(use as (session: AccountSession) => Promise<unknown>)({
					...session,
					assertOpen: () => session.assertOpen(),
					close: () => session.close(),
					send: (message) => this.time(() => session.send(message)),
				}),
			);
	}
}

/** How A's credential sets the account guard (nodes/GmailSmtp/delivery/account). */
export interface GuardSettings {
	limitStore: 'embedded' | 'redis';
	dailyLimit: number;
	dailyRecipientLimit: number;
	maxPerSecond: number;
}

/**
 * No rate cap in the store variants: the credential's default of 5 per second would make every one
 * measure the cap (and its default daily limits of 500 would stop the larger runs). Daily limits
 * that are on are far above any run, so every message is counted in the ledger and none is refused.
 * A-defaults is the credential as shipped (the embedded store, as `auto` is without queue mode).
 */
const LIMITS_OFF = { dailyLimit: 0, dailyRecipientLimit: 0, maxPerSecond: 0 };
const DAILY_LIMITS_ON = { dailyLimit: 100_000, dailyRecipientLimit: 100_000, maxPerSecond: 0 };

export const OUR_NODE_GUARDS = {
	A: { limitStore: 'embedded', ...LIMITS_OFF },
	// The embedded store with its ledger in memory (see inMemoryLedger.ts).
	'A-memory': { limitStore: 'embedded', ...DAILY_LIMITS_ON },
	'A-embedded': { limitStore: 'embedded', ...DAILY_LIMITS_ON },
	'A-redis': { limitStore: 'redis', ...DAILY_LIMITS_ON },
	'A-defaults': {
		limitStore: 'embedded',
		dailyLimit: CREDENTIAL_DEFAULTS.dailyLimit,
		dailyRecipientLimit: CREDENTIAL_DEFAULTS.dailyRecipientLimit,
		maxPerSecond: CREDENTIAL_DEFAULTS.maxPerSecond,
	},
	'A-uncapped': {
		limitStore: 'embedded',
		dailyLimit: CREDENTIAL_DEFAULTS.dailyLimit,
		dailyRecipientLimit: CREDENTIAL_DEFAULTS.dailyRecipientLimit,
		maxPerSecond: 0,
	},
} satisfies Record<string, GuardSettings>;

/**
 * (A) our node's execute, as n8n calls it, over all items in one execution. The embedded store
 * keeps its ledger under N8N_USER_FOLDER, which the caller sets to a fresh folder.
 */
export async function sendWithOurNode(
	port: number,
	items: INodeExecutionData[],
	guard: GuardSettings,
	redisUrl?: string,
): Promise<void> {
	const { context } = fakeExecuteContext({
		items,
		continueOnFail: false,
		credentials: {
			user: BENCH_USER,
			appPassword: BENCH_PASSWORD,
			host: '127.0.0.1',
			port,
			security: 'tls',
			...guard,
			redisUrl: guard.limitStore === 'redis' ? redisUrl : undefined,
			caCertificate: BENCH_CA,
		},
		parameters: {
			operation: 'send',
			toEmail: (_index: number, item: INodeExecutionData) => item.json.email,
			...TEMPLATES,
			options: {},
		},
	});
	await new GmailSmtp().execute.call(context);
}

/**
 * (B) what n8n's built-in Send Email node (EmailSend v2) does: a new, unpooled transport for every
 * item, never closed, on nodemailer 8.0.10. Its templates are n8n expressions resolved by n8n;
 * string templates stand in for that here (which only flatters B).
 */
export async function sendLikeBuiltInNode(
	port: number,
	items: INodeExecutionData[],
	clock = new MessageTimes(),
): Promise<void> {
	for (const item of items) {
		const transporter = nodemailer8.createTransport({
			host: '127.0.0.1',
			port,
			secure: true,
			auth: { user: BENCH_USER, pass: BENCH_PASSWORD },
			tls: { ca: BENCH_CA, rejectUnauthorized: true },
		});
		await clock.time(() =>
			transporter.sendMail(sameMessageAsTemplates(item.json as unknown as Order)),
		);
	}
}

/** (C) raw pooled nodemailer 10 with as many connections as ours: the ceiling for any sender. */
export async function sendRawPooled(
	port: number,
	items: INodeExecutionData[],
	connections: number,
	clock = new MessageTimes(),
): Promise<void> {
	const transporter = createTransport10({
		pool: true,
		maxConnections: connections,
		maxMessages: Infinity,
		host: '127.0.0.1',
		port,
		secure: true,
		auth: { user: BENCH_USER, pass: BENCH_PASSWORD },
		tls: { ca: BENCH_CA },
	});
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const order = items[next++].json as unknown as Order;
			await clock.time(() => transporter.sendMail(sameMessageAsTemplates(order)));
		}
	};
	await Promise.all(Array.from({ length: connections }, worker));
	transporter.close();
}
