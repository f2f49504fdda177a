// The stop-on-reply example (examples/crm-stop-on-reply.workflow.json) in a real n8n, against a
// real mailbox: Debian's Dovecot with the local credential's user and App Password. Everything
// happens inside one `n8n execute`: as each first email reaches the local SMTP server, the
// server files it in Sent (as Gmail does with mail sent through smtp.gmail.com) and puts the
// answer into INBOX before it says 250: a reply for the first lead, a delivery status
// notification for the second, nothing for the third. The Wait is one second; then Check Replies
// and Bounces reads the mailbox over IMAP and the follow-up must go to the third lead only,
// threaded under its first email. Dovecot's own log then shows the node's single session and
// that it changed nothing. The node reaches Dovecot through the fault proxy of the IMAP tests,
// which passes everything through here; then, in the same Dovecot, a search the proxy makes
// Dovecot refuse must come out as an error item (replyRefusalChecks.ts). The example has Suppress
// Hard Bounces on: the bounced lead's address must then be on the account's suppression list (the
// embedded store in n8n's user folder), and nobody else's.
import { ImapFlow } from 'imapflow';

import { startDovecot } from '../../testkit/dovecot';
import { reservePorts } from '../../testkit/freePort';
import { startImapFaultProxy, type ImapFaultProxy } from '../../testkit/imapFaultProxy';
import { bounceFor, replyTo } from '../../testkit/mailboxMessages';
import {
	TEST_APP_PASSWORD,
	TEST_CA,
	TEST_USER,
	type ReceivedMessage,
	type SmtpTestServer,
} from '../../testkit/smtpTestServer';
import { CheckFailed, check, secondsSince, type Log } from '../check';
import {
	nodeOutput,
	type Execution,
	type ExecuteWorkflow,
	type OutputItem,
} from '../n8n/execution';
import { cleanUpOnInterrupt } from '../n8n/processes';
import type { Workflow } from '../workflow';
import { accountKey, embeddedSuppressions } from '../packageState';
import { checkReplyRefusal, replyRefusalWorkflow } from './replyRefusalChecks';

export const STOP_ON_REPLY = {
	workflowId: 'gmailSmtpStopOnReply',
	/** The leads of the example's "Leads from CRM" node, and what happens to each. */
	replied: { email: 'lin.chen@example.com', name: 'Lin Chen', company: 'Northwind' },
	bounced: { email: 'omar.haddad@example.com', company: 'Contoso' },
	silent: { email: 'sofia.rossi@example.com', company: 'Fabrikam' },
	replyId: '<CAJ9xq2LinReply0417@mail.gmail.com>',
	replyText: 'Thanks Sam, a call would help.\nTuesday at 10 works for me.',
	bounceId: '<20261104070000.B7E2F1C0A4@mx.example.com>',
};

/** The example's node names. */
const NODES = {
	first: 'First email',
	wait: 'Wait 3 days',
	check: 'Check replies and bounces',
	noReply: 'No reply and no bounce?',
	followUp: 'Follow-up',
	stop: 'Stop: replied or bounced',
};

// Dovecot's mail_log events: any of them in the node's session means it changed the mailbox.
const CHANGE_EVENT =
	/: Info: (save|copy|flag_change|expunge|delete|undelete|Mailbox created|Mailbox deleted|Mailbox renamed)\b/;

/**
 * The IMAP fields of the example credential: the address of the proxy in front of Dovecot, on a
 * port reserved now and bound by the check (the credential is imported long before Dovecot
 * starts); and the workflow of the refusal check, imported with the others.
 */
export async function stopOnReplyFixtures({ credentialId }: { credentialId: string }): Promise<{
	imapPort: number;
	credentialData: { imapHost: string; imapPort: number };
	workflows: Workflow[];
}> {
	const [imapPort] = await reservePorts(1);
	return {
		imapPort,
		credentialData: { imapHost: '127.0.0.1', imapPort },
		workflows: [replyRefusalWorkflow(credentialId)],
	};
}

function imapClient(port: number): ImapFlow {
	return new ImapFlow({
		host: '127.0.0.1',
		port,
		secure: true,
		auth: { user: TEST_USER, pass: TEST_APP_PASSWORD },
		tls: { ca: [TEST_CA] },
		logger: false,
	});
}

