import { readFileSync } from 'node:fs';
import type { ClusterNode, RedisOptions } from 'ioredis';

import { configError } from '../../errors/GmailSmtpError';

/** How to reach a Redis, and the prefix for this package's keys. */
export interface RedisSettings {
	/** host:port or the URL without its password, for messages. */
	label: string;
	options: RedisOptions;
	/** Set for a Redis cluster (n8n's QUEUE_BULL_REDIS_CLUSTER_NODES). */
	clusterNodes?: ClusterNode[];
	/** In front of this package's keys: empty unless budgets are kept apart on purpose. */
	keyPrefix: string;
	/** Where earlier versions kept the budgets (n8n's queue prefix), to take them over. */
	legacyPrefix: string;
}

/**
 * Set on every n8n process (main and workers) that should keep budgets of their own in a Redis
 * shared with other n8n instances that send as the same accounts; unset, every n8n sharing the
 * Redis shares each account's budget, whatever its QUEUE_BULL_PREFIX.
 */
export const BUDGET_PREFIX_VARIABLE = 'N8N_GMAIL_SMTP_BUDGET_PREFIX';

function budgetPrefix(env: Environment): string {
	return env[BUDGET_PREFIX_VARIABLE]?.trim() ?? '';
}

type Environment = Record<string, string | undefined>;

/**
 * The start of every key of one account: the same in every n8n that shares the Redis, whatever
 * its queue prefix, so that one account has one budget and one suppression list; a budget prefix
 * set on purpose keeps them apart. The braces are the account's cluster hash tag.
 */
export function accountKeyBase(account: string, keyPrefix: string): string {
	return `${keyPrefix ? `${keyPrefix}:` : ''}gmail-smtp:{${account}}`;
}

/** Whether n8n runs in queue mode (main + workers sharing a Redis). */
export function isQueueMode(env: Environment = process.env): boolean {
	return env.EXECUTIONS_MODE === 'queue';
}

/**
 * The Redis n8n itself uses for its queue, read from the same variables n8n reads (also their
 * `_FILE` forms), so that every main and worker shares one budget without further set-up.
 */
export function n8nQueueRedis(env: Environment = process.env): RedisSettings {
	// As n8n reads them: the variable itself, even empty, wins over its `_FILE` form.
	const read = (name: string): string | undefined => {
		const value = env[name];
		if (value !== undefined) return value === '' ? undefined : value;
		const file = env[`${name}_FILE`];
		if (!file) return undefined;
		try {
			return readFileSync(file, 'utf8').trim();
		} catch (error) {
			throw configError(
				"n8n's queue Redis settings unreadable",
				`${name}_FILE names ${file}, which this n8n process cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). The node keeps the account's budget in the Redis n8n uses for its queue and needs the same settings as n8n: make the file readable by the user n8n runs as (a mounted secret must be mounted in every main and worker), or set Limit Store to "File in n8n User Folder" or a Redis URL on the credential.`,
			);
		}
	};
	const host = read('QUEUE_BULL_REDIS_HOST') ?? 'localhost';
	const port = Number(read('QUEUE_BULL_REDIS_PORT') ?? 6379);
	const options: RedisOptions = {
		host,
		port,
		username: read('QUEUE_BULL_REDIS_USERNAME'),
		password: read('QUEUE_BULL_REDIS_PASSWORD'),
		db: Number(read('QUEUE_BULL_REDIS_DB') ?? 0),
	};
	if (read('QUEUE_BULL_REDIS_DUALSTACK') === 'true') options.family = 0;
	if (read('QUEUE_BULL_REDIS_TLS') === 'true') {
		options.tls = {
			servername: read('QUEUE_BULL_REDIS_TLS_SERVERNAME'),
			rejectUnauthorized: read('QUEUE_BULL_REDIS_TLS_VALIDATE_CERTIFICATE') !== 'false',
		};
	}
	const clusterNodes = (read('QUEUE_BULL_REDIS_CLUSTER_NODES') ?? '')
		.split(',')
		.map((node) => node.trim())
		.filter(Boolean)
		.map((node) => {
			const [nodeHost, nodePort] = node.split(':');
			return { host: nodeHost, port: Number(nodePort || 6379) };
		});
	return {
		label:
			clusterNodes.length > 0
				? `the Redis cluster ${clusterNodes.map((node) => `${node.host}:${node.port}`).join(', ')}`
				: `Redis at ${host}:${port}`,
		options,
		clusterNodes: clusterNodes.length > 0 ? clusterNodes : undefined,
		keyPrefix: budgetPrefix(env),
		legacyPrefix: read('QUEUE_BULL_PREFIX') ?? 'bull',
	};
}

/** A Redis given by URL (`redis://` or `rediss://` for TLS) in the credential. */
export function redisFromUrl(url: string, env: Environment = process.env): RedisSettings {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw configError(
			'Invalid Redis URL',
			"The credential's Redis URL is not a URL. Expected redis://user:password@host:6379/0, or rediss://… for TLS.",
		);
	}
	if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
		throw configError(
			'Invalid Redis URL',
			"The credential's Redis URL must start with redis:// or rediss:// (TLS).",
		);
	}
	const db = parsed.pathname.replace(/^\//, '');
	const options: RedisOptions = {
		host: parsed.hostname.replace(/^\[|\]$/g, ''),
		port: Number(parsed.port || 6379),
		username: decodedUserInfo(parsed.username, 'user name') || undefined,
		password: decodedUserInfo(parsed.password, 'password') || undefined,
		db: db ? Number(db) : 0,
		tls: parsed.protocol === 'rediss:' ? { servername: parsed.hostname } : undefined,
	};
	return {
		label: `Redis at ${parsed.protocol}//${parsed.host}`,
		options,
		keyPrefix: budgetPrefix(env),
		legacyPrefix: 'n8n',
	};
}

/** A user name or password of a Redis URL, %-decoded; a broken escape is the user's to fix. */
function decodedUserInfo(written: string, part: string): string {
	try {
		return decodeURIComponent(written);
	} catch {
		throw configError(
			'Invalid Redis URL',
			`The ${part} in the credential's Redis URL has a % that does not start an escape (% followed by two hexadecimal digits). Write a % in a password as %25 (and @ as %40, : as %3A, / as %2F).`,
		);
	}
}
