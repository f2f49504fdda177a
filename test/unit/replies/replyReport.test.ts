import type { ReadMessage } from '../../../nodes/GmailSmtp/replies/readMessage';
import { buildReplyReports, firstLines } from '../../../nodes/GmailSmtp/replies/replyReport';
import { nothingAbout } from '../../helpers/mailboxFixtures';

const A = '<a@example.com>';
const B = '<b@example.com>';
const settings = {
	ownAddresses: new Set(['sender@example.com', 'sales@example.com']),
	countAutoReplies: false,
	textLines: 5,
};

const fromMailSystem = { fromMailSystem: true, returnPath: '<>' };

function message(overrides: Partial<ReadMessage>): ReadMessage {
	return {
		messageId: `<${Math.random()}@lead.example>`,
		fromAddress: 'ada@lead.example',
		date: '2026-11-03T10:00:00.000Z',
		subject: 'Re: Quote',
		answers: [],
		automatic: false,
		text: 'Hello',
		...overrides,
	};
}

describe('buildReplyReports', () => {
	it('a report for every ID asked, even when nothing was found', () => {
		const reports = buildReplyReports([A, B], [], settings);
		expect([...reports.keys()]).toEqual([A, B]);
		expect(reports.get(A)).toEqual(nothingAbout(A));
	});

	it('replies go to the IDs they answer, oldest first; own messages and the sent message itself do not count', () => {
		const reports = buildReplyReports(
			[A, B],
			[
				message({
					answers: [A],
					date: '2026-11-05T00:00:00.000Z',
					fromAddress: 'bob@lead.example',
				}),
				message({ answers: [A, B], date: '2026-11-04T00:00:00.000Z' }),
				message({ answers: [A], fromAddress: 'sender@example.com' }),
				message({ answers: [A], fromAddress: 'sales@example.com' }),
				message({ messageId: B, answers: [A], fromAddress: 'someone@else.example' }),
			],
			settings,
		);
		expect(reports.get(A)!.replies.map((reply) => reply.from)).toEqual([
			'ada@lead.example',
			'bob@lead.example',
		]);
		expect(reports.get(B)!.replies.map((reply) => reply.from)).toEqual(['ada@lead.example']);
	});

	it('automatic answers are listed apart, and count as replies only when asked', () => {
		const found = [message({ answers: [A], automatic: true })];
		expect(buildReplyReports([A], found, settings).get(A)).toMatchObject({
			replied: false,
			autoReplied: true,
		});
		expect(
			buildReplyReports([A], found, { ...settings, countAutoReplies: true }).get(A),
		).toMatchObject({ replied: true, autoReplied: true });
	});

	it('a delivery report is a bounce of the message it is about, never a reply; the first failure wins', () => {
		const failure = {
			recipient: 'x@example.org',
			status: '5.1.1',
			diagnostic: '550 no',
			permanent: true,
		};
		const reports = buildReplyReports(
			[A, B],
			[
				message({
					answers: [A],
					date: '2026-11-04T00:00:00.000Z',
					deliveryReport: { about: [A], failure, ...fromMailSystem },
				}),
				message({
					date: '2026-11-05T00:00:00.000Z',
					deliveryReport: {
						about: [A],
						failure: { ...failure, status: '5.2.2' },
						...fromMailSystem,
					},
				}),
				message({ deliveryReport: { about: [B], ...fromMailSystem } }),
			],
			settings,
		);
		expect(reports.get(A)).toMatchObject({ bounced: true, bounce: failure, replied: false });
		// A delay report about B is no bounce.
		expect(reports.get(B)).toMatchObject({ bounced: false, bounce: null });
	});

	it('a failure report from someone who is no mail system is only a suspected bounce, never a bounce or a reply', () => {
		const failure = {
			recipient: 'x@example.org',
			status: '5.1.1',
			diagnostic: '550 no',
			permanent: true,
		};
		const forged = message({
			messageId: '<forged@evil.example>',
			fromAddress: 'mallory@evil.example',
			answers: [A],
			deliveryReport: {
				about: [A],
				failure,
				fromMailSystem: false,
				returnPath: '<mallory@evil.example>',
			},
		});
		expect(buildReplyReports([A], [forged], settings).get(A)).toEqual({
			...nothingAbout(A),
			suspectedBounce: {
				...failure,
				from: 'mallory@evil.example',
				returnPath: '<mallory@evil.example>',
				messageId: '<forged@evil.example>',
				date: '2026-11-03T10:00:00.000Z',
			},
		});
		// A genuine bounce next to it is still a bounce.
		const genuine = message({ deliveryReport: { about: [A], failure, ...fromMailSystem } });
		expect(buildReplyReports([A], [forged, genuine], settings).get(A)).toMatchObject({
			bounced: true,
			bounce: failure,
			suspectedBounce: { from: 'mallory@evil.example' },
		});
	});

	it('the same message found twice counts once', () => {
		const reply = message({ messageId: '<r@x>', answers: [A] });
		expect(buildReplyReports([A], [reply, { ...reply }], settings).get(A)!.replies).toHaveLength(1);
	});
});

describe('firstLines', () => {
	it.each([
		['Thanks!\n\nSee you Friday.', 5, 'Thanks!\nSee you Friday.'],
		['Yes.\nOn Tue, 3 Nov 2026, Acme <a@b.c> wrote:\n> Hi\n> there', 5, 'Yes.'],
		['One\nTwo\nThree', 2, 'One\nTwo'],
		['Four lines\nexactly\nhere\nOn Tue, Ada wrote:\n> quoted', 3, 'Four lines\nexactly\nhere'],
		['> only a quote', 5, ''],
		['', 5, ''],
	])('%j, %i lines → %j', (text, count, expected) => {
		expect(firstLines(text, count)).toBe(expected);
	});

	it('is cut at 1000 characters', () => {
		expect(firstLines('x'.repeat(5000), 5)).toHaveLength(1000);
	});
});
