import { transient, type FailureText, type Rule } from './smtpRule';

const RECIPIENT_REFUSED: FailureText = {
	kind: 'recipient',
	retryable: false,
	stopsAccount: false,
	title: 'Recipient refused',
	description: 'Check the recipient addresses of this item.',
};

/** Gmail's replies about one message: its recipients, its size, the day's quota, its sender. */
export const REPLY_RULES: Rule[] = [
	{
		reply: '450 4.2.1',
		matches: (reply) => reply.responseCode === 450,
		failure: transient('Recipient busy', 'The recipient is receiving mail too fast.'),
	},
	{
		reply: '451',
		matches: (reply) => reply.responseCode === 451,
		failure: transient('Temporary server error', 'Gmail could not take the message just now.'),
	},
	{
		reply: '452 4.5.3 too many recipients',
		matches: (reply) => reply.responseCode === 452 && reply.status === '4.5.3',
		failure: transient(
			'Too many recipients',
			'The server takes a limited number of recipients per message: split them or send per item.',
		),
	},
	{
		reply: '452 (mailbox busy or over quota)',
		matches: (reply) => reply.responseCode === 452,
		failure: transient(
			'Mailbox busy',
			"The recipient's mailbox cannot take the message just now (for example, it is over quota).",
		),
	},
	{
		reply: '454 (outside login)',
		matches: (reply) => reply.responseCode === 454,
		failure: {
			kind: 'throttled',
			retryable: true,
			stopsAccount: true,
			title: 'Gmail is throttling this account',
			description: 'Wait before sending again, and send more slowly.',
		},
	},
	{
		reply: '552-5.2.3 / 552 5.3.4 message too large',
		matches: (reply) => reply.responseCode === 552,
		failure: {
			kind: 'message',
			retryable: false,
			stopsAccount: false,
			title: 'Message too large',
			description:
				'Gmail accepts messages up to 25 MB including attachments (about 18 MB of files).',
		},
	},
	{
		reply: '553-5.1.2 recipient domain not found',
		matches: (reply) => reply.responseCode === 553,
		failure: RECIPIENT_REFUSED,
	},
	{
		reply: '550-5.4.5 Daily user sending limit exceeded',
		matches: (reply) => reply.responseCode === 550 && reply.status === '5.4.5',
		failure: {
			kind: 'quota',
			retryable: false,
			stopsAccount: true,
			title: 'Daily sending limit reached',
			description:
				"Gmail counts a rolling 24 hours (free Gmail: about 500 messages; Workspace: 2,000 messages and 10,000 recipients). Sending as this account now pauses for 24 hours in every workflow and n8n process; messages not sent can be sent after that. Lower the credential's Daily Limit so the node stops before Gmail has to.",
		},
	},
	{
		reply: '5xx to MAIL FROM (sender or alias refused)',
		matches: (reply) =>
			Boolean(reply.command?.startsWith('MAIL')) && (reply.responseCode ?? 0) >= 500,
		failure: {
			kind: 'config',
			retryable: false,
			stopsAccount: false,
			title: 'Sender address refused',
			description:
				'The server refused the From address of this message. With From Email, use an address verified in Gmail under Settings → Accounts → "Send mail as"; otherwise leave From Email empty to send as the account.',
		},
	},
	{
		reply: '5.1.x / EENVELOPE: recipient refused',
		matches: (reply) => Boolean(reply.status?.startsWith('5.1.')) || reply.code === 'EENVELOPE',
		failure: RECIPIENT_REFUSED,
	},
	{
		reply: 'EMESSAGE',
		matches: (reply) => reply.code === 'EMESSAGE',
		failure: {
			kind: 'message',
			retryable: false,
			stopsAccount: false,
			title: 'Message refused',
			description: 'The server refused this message.',
		},
	},
];
