import { inputError } from '../errors/GmailSmtpError';
import { isUnset } from '../fieldText';

export type MessagePriority = 'high' | 'normal' | 'low';

const PRIORITIES: readonly MessagePriority[] = ['high', 'normal', 'low'];

/** The Priority option; nodemailer turns high/low into X-Priority, X-MSMail-Priority, Importance. */
export function parsePriority(value: unknown): MessagePriority {
	if (isUnset(value)) return 'normal';
	const normalized = typeof value === 'string' ? value.trim().toLowerCase() : value;
	if (!PRIORITIES.includes(normalized as MessagePriority)) {
		throw inputError(
			'Invalid Priority',
			`Priority must be high, normal or low, got "${String(value)}".`,
		);
	}
	return normalized as MessagePriority;
}
