import { buildThreadHeaders, normalizeMessageId } from '../../../nodes/GmailSmtp/message/threading';
import { failureOf } from '../../helpers/failureOf';

const first = '<0f1e2d3c-aaaa-bbbb-cccc-000000000001@gmail.com>';
const second = '<0f1e2d3c-aaaa-bbbb-cccc-000000000002@gmail.com>';

describe('buildThreadHeaders', () => {
	it('answers the given Message-ID, listing it as the only reference', () => {
		expect(buildThreadHeaders({ inReplyTo: first }, 'Your order')).toEqual({
			inReplyTo: first,
			references: [first],
			subject: 'Your order',
		});
	});

	it('adds the angle brackets to a bare Message-ID and trims it', () => {
		expect(buildThreadHeaders({ inReplyTo: ` ${first.slice(1, -1)} ` }, 'S').inReplyTo).toBe(first);
	});

	it('puts earlier references first and the answered message last, without repeats', () => {
		expect(
			buildThreadHeaders({ inReplyTo: second, references: `${first} ${second}, ${first}` }, 'S')
				.references,
		).toEqual([first, second]);
	});

	it.each([
		['space-separated', `${first} ${second}`],
		['comma-separated', `${first},${second}`],
		['run together', `${first}${second}`],
		['a list', [first, second]],
		['bare IDs', `${first.slice(1, -1)} ${second.slice(1, -1)}`],
	])('takes References %s, answering the last one', (_label, references) => {
		expect(buildThreadHeaders({ references }, 'S')).toEqual({
			inReplyTo: second,
			references: [first, second],
			subject: 'S',
		});
	});

	it.each([
		['adds Re: to a threaded subject', 'Your order', 'Re: Your order'],
		['does not double Re:', 'Re: Your order', 'Re: Your order'],
		['does not double RE:', 'RE:Your order', 'RE:Your order'],
		['does not double Re[2]:', 'Re[2]: Your order', 'Re[2]: Your order'],
		['prefixes a subject that only starts with "Re"', 'Renewal', 'Re: Renewal'],
	])('%s', (_label, subject, expected) => {
		expect(
			buildThreadHeaders({ inReplyTo: first, prefixSubjectWithRe: true }, subject).subject,
		).toBe(expected);
	});

	it('leaves the subject alone when Re: is not asked for', () => {
		expect(buildThreadHeaders({ inReplyTo: first }, 'Your order').subject).toBe('Your order');
	});

	it('leaves an unthreaded message (no ID in this item) alone, even with Re: asked for', () => {
		expect(buildThreadHeaders({ inReplyTo: '', prefixSubjectWithRe: true }, 'Hello')).toEqual({
			subject: 'Hello',
		});
	});

	it.each([
		[
			'no @',
			{ inReplyTo: 'not-a-message-id' },
			'Invalid In Reply To',
			/"not-a-message-id" in In Reply To is not a Message-ID/,
		],
		[
			'an empty local part',
			{ inReplyTo: '<@gmail.com>' },
			'Invalid In Reply To',
			/not a Message-ID/,
		],
		[
			'brackets only on one side',
			{ inReplyTo: '<abc@gmail.com' },
			'Invalid In Reply To',
			/not a Message-ID/,
		],
		['two IDs', { inReplyTo: `${first} ${second}` }, 'Invalid In Reply To', /one message/],
		[
			'header injection',
			{ inReplyTo: `${first}\r\nBcc: victim@example.com` },
			'Invalid In Reply To',
			/line break/,
		],
		['a NUL byte', { inReplyTo: `${first}\u0000` }, 'Invalid In Reply To', /control character/],
		[
			'a non-ASCII ID',
			{ inReplyTo: '<grüße@example.com>' },
			'Invalid In Reply To',
			/not a Message-ID/,
		],
		['a number', { inReplyTo: 42 }, 'Invalid In Reply To', /got number/],
		[
			'a bad reference',
			{ inReplyTo: first, references: 'oops' },
			'Invalid References',
			/"oops" in References/,
		],
	])('refuses %s', (_label, options, title, description) => {
		const failure = failureOf(() => buildThreadHeaders(options, 'S'));
		expect(failure).toMatchObject({ kind: 'input', title });
		expect(failure.description).toMatch(description);
	});
});

describe('normalizeMessageId', () => {
	it('keeps a well-formed ID and brackets a bare one', () => {
		expect(normalizeMessageId(first, 'X')).toBe(first);
		expect(normalizeMessageId('abc.def@mail.example.com', 'X')).toBe('<abc.def@mail.example.com>');
	});
});
