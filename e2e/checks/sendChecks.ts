// Sending in real n8n: Manual Trigger → Code → Gmail SMTP over implicit TLS and STARTTLS with the
// certificate verified, a CA the credential does not trust refused, and the example workflows
// that finish under `n8n execute` (the CRM wait shortened to one second).
import type { SmtpTestServer } from '../../testkit/smtpTestServer';
import { check } from '../check';
import { nodeOutput, type ExecuteWorkflow, type OutputItem } from '../n8n/execution';
import { gmailSmtp, jsonItems, manualTrigger, workflow, type Workflow } from '../workflow';

const PEOPLE = [
	{ email: 'ada@example.com', firstName: 'Ada' },
	{ email: '"Hopper, Grace" <grace@example.com>', firstName: 'Grace' },
	{ email: 'alan@example.com', firstName: 'Alan <the> "codebreaker"' },
	{ email: 'katherine@example.com', firstName: 'Katherine' },
	{ email: 'edsger@example.com', firstName: 'Edsger' },
];

/** Manual Trigger → Code (the PEOPLE items) → Gmail SMTP, with the given credential. */
export function sendWorkflow(id: string, credentialId: string): Workflow {
	return workflow(id, [
		manualTrigger(),
		jsonItems('People', PEOPLE),
		gmailSmtp('Gmail SMTP', credentialId, {
			operation: 'send',
			toEmail: '={{ $json.email }}',
			subject: 'Hi {{firstName}}',
			html: '<p>Hello {{firstName}}, this came through a real n8n.</p>',
			text: 'Hello {{firstName}}',
		}),
	]);
}

/** Every output item's messageId is the Message-ID of exactly one received message. */
function checkMessageIds(items: OutputItem[], server: SmtpTestServer, label: string): void {
	check(items.length > 0, `${label}: the Gmail SMTP node returned no items`);
	for (const [index, item] of items.entries()) {
		check(
			typeof item.messageId === 'string',
			`${label}: item ${index} has no messageId: ${JSON.stringify(item)}`,
		);
		const received = server.messages.filter((message) => message.messageId === item.messageId);
		check(
			received.length === 1,
			`${label}: item ${index} messageId ${item.messageId} matches ${received.length} received messages (received: ${server.messages.map((message) => message.messageId).join(', ')})`,
		);
	}
}

/** The message the server received with this Message-ID. */
function received(server: SmtpTestServer, messageId: string | undefined) {
	const message = server.messages.find((candidate) => candidate.messageId === messageId);
	check(message, `no message ${messageId} reached the server`);
	return message;
}

/** The items of a node that ran; fails the check when it did not run. */
function outputOf(items: OutputItem[] | undefined, nodeName: string): OutputItem[] {
	check(items, `${nodeName} did not run`);
	return items;
}

/** A recipient of an output item (its envelope), for the checks that sort them. */
const recipient = (item: OutputItem) => item.envelope?.to[0];

