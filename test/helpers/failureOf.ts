import { GmailSmtpError, type Failure } from '../../nodes/GmailSmtp/errors/GmailSmtpError';

/** The failure `run` throws; a test fails when it throws nothing or something else. */
export function failureOf(run: () => unknown): Failure {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(GmailSmtpError);
		return (error as GmailSmtpError).failure;
	}
	throw new Error('expected a failure');
}