/**
 * Files a message the local SMTP server received: a copy in Sent, and the answer its lead's side
 * sends back (if any) in INBOX. Records what it filed, to compare with the mailbox afterwards.
 */
async function fileMessage(filer: ImapFlow, message: ReceivedMessage, filed: Filed[]) {
	const sent = await filer.append('Sent', message.raw, ['\\Seen'], new Date(message.receivedAt));
	check(sent, `appending ${message.messageId} to Sent`);
	filed.push({
		box: 'Sent',
		uid: Number(sent.uid),
		messageId: message.messageId,
		flags: ['\\Seen'],
	});
	// A follow-up: nobody answers it within this run.
	if (message.parsed.inReplyTo) return;
	const to = message.envelope.to[0];
	let answer;
	if (to === STOP_ON_REPLY.replied.email) {
		answer = {
			messageId: STOP_ON_REPLY.replyId,
			raw: replyTo({
				sent: message,
				from: `${STOP_ON_REPLY.replied.name} <${to}>`,
				to: TEST_USER,
				messageId: STOP_ON_REPLY.replyId,
				text: STOP_ON_REPLY.replyText,
			}),
		};
	} else if (to === STOP_ON_REPLY.bounced.email) {
		answer = {
			messageId: STOP_ON_REPLY.bounceId,
			raw: bounceFor({
				sent: message,
				recipient: to,
				to: TEST_USER,
				messageId: STOP_ON_REPLY.bounceId,
			}),
		};
	} else return;
	const saved = await filer.append('INBOX', answer.raw, [], new Date());
	check(saved, `appending ${answer.messageId} to INBOX`);
	filed.push({ box: 'INBOX', uid: Number(saved.uid), messageId: answer.messageId, flags: [] });
}

/**
 * Runs the example once (Wait shortened to 1 s by loadExample) and checks every step: the three
 * first emails, the reports of Check Replies and Bounces, the IF's branches, the one threaded
 * follow-up, and a mailbox the node only read.
 */
export async function checkStopOnReply({
	execute,
	server,
	imapPort,
	userFolder,
	log,
}: {
	execute: ExecuteWorkflow;
	server: SmtpTestServer;
	imapPort: number;
	userFolder: string;
	log: Log;
}): Promise<void> {
	const dovecotStarted = Date.now();
	// The test CA, which the credential trusts for SMTP too: one CA for both, as at Gmail.
	const dovecot = await startDovecot([{ user: TEST_USER, password: TEST_APP_PASSWORD }], {
		mailLog: true,
	});
	const forgetDovecot = cleanUpOnInterrupt(() => dovecot.stop());
	let filer: ImapFlow | undefined;
	let proxy: ImapFaultProxy | undefined;
	try {
		proxy = await startImapFaultProxy(dovecot.port, { port: imapPort });
		log(
			`  stop on reply: Dovecot ready on ${dovecot.port}, the node's proxy on ${proxy.port} (${secondsSince(dovecotStarted)})`,
		);
		const connected = imapClient(dovecot.port);
		filer = connected;
		connected.on('error', () => undefined);
		await connected.connect();

		const filed: Filed[] = [];
		const filingErrors: Error[] = [];
		server.onMessage = (message) =>
			fileMessage(connected, message, filed).catch((error: Error) => {
				filingErrors.push(error);
				throw error;
			});
		const logOffset = dovecot.log().length;
		const executeStarted = Date.now();
		let execution: Execution;
		try {
			({ execution } = await execute(STOP_ON_REPLY.workflowId));
		} finally {
			server.onMessage = undefined;
		}
		if (filingErrors.length > 0) {
			throw new Error(`filing into Dovecot failed: ${filingErrors[0].message}`);
		}
		const executeSeconds = secondsSince(executeStarted);

		const first = checkFirstEmails(execution, server);
		checkReports(execution, first);
		checkBranches(execution, first);
		checkFollowUp(execution, server, first);
		const suppressed = await checkBounceSuppressed(server, userFolder, first);
		const session = checkNodeSession(dovecot.log().slice(logOffset));
		await checkMailboxUnchanged(dovecot.port, filed);

		const ms = (name: string) => execution.data.resultData.runData[name]?.[0]?.executionTime ?? NaN;
		log(
			`  stop on reply: n8n execute ${executeSeconds} (boot included); in n8n: ${NODES.first} ${ms(NODES.first)} ms, ${NODES.wait} ${ms(NODES.wait)} ms, ${NODES.check} ${ms(NODES.check)} ms (one IMAP login, session ${session}), ${NODES.followUp} ${ms(NODES.followUp)} ms; ${filed.length} messages filed, none changed; on the suppression list: ${suppressed}`,
		);

		const refusalStarted = Date.now();
		const { refusals } = await checkReplyRefusal({ execute, filer: connected, proxy });
		log(
			`  a refused search: BAD to ${refusals} searches naming one Message-ID, which came out as an error item, the other two answered (${secondsSince(refusalStarted)})`,
		);
	} finally {
		server.onMessage = undefined;
		if (filer) {
			const open = filer;
			await open.logout().catch(() => open.close());
		}
		if (proxy) await proxy.close();
		await dovecot.stop();
		forgetDovecot();
	}
}

