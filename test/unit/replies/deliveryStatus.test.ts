import { readDeliveryStatus } from '../../../nodes/GmailSmtp/replies/deliveryStatus';

const status = (...groups: string[]) => Buffer.from(groups.join('\r\n\r\n'));

describe('readDeliveryStatus (RFC 3464 fields)', () => {
	it.each([
		[
			"Gmail's mailer-daemon",
			status(
				'Reporting-MTA: dns; googlemail.com\r\nArrival-Date: Tue, 03 Nov 2026 10:00:00 -0800',
				"Final-Recipient: rfc822; nobody@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\nRemote-MTA: dns; mx.example.org. (192.0.2.1, the server for the domain example.org.)\r\nDiagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n 550-5.1.1 double-checking the recipient's email address for typos.",
			),
			{
				recipient: 'nobody@example.org',
				status: '5.1.1',
				diagnostic:
					"550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient's email address for typos.",
				permanent: true,
			},
			['nobody@example.org'],
		],
		[
			'the second recipient failed, the first was delivered',
			status(
				'Reporting-MTA: dns; mx.example.org',
				'Final-Recipient: rfc822; ada@example.org\r\nAction: delivered\r\nStatus: 2.0.0',
				'Final-Recipient: rfc822;bob@example.org\r\nAction: failed\r\nStatus: 5.2.2 (mailbox full)\r\nDiagnostic-Code: smtp; 552 5.2.2 Mailbox full',
			),
			{
				recipient: 'bob@example.org',
				status: '5.2.2',
				diagnostic: '552 5.2.2 Mailbox full',
				permanent: true,
			},
			['bob@example.org'],
		],
		[
			'only an Original-Recipient, no diagnostic',
			status(
				'Reporting-MTA: dns; mx.example.org',
				'Original-Recipient: rfc822; carol@example.org\r\nAction: failed\r\nStatus: 5.4.4',
			),
			{ recipient: 'carol@example.org', status: '5.4.4', diagnostic: '', permanent: true },
			['carol@example.org'],
		],
		[
			'given up after retrying a transient failure (a soft bounce)',
			status(
				'Reporting-MTA: dns; mx.example.org',
				'Final-Recipient: rfc822; dan@example.org\r\nAction: failed\r\nStatus: 4.4.7\r\nDiagnostic-Code: smtp; 452 4.2.2 Mailbox full',
			),
			{
				recipient: 'dan@example.org',
				status: '4.4.7',
				diagnostic: '452 4.2.2 Mailbox full',
				permanent: false,
			},
			undefined,
		],
		[
			'no valid status: the SMTP reply tells',
			status(
				'Reporting-MTA: dns; mx.example.org',
				'Final-Recipient: rfc822; eve@example.org\r\nAction: failed\r\nStatus: unknown\r\nDiagnostic-Code: smtp; 421 Try again later',
			),
			{
				recipient: 'eve@example.org',
				status: 'unknown',
				diagnostic: '421 Try again later',
				permanent: false,
			},
			undefined,
		],
	])('%s', async (_, content, failure, hardBounced) => {
		expect(await readDeliveryStatus(content)).toEqual(
			hardBounced ? { failure, hardBounced } : { failure },
		);
	});

	it('a delay warning (Action: delayed, 4.x.x) is no failure', async () => {
		const report = await readDeliveryStatus(
			status(
				'Reporting-MTA: dns; mx.example.org',
				'Final-Recipient: rfc822; ada@example.org\r\nAction: delayed\r\nStatus: 4.4.1\r\nWill-Retry-Until: Fri, 6 Nov 2026 10:00:00 +0000',
			),
		);
		expect(report).toEqual({});
	});

	describe('hardBounced: the addresses that failed for good, from the per-recipient fields', () => {
		it('every recipient with Action failed and a 5.x.x status, never a delivered, delayed or 4.x.x one', async () => {
			const report = await readDeliveryStatus(
				status(
					'Reporting-MTA: dns; mx.example.org',
					'Final-Recipient: rfc822; ada@example.org\r\nAction: delivered\r\nStatus: 2.0.0',
					'Final-Recipient: rfc822; dan@example.org\r\nAction: failed\r\nStatus: 4.4.7',
					'Final-Recipient: rfc822; Bob@Example.org\r\nAction: failed\r\nStatus: 5.1.1',
					'Final-Recipient: rfc822; fay@example.org\r\nAction: delayed\r\nStatus: 4.4.1',
					'Final-Recipient: rfc822; gus@example.org\r\nAction: failed\r\nStatus: 5.2.1',
					// 5.x.x without Action: failed is a failure to report, not one to act on.
					'Final-Recipient: rfc822; hal@example.org\r\nAction: relayed\r\nStatus: 5.0.0',
				),
			);
			expect(report.failure?.recipient).toBe('dan@example.org');
			expect(report.hardBounced).toEqual(['bob@example.org', 'gus@example.org']);
		});

		it('the Original-Recipient (the address mailed) before the Final-Recipient an alias rewrote it to', async () => {
			const report = await readDeliveryStatus(
				status(
					'Reporting-MTA: dns; mx.example.org',
					'Original-Recipient: rfc822;Sales@Example.org\r\nFinal-Recipient: rfc822; bob.internal@example.org\r\nAction: failed\r\nStatus: 5.1.1',
				),
			);
			expect(report.failure?.recipient).toBe('bob.internal@example.org');
			expect(report.hardBounced).toEqual(['sales@example.org']);
		});

		it.each([
			['an address type other than rfc822', 'x400; c=US;a=;p=Example;o=Sales;s=Bob'],
			['no address at all', 'rfc822; undisclosed recipients'],
			['two addresses', 'rfc822; a@example.org, b@example.org'],
			['a name around it', 'rfc822; Bob <bob@example.org>'],
		])('%s names no address', async (_, recipient) => {
			const report = await readDeliveryStatus(
				status(
					'Reporting-MTA: dns; mx.example.org',
					`Final-Recipient: ${recipient}\r\nAction: failed\r\nStatus: 5.1.1`,
				),
			);
			expect(report.failure?.permanent).toBe(true);
			expect(report.hardBounced).toBeUndefined();
		});

		it('an Original-Recipient that is no address falls back to the Final-Recipient', async () => {
			const report = await readDeliveryStatus(
				status(
					'Reporting-MTA: dns; mx.example.org',
					'Original-Recipient: unknown; sales\r\nFinal-Recipient: rfc822; <sales@example.org>\r\nAction: failed\r\nStatus: 5.1.1',
				),
			);
			expect(report.hardBounced).toEqual(['sales@example.org']);
		});
	});
});
