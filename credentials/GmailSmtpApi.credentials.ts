import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

import { CREDENTIAL_DEFAULTS, MAX_CONNECTIONS_CEILING } from '../nodes/GmailSmtp/defaults';

export class GmailSmtpApi implements ICredentialType {
	name = 'gmailSmtpApi';

	displayName = 'Gmail SMTP';

	icon: Icon = { light: 'file:gmailSmtp.svg', dark: 'file:gmailSmtp.dark.svg' };

	documentationUrl = 'https://support.google.com/accounts/answer/185833';

	properties: INodeProperties[] = [
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'name@gmail.com',
			description: 'The full Gmail or Google Workspace address to log in with',
		},
		{
			displayName: 'App Password',
			name: 'appPassword',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'abcd efgh ijkl mnop',
			description:
				'The 16-letter App Password from Google Account → Security → 2-Step Verification → App passwords (spaces are ignored). Your normal account password does not work.',
		},
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			default: CREDENTIAL_DEFAULTS.host,
			description:
				'Smtp.gmail.com for Gmail and Workspace accounts; smtp-relay.gmail.com for the Workspace SMTP relay',
		},
		{
			displayName: 'Port',
			name: 'port',
			type: 'number',
			default: CREDENTIAL_DEFAULTS.port,
			description: '465 with SSL/TLS, or 587 with STARTTLS',
		},
		{
			displayName: 'Security',
			name: 'security',
			type: 'options',
			default: CREDENTIAL_DEFAULTS.security,
			options: [
				{
					name: 'SSL/TLS (Port 465)',
					value: 'tls',
					description: 'Encrypted from the first byte',
				},
				{
					name: 'STARTTLS (Port 587)',
					value: 'starttls',
					description:
						'Connects in plain text and must upgrade to TLS before logging in; refuses servers that do not offer STARTTLS',
				},
			],
		},
		{
			displayName: 'From Name',
			name: 'fromName',
			type: 'string',
			default: '',
			placeholder: 'Acme Shop',
			description: 'Display name on sent mail unless the node sets another one',
		},
		{
			displayName: 'Daily Limit',
			name: 'dailyLimit',
			type: 'number',
			default: CREDENTIAL_DEFAULTS.dailyLimit,
			typeOptions: { minValue: 0 },
			description: `Messages this account may send in a rolling 24 hours, counted across every workflow and n8n process and kept across restarts (free Gmail: about ${CREDENTIAL_DEFAULTS.dailyLimit}, Workspace: 2,000; 0 = no guard)`,
		},
		{
			displayName: 'Daily Recipient Limit',
			name: 'dailyRecipientLimit',
			type: 'number',
			default: CREDENTIAL_DEFAULTS.dailyRecipientLimit,
			typeOptions: { minValue: 0 },
			description: `Recipients this account may send to in a rolling 24 hours: every To, Cc and Bcc address of every message (free Gmail: about ${CREDENTIAL_DEFAULTS.dailyRecipientLimit}, Workspace: 10,000; 0 = no guard)`,
		},
		{
			displayName: 'Max Connections',
			name: 'maxConnections',
			type: 'number',
			default: CREDENTIAL_DEFAULTS.maxConnections,
			typeOptions: { minValue: 1, maxValue: MAX_CONNECTIONS_CEILING },
			description:
				'Connections to Gmail open at once for this account, across every execution and n8n process. Each connection is a login; Gmail refuses too many at once.',
		},
		{
			displayName: 'Max Messages per Second',
			name: 'maxPerSecond',
			type: 'number',
			default: CREDENTIAL_DEFAULTS.maxPerSecond,
			typeOptions: { minValue: 0, numberPrecision: 2 },
			description:
				'Messages reaching Gmail in any one second for this account, across every execution and n8n process (0.5 = one every two seconds; 0 = no cap)',
		},
		{
			displayName: 'Limit Store',
			name: 'limitStore',
			type: 'options',
			default: CREDENTIAL_DEFAULTS.limitStore,
			description: 'Where the limits above are counted, so that every n8n process shares them',
			options: [
				{
					name: 'Automatic',
					value: 'auto',
					description:
						"n8n's own Redis when n8n runs in queue mode, otherwise a file in n8n's user folder",
				},
				{
					name: 'File in n8n User Folder',
					value: 'embedded',
					description:
						'For one n8n on one host: the daily count survives restarts; connections and rate are counted per process',
				},
				{
					name: 'Redis',
					value: 'redis',
					description: "n8n's queue Redis, or the one given below",
				},
			],
		},
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- the URL carries the Redis password
		{
			displayName: 'Redis URL',
			name: 'redisUrl',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'redis://user:password@redis.internal:6379/0',
			description:
				"Leave empty to use n8n's own queue Redis (QUEUE_BULL_REDIS_* settings). rediss:// for TLS.",
			displayOptions: { show: { limitStore: ['redis'] } },
		},
		{
			displayName: 'CA Certificate',
			name: 'caCertificate',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			placeholder: '-----BEGIN CERTIFICATE-----',
			description:
				'Extra certificate authority (PEM) to trust, e.g. of a TLS-inspecting proxy or a test server. The usual public CAs stay trusted.',
		},
		// eslint-disable-next-line @n8n/community-nodes/credential-password-field -- a boolean switch, not a secret
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			name: 'allowUnauthorizedCerts',
			type: 'boolean',
			default: false,
			description:
				'Whether to connect even if the server certificate cannot be verified. Anyone on the network path could then read your App Password. Prefer the CA Certificate field.',
		},
		{
			displayName: 'IMAP Host',
			name: 'imapHost',
			type: 'string',
			default: CREDENTIAL_DEFAULTS.imapHost,
			description:
				'For Check Replies and Bounces only: the IMAP server of the same account (imap.gmail.com for Gmail and Workspace). Same User, App Password and CA Certificate; the credential Test checks SMTP only.',
		},
		{
			displayName: 'IMAP Port',
			name: 'imapPort',
			type: 'number',
			default: CREDENTIAL_DEFAULTS.imapPort,
			description:
				'IMAP with TLS from the first byte (993). Plain IMAP and STARTTLS (143) are refused.',
		},
		{
			displayName: 'Client Hostname',
			name: 'clientHostname',
			type: 'string',
			default: '',
			placeholder: 'mail.example.com',
			description: 'Name this machine gives in EHLO. Leave empty to use the machine name.',
		},
		{
			displayName: 'Unsubscribe Endpoint',
			name: 'unsubscribeEndpoint',
			type: 'string',
			default: '',
			placeholder: 'https://n8n.example.com/webhook/…/unsubscribe',
			description:
				'For Manage Unsubscribes: the Production URL of a Gmail SMTP Trigger (event Unsubscribe) using this credential. Must be https://.',
		},
		{
			displayName: 'Link Secret',
			name: 'linkSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'For Manage Unsubscribes: signs every unsubscribe link, so that nobody can unsubscribe anyone else. At least 16 random characters (e.g. from openssl rand -base64 32). Changing it makes earlier links invalid.',
		},
	];
}
