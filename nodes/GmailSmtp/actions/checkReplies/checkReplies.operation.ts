import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { connectTimeoutMs, DEFAULT_SEARCH_DAYS } from '../../defaults';
import { DAY_MS } from '../../durations';
import {
	classifyImapError,
	classifySearchError,
	type ImapContext,
} from '../../errors/classifyImapError';
import type { FailureOutput } from '../../errors/failureOutput';
import { failureOf, GmailSmtpError, inputError, type Failure } from '../../errors/GmailSmtpError';
import { hasLineBreak } from '../../fieldText';
import { MAX_HEADER_LINE_LENGTH } from '../../message/headers';
import { normalizeMessageId } from '../../message/threading';
import { readMessage, type ReadMessage } from '../../replies/readMessage';
import { hardBouncedRecipients, type HardBounce } from '../../replies/hardBounces';
import { buildReplyReports, REPORT_DEFAULTS, type ReplyReport } from '../../replies/replyReport';
import { assertImapUsable, type GmailSmtpCredentials } from '../../transport/gmailSmtpCredentials';
import { openMailbox } from '../../transport/imapMailbox';
import { itemParameterReader } from '../shared/itemParameters';
import {
	readBounceSuppression,
	suppressHardBounces,
	type SuppressedBounces,
} from './suppressHardBounces';

export interface CheckRepliesOptions {
	searchDays?: number;
	mailbox?: string;
	countAutoReplies?: boolean;
	ownAddresses?: string;
	textLines?: number;
	connectTimeoutSeconds?: number;
	suppressHardBounces?: boolean;
	suppressionList?: string;
}

// No longer Message-ID can have been sent: it has to fit on one header line.
const MAX_MESSAGE_ID_LENGTH = MAX_HEADER_LINE_LENGTH;
const CONTINUE_ON_FAIL_HINT =
	"The other items were searched. To get their answers, and an error item for this one, set this node's Settings → On Error to Continue.";

type ItemCheck = { itemIndex: number; messageId: string } | { itemIndex: number; failure: Failure };

/**
 * One report per input item, in order and paired with it: was the earlier message answered, by
 * whom, or did it bounce. One read-only IMAP connection and a few batched searches serve every
 * item of the execution.
 */
export async function execute(
	this: IExecuteFunctions,
	credentials: GmailSmtpCredentials,
	failures: FailureOutput,
): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const parameters = itemParameterReader(this);
	const options = parameters.once<CheckRepliesOptions>('checkOptions', {});
	const continueOnFail = this.continueOnFail();
	const context: ImapContext = { ...credentials, mailbox: options.mailbox };
	const imapFailure = (error: unknown) =>
		failureOf(error, (other) => classifyImapError(other, context));
	const suppression = readBounceSuppression(credentials, options);

	// Every item's Message-ID is checked before connecting: a bad one stops the run (naming the
	// item) without a login, or becomes that item's error item.
	const checks: ItemCheck[] = items.map((_, itemIndex) => {
		try {
			return {
				itemIndex,
				messageId: readMessageId(parameters.forItem('messageId', itemIndex, '')),
			};
		} catch (error) {
			const failure = imapFailure(error);
			if (!continueOnFail) throw failures.stop(failure, itemIndex);
			return { itemIndex, failure };
		}
	});

	const wanted = [
		...new Set(checks.flatMap((check) => ('messageId' in check ? [check.messageId] : []))),
	];
	let found: FoundReplies = { reports: new Map(), failed: new Map(), hardBounces: new Map() };
	let searchFailure: Failure | undefined;
	if (wanted.length > 0) {
		try {
			found = await findReplies(credentials, wanted, options);
		} catch (error) {
			searchFailure = imapFailure(error);
			const first = checks.find((check) => 'messageId' in check);
			if (!continueOnFail) throw failures.stop(searchFailure, first!.itemIndex);
		}
	}
	// A Message-ID whose search did not complete fails its items, never reads as "no reply".
	const failureFor = (messageId: string): Failure | undefined => {
		if (!found.failed.has(messageId)) return undefined;
		const error = found.failed.get(messageId);
		return failureOf(error, (other) => classifySearchError(other, context, messageId));
	};
	if (!continueOnFail) {
		for (const check of checks) {
			const failure = 'messageId' in check ? failureFor(check.messageId) : undefined;
			if (failure) throw failures.stop(failure, check.itemIndex, CONTINUE_ON_FAIL_HINT);
		}
	}
	// Written once every search is known to have completed (or to fail its own items).
	let suppressed: SuppressedBounces | undefined;
	if (suppression) {
		suppressed = await suppressHardBounces(suppression, found.hardBounces);
		const failed = suppressed.ok ? undefined : suppressed.failure;
		if (failed && !continueOnFail) {
			const first = checks.find(
				(check) => 'messageId' in check && found.hardBounces.has(check.messageId),
			)!;
			throw failures.stop(failed, first.itemIndex, CONTINUE_ON_FAIL_HINT);
		}
	}

	return checks.map((check): INodeExecutionData => {
		const pairedItem = { item: check.itemIndex };
		if ('failure' in check) return { json: failures.errorItem(check.failure), pairedItem };
		const failure = searchFailure ?? failureFor(check.messageId);
		const report = found.reports.get(check.messageId);
		if (failure || !report) {
			return { json: failures.errorItem(failure ?? notSearched()), pairedItem };
		}
		// Items that carry the same Message-ID each get a copy of their own: a later node that
		// changes one item's output does not change another's.
		const json = structuredClone(report) as unknown as IDataObject;
		if (suppressed) {
			const addresses = suppressed.addresses.get(check.messageId) ?? [];
			if (!suppressed.ok && addresses.length > 0) {
				return {
					json: failures.errorItem({ ...suppressed.failure, messageId: check.messageId }),
					pairedItem,
				};
			}
			json.suppressed = [...addresses];
		}
		return { json, pairedItem };
	});
}

