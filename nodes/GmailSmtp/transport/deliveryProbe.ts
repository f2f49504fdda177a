// How far a message got on its connection, told by the connection's own transaction log: the one
// fact that decides whether a failed message may be sent again (see delivery/retryPolicy.ts).

/** A failed send, with what is known about how far the message got. */
export class SendAttemptError extends Error {
	constructor(
		readonly cause: unknown,
		/**
		 * How far the message got on its connection: `connection` (it never reached a logged-in
		 * connection), `envelope` (MAIL FROM was written: a connection the server had closed is
		 * found out here) or `body` (the server answered DATA with 354: the body may have reached it).
		 */
		readonly reached: DeliveryStage,
		readonly messageId: string,
	) {
		super('SMTP send failed');
		this.name = 'SendAttemptError';
	}
}

export const PROBE_KEY = 'gmailSmtpDeliveryProbe';

export type DeliveryStage = 'connection' | 'envelope' | 'body';

/** Carried with a message through nodemailer; the connection that sends it moves it on. */
export interface DeliveryProbe {
	reached: DeliveryStage;
}

/**
 * Reads one connection's commands and replies (never their arguments' secrets: nodemailer logs
 * AUTH masked). A message is claimed when its MAIL FROM is written; once the server answers DATA
 * with 354, its body may reach the server, and only from then on is a broken connection
 * "uncertain". With PIPELINING, MAIL, RCPT and DATA go out together, but the body still waits
 * for the 354.
 */
export function transactionWatcher(claimStartingMessage: () => DeliveryProbe | undefined) {
	let current: DeliveryProbe | undefined;
	const observe = (entry: { tnx?: string } | undefined, line: unknown) => {
		const text = String(line);
		if (entry?.tnx === 'client' && /^MAIL FROM:/i.test(text)) {
			current = claimStartingMessage();
			if (current) current.reached = 'envelope';
		} else if (entry?.tnx === 'server' && text.startsWith('354') && current) {
			current.reached = 'body';
		}
	};
	const ignore = () => undefined;
	return {
		debug: observe,
		trace: ignore,
		info: ignore,
		warn: ignore,
		error: ignore,
		fatal: ignore,
	};
}