/** Three first emails, one per lead, each received by the SMTP server. By lead address. */
type Lead = 'replied' | 'bounced' | 'silent';
type FirstEmails = Record<Lead, { item: OutputItem; index: number; received: ReceivedMessage }>;

function checkFirstEmails(execution: Execution, server: SmtpTestServer): FirstEmails {
	const items = nodeOutput(execution, NODES.first) ?? [];
	check(items.length === 3, `expected 3 first emails, got ${items.length}`);
	const first: Partial<FirstEmails> = {};
	for (const lead of ['replied', 'bounced', 'silent'] as const) {
		const email = STOP_ON_REPLY[lead].email;
		const item = items.find((candidate) => candidate.envelope?.to?.[0] === email);
		check(item, `no first email to ${email}: ${JSON.stringify(items.map((i) => i.envelope))}`);
		const received = server.messages.filter((message) => message.messageId === item.messageId);
		check(
			received.length === 1,
			`first email to ${email} (${item.messageId}) reached the server ${received.length} times`,
		);
		first[lead] = { item, index: items.indexOf(item), received: received[0] };
	}
	return first as FirstEmails;
}

/** One report per lead, in the leads' order, each about that lead's first email. */
/** An item of Check Replies and Bounces. */
interface ReplyReport extends OutputItem {
	replied?: boolean;
	replies?: Array<{ from: string; messageId: string; subject: string; text: string }>;
	autoReplied?: boolean;
	autoReplies?: unknown[];
	bounced?: boolean;
	bounce?: { recipient: string; status: string; diagnostic: string } | null;
}

function checkReports(execution: Execution, first: FirstEmails): void {
	const reports = (nodeOutput(execution, NODES.check) ?? []) as ReplyReport[];
	check(reports.length === 3, `${NODES.check}: expected 3 items, got ${reports.length}`);
	const report = (lead: Lead) => {
		const found = reports[first[lead].index];
		check(
			found.messageId === first[lead].item.messageId,
			`${NODES.check} item ${first[lead].index} is about ${found.messageId}, not the first email to ${STOP_ON_REPLY[lead].email} (${first[lead].item.messageId}): ${JSON.stringify(found)}`,
		);
		return found;
	};
	const replied = report('replied');
	const [reply] = replied.replies ?? [];
	check(
		reply !== undefined &&
			replied.replied === true &&
			replied.replies?.length === 1 &&
			reply.from === STOP_ON_REPLY.replied.email &&
			reply.messageId === STOP_ON_REPLY.replyId &&
			reply.subject === `Re: ${STOP_ON_REPLY.replied.company} and Acme` &&
			reply.text === STOP_ON_REPLY.replyText &&
			replied.autoReplied === false &&
			replied.bounced === false &&
			replied.bounce === null,
		`${STOP_ON_REPLY.replied.email} replied, the report says: ${JSON.stringify(replied)}`,
	);
	const bounced = report('bounced');
	check(
		bounced.replied === false &&
			bounced.replies?.length === 0 &&
			bounced.autoReplied === false &&
			bounced.bounced === true &&
			bounced.bounce?.recipient === STOP_ON_REPLY.bounced.email &&
			bounced.bounce?.status === '5.1.1' &&
			/^550 5\.1\.1 /.test(bounced.bounce?.diagnostic ?? ''),
		`${STOP_ON_REPLY.bounced.email} bounced (5.1.1), the report says: ${JSON.stringify(bounced)}`,
	);
	// Suppress Hard Bounces is on in the example: only the 5.1.1 bounce's recipient is listed.
	for (const lead of ['replied', 'bounced', 'silent'] as const) {
		const expected = lead === 'bounced' ? [STOP_ON_REPLY.bounced.email] : [];
		const found = report(lead).suppressed;
		check(
			JSON.stringify(found) === JSON.stringify(expected),
			`${NODES.check}: ${STOP_ON_REPLY[lead].email} reports suppressed ${JSON.stringify(found)}, expected ${JSON.stringify(expected)}`,
		);
	}
	const silent = report('silent');
	check(
		silent.replied === false &&
			silent.replies?.length === 0 &&
			silent.autoReplied === false &&
			silent.autoReplies?.length === 0 &&
			silent.bounced === false &&
			silent.bounce === null,
		`${STOP_ON_REPLY.silent.email} neither replied nor bounced, the report says: ${JSON.stringify(silent)}`,
	);
}