interface FoundReplies {
	/** A report for every Message-ID searched completely. */
	reports: Map<string, ReplyReport>;
	/** The Message-IDs whose search did not complete, with the error that stopped it. */
	failed: Map<string, unknown>;
	/** The Message-IDs searched completely that hard-bounced, with the addresses that failed. */
	hardBounces: Map<string, HardBounce[]>;
}

async function findReplies(
	credentials: GmailSmtpCredentials,
	messageIds: string[],
	options: CheckRepliesOptions,
): Promise<FoundReplies> {
	assertImapUsable(credentials);
	const searchDays = Math.max(0, Math.floor(options.searchDays ?? DEFAULT_SEARCH_DAYS));
	const mailbox = await openMailbox(credentials, {
		mailbox: options.mailbox,
		connectTimeoutMs: connectTimeoutMs(options.connectTimeoutSeconds),
	});
	let messages: ReadMessage[];
	let failed: Map<string, unknown>;
	try {
		const candidates = await mailbox.candidates({
			messageIds,
			since: searchDays > 0 ? new Date(Date.now() - searchDays * DAY_MS) : undefined,
		});
		failed = candidates.failed;
		// A message that cannot be read may be the reply: the IDs it may concern fail (those its
		// text names, when it names any of its search's), the others of the run are answered.
		const read = await Promise.all(
			candidates.messages.map(({ uid, source, concerns }) =>
				readMessage(source).catch((error: unknown) => {
					const named = concerns.filter((id) => source.includes(id));
					const unreadable = unreadableMessage(uid, error);
					for (const id of named.length > 0 ? named : concerns) {
						if (!failed.has(id)) failed.set(id, unreadable);
					}
					return undefined;
				}),
			),
		);
		messages = read.filter((message): message is ReadMessage => message !== undefined);
	} finally {
		await mailbox.close();
	}
	const searched = messageIds.filter((messageId) => !failed.has(messageId));
	const reports = buildReplyReports(searched, messages, {
		ownAddresses: ownAddresses(credentials.user, options.ownAddresses),
		countAutoReplies: options.countAutoReplies ?? REPORT_DEFAULTS.countAutoReplies,
		textLines: Math.max(1, Math.floor(options.textLines ?? REPORT_DEFAULTS.textLines)),
	});
	const hardBounces = new Map(
		[...hardBouncedRecipients(searched, messages)].filter(([, bounces]) => bounces.length),
	);
	return { reports, failed, hardBounces };
}

function unreadableMessage(uid: number, error: unknown): GmailSmtpError {
	return new GmailSmtpError({
		kind: 'message',
		retryable: false,
		stopsAccount: false,
		title: 'A message found could not be read',
		description: `The mailbox has a message (UID ${uid}) that may answer or report on this Message-ID, and it cannot be read as an email (${(error as Error).message}). It could be the reply, so the item is not answered as "no reply": look at the message in the mailbox.`,
	});
}

function readMessageId(value: unknown): string {
	if (value === undefined || value === null || (typeof value === 'string' && !value.trim())) {
		throw inputError(
			'Message ID missing',
			'This item has no Message-ID to look for. Point Message ID at the field that holds the messageId output of the earlier send (default: {{ $json.messageId }}).',
		);
	}
	if (typeof value !== 'string') {
		throw inputError(
			'Invalid Message ID',
			`Message ID must be one Message-ID as text, such as <unique-part@domain>; got ${Array.isArray(value) ? 'a list' : typeof value}.`,
		);
	}
	if (hasLineBreak(value)) {
		throw inputError(
			'Invalid Message ID',
			'Message ID contains a line break; give it on one line.',
		);
	}
	const messageId = normalizeMessageId(value, 'Message ID');
	if (messageId.length > MAX_MESSAGE_ID_LENGTH) {
		throw inputError(
			'Invalid Message ID',
			`Message ID is ${messageId.length.toLocaleString('en-US')} characters long: a Message-ID fits on one header line of at most ${MAX_MESSAGE_ID_LENGTH} characters (RFC 5322), so no email was sent with this one. Check which field Message ID points at.`,
		);
	}
	return messageId;
}

function ownAddresses(user: string, aliases = ''): Set<string> {
	return new Set(
		[user, ...aliases.split(/[\s,;]+/)]
			.map((address) => address.trim().toLowerCase())
			.filter(Boolean),
	);
}

function notSearched(): Failure {
	return {
		kind: 'unknown',
		retryable: true,
		stopsAccount: false,
		title: 'Not searched',
		description: 'The search ended before this Message-ID was looked for; run again.',
	};
}
