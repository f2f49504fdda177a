import {
	normalizeListName,
	readManagedUnsubscribe,
	unsubscribeUrlFor,
} from '../../../nodes/GmailSmtp/message/managedUnsubscribe';
import { buildUnsubscribeHeaders } from '../../../nodes/GmailSmtp/message/unsubscribeHeaders';
import { verifyUnsubscribeToken } from '../../../nodes/GmailSmtp/message/unsubscribeToken';
import { failureOf } from '../../helpers/failureOf';

const credentials = {
	user: 'sender@example.com',
	unsubscribeEndpoint:
		'https://n8n.example.com/webhook/2d1f6a52-8c1e-4f0b-9f3e-7c2b1a0d9e84/unsubscribe',
	linkSecret: 'Wq8v1Zs3Yt6Ux9Rb2Nc5Md7Lf0Kg4Jh',
};
const messageId = '<0b1c2d3e-4f50-4617-8899-aabbccddeeff@example.com>';

describe('normalizeListName', () => {
	it.each([
		[undefined, 'default'],
		['', 'default'],
		['  ', 'default'],
		['Newsletter', 'newsletter'],
		[' Partner News 2027 ', 'partner news 2027'],
		['eu.customers_b-2', 'eu.customers_b-2'],
	])('%j is the list %j', (value, name) => {
		expect(normalizeListName(value)).toBe(name);
	});

	it.each(['news/letter', '-leading', 'x'.repeat(65), 'ünïcode', 'two\nlines'])(
		'refuses %j, naming the field',
		(value) => {
			expect(failureOf(() => normalizeListName(value))).toMatchObject({
				kind: 'input',
				title: 'Invalid Suppression List',
			});
		},
	);
});

describe('readManagedUnsubscribe', () => {
	it('takes an https endpoint and a long enough secret', () => {
		expect(readManagedUnsubscribe(credentials, 'default')).toEqual({
			endpoint: credentials.unsubscribeEndpoint,
			key: { account: 'sender@example.com', secret: credentials.linkSecret },
			list: 'default',
		});
	});

	it.each([
		[
			{ unsubscribeEndpoint: '' },
			'No Unsubscribe Endpoint in the credential',
			/Gmail SMTP Trigger/,
		],
		[
			{ unsubscribeEndpoint: 'http://127.0.0.1:5678/webhook/x/unsubscribe' },
			'Unsubscribe Endpoint must use HTTPS',
			/WEBHOOK_URL/,
		],
		[
			{ unsubscribeEndpoint: 'ftp://example.com/u' },
			'Unsubscribe Endpoint must use HTTPS',
			/https/,
		],
		[
			{ unsubscribeEndpoint: 'example.com/unsubscribe' },
			'Invalid Unsubscribe Endpoint',
			/not a URL/,
		],
		[
			{ unsubscribeEndpoint: 'https://example.com/u?t=abc' },
			'Invalid Unsubscribe Endpoint',
			/"t" parameter/,
		],
		[
			{ unsubscribeEndpoint: 'https://example.com/u#top' },
			'Invalid Unsubscribe Endpoint',
			/fragment/,
		],
		[{ unsubscribeEndpoint: 'https://example.com/a b' }, 'Invalid Unsubscribe Endpoint', /spaces/],
		[
			{ unsubscribeEndpoint: 'https://example.com/u\r\nBcc: x@example.com' },
			'Invalid Unsubscribe Endpoint',
			/control/,
		],
		[{ linkSecret: '' }, 'No Link Secret in the credential', /openssl rand/],
		[{ linkSecret: '123456789012345' }, 'Link Secret too short', /15 characters/],
	])('%j: %s', (overrides, title, description) => {
		const failure = failureOf(() =>
			readManagedUnsubscribe({ ...credentials, ...overrides }, 'default'),
		);
		expect(failure).toMatchObject({ kind: 'input', title });
		expect(failure.description).toMatch(description);
	});
});

describe('unsubscribeUrlFor', () => {
	const managed = readManagedUnsubscribe(credentials, 'default');
	const key = { account: credentials.user, secret: credentials.linkSecret };

	it("adds the recipient's token to the endpoint, keeping its own query", () => {
		const withQuery = readManagedUnsubscribe(
			{ ...credentials, unsubscribeEndpoint: 'https://example.com/u?source=n8n' },
			'default',
		);
		const url = new URL(unsubscribeUrlFor(withQuery, 'Ada@Example.com', messageId));
		expect(url.searchParams.get('source')).toBe('n8n');
		expect(verifyUnsubscribeToken(url.searchParams.get('t'), key)).toEqual({
			email: 'ada@example.com',
			list: 'default',
			messageId,
		});
	});

	it('fits one header line even for the longest address and list name, with a mailto beside', () => {
		const email = `${'a'.repeat(64)}@${'d'.repeat(60)}.${'e'.repeat(60)}.${'f'.repeat(60)}.example`;
		const list = normalizeListName('l'.repeat(64));
		const longDomainId = `<0b1c2d3e-4f50-4617-8899-aabbccddeeff@${'m'.repeat(400)}.example>`;
		const url = unsubscribeUrlFor({ ...managed, list }, email, longDomainId);
		const [header] = buildUnsubscribeHeaders({ url, email: 'unsubscribe@example.com' });
		const line = `${header.key}: ${typeof header.value === 'string' ? header.value : header.value.value}`;
		expect(line.length).toBeLessThanOrEqual(998);
		// Too long to carry the Message-ID as well: it is left out, the rest still verifies.
		expect(verifyUnsubscribeToken(new URL(url).searchParams.get('t'), key)).toEqual({
			email,
			list,
		});
	});

	it('keeps the Message-ID for a usual address: a link of about 170 characters', () => {
		const url = unsubscribeUrlFor(managed, 'jane.doe@example.com', messageId);
		expect(url.length).toBeLessThan(180);
		expect(verifyUnsubscribeToken(new URL(url).searchParams.get('t'), key)?.messageId).toBe(
			messageId,
		);
	});
});