/** The IF sends the silent lead on, the other two to the CRM update with what happened. */
function checkBranches(execution: Execution, first: FirstEmails): void {
	const onward = nodeOutput(execution, NODES.noReply, 0) ?? [];
	const stopped = nodeOutput(execution, NODES.noReply, 1) ?? [];
	check(
		onward.length === 1 && onward[0].messageId === first.silent.item.messageId,
		`${NODES.noReply} true branch: ${JSON.stringify(onward.map((item) => item.messageId))}, expected only ${first.silent.item.messageId}`,
	);
	check(stopped.length === 2, `${NODES.noReply} false branch: ${stopped.length} items, expected 2`);
	const updates = nodeOutput(execution, NODES.stop) ?? [];
	const byEmail = Object.fromEntries(
		updates.map((update) => [String(update.email), update]),
	) as Record<
		string,
		{ status?: string; reply?: string; bounce?: { status?: string } } | undefined
	>;
	check(
		updates.length === 2 &&
			byEmail[STOP_ON_REPLY.replied.email]?.status === 'replied' &&
			byEmail[STOP_ON_REPLY.replied.email]?.reply === STOP_ON_REPLY.replyText &&
			byEmail[STOP_ON_REPLY.bounced.email]?.status === 'bounced' &&
			byEmail[STOP_ON_REPLY.bounced.email]?.bounce?.status === '5.1.1',
		`${NODES.stop}: ${JSON.stringify(updates)}`,
	);
}

/**
 * The account's suppression list, read where n8n keeps it without queue mode (the embedded store in
 * its user folder, through the built package's own store): the bounced lead, with reason bounce
 * and the first email's Message-ID; the other two leads are not on it.
 */
async function checkBounceSuppressed(
	server: SmtpTestServer,
	userFolder: string,
	first: FirstEmails,
): Promise<string> {
	const leads = (['replied', 'bounced', 'silent'] as const).map(
		(lead) => STOP_ON_REPLY[lead].email,
	);
	const found = await embeddedSuppressions(
		userFolder,
		accountKey({ user: TEST_USER, host: server.host }),
		'default',
		leads,
	);
	const record = found.get(STOP_ON_REPLY.bounced.email);
	check(
		found.size === 1 &&
			record?.reason === 'bounce' &&
			record.messageId === first.bounced.item.messageId,
		`the suppression list in ${userFolder} holds ${JSON.stringify([...found])}, expected only ${STOP_ON_REPLY.bounced.email} (reason bounce, Message-ID ${first.bounced.item.messageId})`,
	);
	return `${record!.email} (${record!.reason}, ${record!.messageId})`;
}