/** Send over TLS and STARTTLS, the untrusted CA, and the examples run with `n8n execute`. */
export function sendCases({
	execute,
	tlsServer,
	startTlsServer,
}: {
	execute: ExecuteWorkflow;
	tlsServer: SmtpTestServer;
	startTlsServer: SmtpTestServer;
}): Array<[label: string, server: SmtpTestServer, run: () => Promise<void>]> {
	const sendsToPeople = (label: string, workflowId: string, server: SmtpTestServer) => async () => {
		const { execution } = await execute(workflowId);
		const items = outputOf(nodeOutput(execution, 'Gmail SMTP'), 'Gmail SMTP');
		check(
			items.length === PEOPLE.length,
			`expected ${PEOPLE.length} output items, got ${items.length}`,
		);
		check(
			server.messages.length === PEOPLE.length,
			`server received ${server.messages.length} messages`,
		);
		checkMessageIds(items, server, label);
		for (const [index, person] of PEOPLE.entries()) {
			const message = received(server, items[index].messageId);
			check(
				message.parsed.subject === `Hi ${person.firstName}`,
				`item ${index}: subject "${message.parsed.subject}" is not the rendered Handlebars template`,
			);
			check(
				message.envelope.to.length === 1 && person.email.includes(message.envelope.to[0]),
				`item ${index}: sent to ${message.envelope.to} instead of ${person.email}`,
			);
		}
		const escaped = String(received(server, items[2].messageId).parsed.html);
		check(
			escaped.includes('Alan &lt;the&gt; &quot;codebreaker&quot;'),
			`item data not HTML-escaped: ${escaped}`,
		);
	};
	return [
		[
			'implicit TLS (465 style), certificate verified against the test CA',
			tlsServer,
			sendsToPeople('implicit TLS (465 style)', 'e2eTls', tlsServer),
		],
		[
			'STARTTLS (587 style), certificate verified against the test CA',
			startTlsServer,
			sendsToPeople('STARTTLS (587 style)', 'e2eStartTls', startTlsServer),
		],
		[
			'a server certificate that the credential does not trust is refused',
			tlsServer,
			async () => {
				const { error, result } = await execute('e2eUntrusted', { expectFailure: true });
				check(result.code !== 0 && error, `the workflow did not fail (exit ${result.code})`);
				const text = `${error.message} ${error.description ?? ''}`;
				check(/certificate/i.test(text), `the error does not name the certificate: ${text}`);
				check(
					tlsServer.messages.length === 0,
					`${tlsServer.messages.length} messages were sent anyway`,
				);
			},
		],
		[
			'example: order notification (MJML, CSS inlined)',
			tlsServer,
			async () => {
				const { execution } = await execute('gmailSmtpOrders');
				const items = outputOf(
					nodeOutput(execution, 'Send order confirmation'),
					'Send order confirmation',
				);
				check(items.length === 3, `expected 3 confirmations, got ${items.length}`);
				checkMessageIds(items, tlsServer, 'order notification');
				const subjects = tlsServer.messages.map((message) => message.parsed.subject).sort();
				check(subjects[0] === 'Your order A-1042 is confirmed, Ada', `subjects: ${subjects}`);
				// The example's HTML is MJML: compiled in n8n, its <mj-style> inlined, media query kept.
				const html = String(received(tlsServer, items[0].messageId).parsed.html);
				check(
					/<td style="[^"]*border-bottom: 1px solid #e8eaed;[^"]*">1 × Analytical Engine poster</.test(
						html,
					) && html.includes('@media only screen and (max-width: 480px)'),
					`order notification: the MJML confirmation arrived without inlined styles or media query: ${html.slice(0, 300)}`,
				);
			},
		],
		[
			'example: CRM follow-up (wait shortened to 1 s)',
			tlsServer,
			async () => {
				const { execution } = await execute('gmailSmtpCrmFollowUp');
				const first = outputOf(nodeOutput(execution, 'First email'), 'First email');
				const followUps = outputOf(nodeOutput(execution, 'Follow-up'), 'Follow-up');
				check(first.length === 3, `expected 3 first emails, got ${first.length}`);
				check(
					followUps.length === 2,
					`expected 2 follow-ups (one lead replied), got ${followUps.length}`,
				);
				checkMessageIds([...first, ...followUps], tlsServer, 'CRM follow-up');
				const followUpTo = followUps.map(recipient).sort();
				check(
					followUpTo.join() === 'lin.chen@example.com,sofia.rossi@example.com',
					`follow-ups went to ${followUpTo}`,
				);
				// Threaded: each follow-up answers the first email to the same lead, with its subject.
				for (const followUp of followUps) {
					const answer = received(tlsServer, followUp.messageId);
					const firstToLead = first.find((item) => recipient(item) === recipient(followUp));
					check(firstToLead, `no first email to ${recipient(followUp)}`);
					const firstReceived = received(tlsServer, firstToLead.messageId);
					check(
						answer.parsed.inReplyTo === firstToLead.messageId,
						`follow-up In-Reply-To ${answer.parsed.inReplyTo}, expected ${firstToLead.messageId}`,
					);
					check(
						answer.parsed.subject === `Re: ${firstReceived.parsed.subject}`,
						`follow-up subject ${answer.parsed.subject}`,
					);
				}
			},
		],
		[
			'example: daily digest',
			tlsServer,
			async () => {
				const { execution } = await execute('gmailSmtpDailyDigest');
				const items = outputOf(nodeOutput(execution, 'Send digest'), 'Send digest');
				check(items.length === 1, `expected one digest, got ${items.length}`);
				checkMessageIds(items, tlsServer, 'daily digest');
				const subject = tlsServer.messages[0].parsed.subject;
				check(subject === '3 orders yesterday', `digest subject: ${subject}`);
				check(
					items[0].envelope?.to.join() === 'owner@example.com',
					`digest went to ${items[0].envelope?.to}`,
				);
			},
		],
	];
}
