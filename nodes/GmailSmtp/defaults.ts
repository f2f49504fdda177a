// The defaults of the credential's and the node's fields, which the code falls back on too. n8n
// leaves a value equal to its default out of a saved workflow, so changing one here changes what
// saved workflows do. This module imports nothing: the credential file reads it as well.

// Every connection is a login; three keep a round trip from dominating without Gmail answering
// "421 Too many concurrent SMTP connections".
export const DEFAULT_MAX_CONNECTIONS = 3;
export const MAX_CONNECTIONS_CEILING = 10;

/** The `gmailSmtpApi` credential's fields. */
export const CREDENTIAL_DEFAULTS = {
	host: 'smtp.gmail.com',
	// Implicit TLS from the first byte: the App Password never travels before TLS is up.
	port: 465,
	security: 'tls',
	// About what a free Gmail account may send in a rolling 24 hours (Workspace: 2,000).
	dailyLimit: 500,
	// Google publishes no table for free accounts; about 500 recipients a day is the common figure.
	dailyRecipientLimit: 500,
	maxConnections: DEFAULT_MAX_CONNECTIONS,
	// Google publishes no rate; bursts well below this have not drawn "421 4.7.28" rate limiting.
	maxPerSecond: 5,
	limitStore: 'auto',
	imapHost: 'imap.gmail.com',
	// IMAP over TLS from the first byte, for the same reason as the port.
	imapPort: 993,
} as const;

// For the connection, TLS and the server's greeting, over SMTP and IMAP alike.
export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 15;

/** A Connect Timeout option (seconds) as milliseconds: at least a second; unset, the default. */
export function connectTimeoutMs(seconds: number | undefined): number {
	return (seconds === undefined ? DEFAULT_CONNECT_TIMEOUT_SECONDS : Math.max(1, seconds)) * 1000;
}

// Attempts per message, the first one included.
export const DEFAULT_MAX_ATTEMPTS = 3;
// The longest total wait between the attempts of one message.
export const DEFAULT_MAX_RETRY_WAIT_SECONDS = 60;

export const DEFAULT_LOCALE = 'en-US';

// The suppression list a send honours, and an unsubscribe link adds to, when none is named.
export const DEFAULT_SUPPRESSION_LIST = 'default';

// Check Replies and Bounces.
export const DEFAULT_SEARCH_DAYS = 30;
export const DEFAULT_REPLY_TEXT_LINES = 5;