/** One follow-up, to the silent lead, answering its first email; nothing else was sent. */
function checkFollowUp(execution: Execution, server: SmtpTestServer, first: FirstEmails): void {
	const followUps = nodeOutput(execution, NODES.followUp) ?? [];
	check(
		followUps.length === 1 && followUps[0].envelope?.to?.join() === STOP_ON_REPLY.silent.email,
		`follow-ups went to ${JSON.stringify(followUps.map((item) => item.envelope?.to))}, expected only ${STOP_ON_REPLY.silent.email}`,
	);
	const recipients = server.messages.map((message) => message.envelope.to.join()).sort();
	// A first email to each lead, and the follow-up to the silent one.
	const expected = [
		STOP_ON_REPLY.replied.email,
		STOP_ON_REPLY.bounced.email,
		STOP_ON_REPLY.silent.email,
		STOP_ON_REPLY.silent.email,
	].sort();
	check(
		recipients.join() === expected.join(),
		`the SMTP server received messages to ${recipients.join(', ')}, expected ${expected.join(', ')}`,
	);
	const received = server.messages.find((message) => message.messageId === followUps[0].messageId);
	check(received, `the follow-up ${followUps[0].messageId} never reached the SMTP server`);
	const firstId = String(first.silent.item.messageId);
	const references = ([] as string[]).concat(received.parsed.references ?? []);
	check(
		received.parsed.inReplyTo === firstId && references.includes(firstId),
		`follow-up not threaded: In-Reply-To ${received.parsed.inReplyTo}, References ${references.join(' ')}; expected ${firstId}`,
	);
	check(
		received.parsed.subject === `Re: ${first.silent.received.parsed.subject}`,
		`follow-up subject "${received.parsed.subject}", expected "Re: ${first.silent.received.parsed.subject}"`,
	);
}

/**
 * Dovecot's log of the run: exactly one login (the node's; the filer was logged in before), a
 * session without a single change event, logged out with nothing deleted or expunged.
 * Returns the node's session id.
 */
function checkNodeSession(runLog: string): string {
	const logins = [
		...runLog.matchAll(/imap-login: Info: Login: user=<([^>]*)>.*session=<([^>]+)>/g),
	];
	check(
		logins.length === 1 && logins[0][1] === TEST_USER,
		`Check Replies and Bounces: expected one IMAP login as ${TEST_USER}, Dovecot logged ${logins.length}:\n${logins.map((login) => login[0]).join('\n')}`,
	);
	const session = logins[0][2];
	const lines = runLog.split('\n').filter((line) => line.includes(`<${session}>:`));
	const changes = lines.filter((line) => CHANGE_EVENT.test(line));
	check(
		changes.length === 0,
		`the node's IMAP session changed the mailbox:\n${changes.join('\n')}`,
	);
	const logout = lines.find((line) => /Logged out/.test(line));
	check(
		logout && /deleted=0 expunged=0 trashed=0/.test(logout),
		`the node's IMAP session did not log out cleanly: ${logout ?? lines.join('\n')}`,
	);
	return session;
}

/**
 * Read back over IMAP (EXAMINE, flags only): INBOX and Sent hold exactly what was filed, under
 * the same UIDs, with the same flags (\Recent aside); no other mailbox appeared.
 */
async function checkMailboxUnchanged(port: number, filed: Filed[]): Promise<void> {
	const reader = imapClient(port);
	reader.on('error', () => undefined);
	await reader.connect();
	try {
		const boxes = (await reader.list()).map((entry) => entry.path).sort();
		check(boxes.join() === 'INBOX,Sent', `mailboxes after the run: ${boxes.join(', ')}`);
		for (const box of boxes) {
			await reader.mailboxOpen(box, { readOnly: true });
			const stored = await reader.fetchAll('1:*', { uid: true, flags: true, envelope: true });
			const now = stored
				.map(({ uid, flags, envelope }) => ({
					uid,
					messageId: envelope?.messageId,
					flags: [...(flags ?? [])].filter((flag) => flag !== '\\Recent').sort(),
				}))
				.sort((a, b) => a.uid - b.uid);
			const expected = filed
				.filter((message) => message.box === box)
				.map(({ uid, messageId, flags }) => ({ uid, messageId, flags }))
				.sort((a, b) => a.uid - b.uid);
			if (JSON.stringify(now) !== JSON.stringify(expected)) {
				throw new CheckFailed(
					`${box} changed: filed ${JSON.stringify(expected)}, now ${JSON.stringify(now)}`,
				);
			}
		}
	} finally {
		await reader.logout().catch(() => reader.close());
	}
}

/** A message filed into the mailbox, to compare it with the mailbox afterwards. */
interface Filed {
	box: string;
	uid: number;
	messageId: string | undefined;
	flags: string[];
}
