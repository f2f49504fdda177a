import { DEFAULT_REPLY_TEXT_LINES } from '../defaults';
import type { Bounce } from './deliveryStatus';
import type { ReadMessage } from './readMessage';

/** One answer as the output shows it. */
export interface Reply {
	from: string;
	date: string | null;
	subject: string;
	messageId: string | null;
	/** The first lines of the new text, without the quoted message below it. */
	text: string;
}

/**
 * A delivery report about the message from a sender that is not a mail system: what it claims,
 * and who sent it. Never counted as a bounce.
 */
export interface SuspectedBounce extends Bounce {
	/** The report's sender (From), in lower case. */
	from: string;
	/** Its topmost Return-Path as stored, null when it has none. */
	returnPath: string | null;
	messageId: string | null;
	date: string | null;
}

/** What Check Replies and Bounces says about one earlier message. */
export interface ReplyReport {
	messageId: string;
	replied: boolean;
	replies: Reply[];
	/** Out-of-office and other automatic answers; replies only with Count Auto-Replies. */
	autoReplied: boolean;
	autoReplies: Reply[];
	/** A delivery report from a mail system said the message failed (see {@link Bounce}). */
	bounced: boolean;
	bounce: Bounce | null;
	/** The first report that looks like a bounce but was not sent by a mail system. */
	suspectedBounce: SuspectedBounce | null;
}

export interface ReportSettings {
	/** The account and its send-as aliases, in lower case: their messages are not replies. */
	ownAddresses: ReadonlySet<string>;
	countAutoReplies: boolean;
	textLines: number;
}

export const REPORT_DEFAULTS = {
	countAutoReplies: false,
	textLines: DEFAULT_REPLY_TEXT_LINES,
} as const;

const MAX_TEXT_LENGTH = 1000;

/**
 * Sorts the messages found into a report per Message-ID: a delivery report about it from a mail
 * system is a bounce (from anyone else, a suspected bounce);
 * a message from someone else whose In-Reply-To or References holds it is a reply (or an
 * automatic answer). Messages that only mention the ID elsewhere count for nothing.
 */
export function buildReplyReports(
	messageIds: readonly string[],
	messages: readonly ReadMessage[],
	settings: ReportSettings,
): Map<string, ReplyReport> {
	const reports = new Map<string, ReplyReport>();
	for (const messageId of messageIds) {
		reports.set(messageId, {
			messageId,
			replied: false,
			replies: [],
			autoReplied: false,
			autoReplies: [],
			bounced: false,
			bounce: null,
			suspectedBounce: null,
		});
	}
	const ordered = [...messages].sort((a, b) => (a.date ?? '').localeCompare(b.date ?? ''));
	const seen = new Set<string>();
	for (const message of ordered) {
		// The same message can be found twice (as an answer and by its report body): count it once.
		if (message.messageId) {
			if (seen.has(message.messageId)) continue;
			seen.add(message.messageId);
		}
		if (message.deliveryReport) {
			const { failure, about, fromMailSystem, returnPath } = message.deliveryReport;
			for (const report of about.map((id) => reports.get(id))) {
				if (!failure || !report) continue;
				if (fromMailSystem && !report.bounce) {
					report.bounced = true;
					report.bounce = { ...failure };
				} else if (!fromMailSystem && !report.suspectedBounce) {
					report.suspectedBounce = {
						...failure,
						from: message.fromAddress,
						returnPath,
						messageId: message.messageId ?? null,
						date: message.date ?? null,
					};
				}
			}
			continue;
		}
		if (settings.ownAddresses.has(message.fromAddress)) continue;
		if (message.messageId && reports.has(message.messageId)) continue;
		for (const id of message.answers) {
			const report = reports.get(id);
			if (!report) continue;
			const reply = toReply(message, settings.textLines);
			if (message.automatic) report.autoReplies.push(reply);
			if (!message.automatic || settings.countAutoReplies) report.replies.push({ ...reply });
		}
	}
	for (const report of reports.values()) {
		report.replied = report.replies.length > 0;
		report.autoReplied = report.autoReplies.length > 0;
	}
	return reports;
}

function toReply(message: ReadMessage, textLines: number): Reply {
	return {
		from: message.fromAddress,
		date: message.date ?? null,
		subject: message.subject,
		messageId: message.messageId ?? null,
		text: firstLines(message.text, textLines),
	};
}

/** The first lines someone wrote, stopping where the quoted earlier message begins. */
export function firstLines(text: string, count: number): string {
	const lines: string[] = [];
	for (const line of text.split(/\r?\n/)) {
		if (line.trimStart().startsWith('>')) {
			// "On Tue, 3 Nov 2026 at 10:00, Ada <ada@example.com> wrote:" introduces the quote.
			if (lines.length > 0 && lines[lines.length - 1].endsWith(':')) lines.pop();
			break;
		}
		if (line.trim()) lines.push(line.trimEnd());
		if (lines.length > count) break;
	}
	const joined = lines.slice(0, count).join('\n');
	return joined.length > MAX_TEXT_LENGTH ? `${joined.slice(0, MAX_TEXT_LENGTH - 1)}…` : joined;
}
