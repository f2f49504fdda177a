import { hardBouncedRecipients } from '../../../nodes/GmailSmtp/replies/hardBounces';
import type { ReadMessage } from '../../../nodes/GmailSmtp/replies/readMessage';

const A = '<a@example.com>';
const B = '<b@example.com>';
const failure = { recipient: 'x@example.org', status: '5.1.1', diagnostic: '', permanent: true };

function report(
	about: string[],
	hardBounced: string[] | undefined,
	fromMailSystem = true,
	date?: string,
): ReadMessage {
	return {
		messageId: `<${Math.random()}@mx.example.org>`,
		...(date && { date }),
		fromAddress: fromMailSystem ? 'mailer-daemon@mx.example.org' : 'mallory@evil.example',
		subject: 'Undelivered Mail Returned to Sender',
		answers: [],
		automatic: true,
		text: '',
		deliveryReport: {
			about,
			failure,
			...(hardBounced && { hardBounced }),
			fromMailSystem,
			returnPath: fromMailSystem ? '<>' : '<mallory@evil.example>',
		},
	};
}

describe('hardBouncedRecipients', () => {
	it('every ID asked gets a list; the addresses of every genuine report about it, once each', () => {
		const found = hardBouncedRecipients(
			[A, B],
			[
				report([A], ['x@example.org']),
				report([A], ['y@example.org', 'x@example.org']),
				// A soft bounce (4.x.x), or a report only about a delay, names no address.
				report([B], undefined),
			],
		);
		expect([...found]).toEqual([
			[A, [{ address: 'x@example.org' }, { address: 'y@example.org' }]],
			[B, []],
		]);
	});

	it("each address carries the date of the newest report naming it (a removal's yardstick)", () => {
		const found = hardBouncedRecipients(
			[A],
			[
				report([A], ['x@example.org'], true, '2026-12-03T10:00:00.000Z'),
				report([A], ['x@example.org', 'y@example.org'], true, '2026-12-04T10:00:00.000Z'),
				report([A], ['x@example.org'], true, '2026-12-02T10:00:00.000Z'),
				report([A], ['z@example.org']),
			],
		);
		expect(found.get(A)).toEqual([
			{ address: 'x@example.org', reportedAt: '2026-12-04T10:00:00.000Z' },
			{ address: 'y@example.org', reportedAt: '2026-12-04T10:00:00.000Z' },
			{ address: 'z@example.org' },
		]);
	});

	it('a report from anyone but a mail system (a suspected bounce) names nobody', () => {
		expect(hardBouncedRecipients([A], [report([A], ['x@example.org'], false)]).get(A)).toEqual([]);
	});

	it('an out-of-office or a reply names nobody; a report about another message neither', () => {
		const outOfOffice: ReadMessage = {
			messageId: '<oof@lead.example>',
			fromAddress: 'x@example.org',
			subject: 'Automatic reply',
			answers: [A],
			automatic: true,
			text: 'Away',
		};
		expect(
			hardBouncedRecipients([A], [outOfOffice, report(['<c@example.com>'], ['z@example.org'])]),
		).toEqual(new Map([[A, []]]));
	});
});
