import type { Failure } from '../GmailSmtpError';

/** Where the failed exchange went: named in what the user is told. */
export interface ConnectionContext {
	host: string;
	port: number;
	security: 'tls' | 'starttls';
}

/** What the rules look at: nodemailer's fields, with the enhanced status read from the reply. */
export interface SmtpReply {
	code?: string;
	/** Node's or OpenSSL's code under nodemailer's (`ECONNREFUSED`, `ERR_SSL_…`, certificate codes). */
	lowLevel?: string;
	responseCode?: number;
	status?: string;
	command?: string;
}

/** A failure as a rule gives it; the classifier adds the codes and the server's reply. */
export type FailureText = Omit<Failure, 'code' | 'responseCode'>;

export interface Rule {
	/** The reply this rule answers, as in the reply table of DESIGN.md. */
	reply: string;
	matches(reply: SmtpReply): boolean;
	failure: FailureText | ((reply: SmtpReply, context: ConnectionContext) => FailureText);
}

/** A failure a later try may not meet: nothing about the message itself is wrong. */
export function transient(title: string, description: string): FailureText {
	return { kind: 'transient', retryable: true, stopsAccount: false, title, description };
}
