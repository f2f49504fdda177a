import type { BenchRedis, CommandStats } from './benchRedis';
import type { BenchServer } from './benchServer';
import type { Sender, SenderRun } from './senderRun';

/**
 * One part of `npm run bench`: it measures something and returns its section of RESULTS.md (the
 * tables and the sentences that read them). To add one, write a module exporting a stage and list
 * it in stages.ts.
 */
export interface BenchStage {
	/** Its name for `--stages`. */
	name: string;
	/** Whether a plain `npm run bench` runs it. */
	byDefault: boolean;
	run(bench: BenchContext): Promise<string[]>;
}

export interface BenchContext {
	/** The bench's SMTP server (stock smtp-server, implicit TLS + AUTH), shared by the stages. */
	server: BenchServer;
	/** A redis-server started for the bench on first use. */
	redis(): Promise<BenchRedis>;
	/** `--name value` from the command line, or `fallback`. */
	option(name: string, fallback: string): string;
	/** Progress on stderr. */
	log(line: string): void;
	/**
	 * Sends `items` messages with `sender` in a child process of its own (fresh heap and user
	 * folder), after resetting the server's counters (and Redis for A-redis); checks that exactly
	 * `items` messages arrived.
	 */
	send(sender: Sender, items: number, label: string): Promise<MeasuredRun>;
}

export interface MeasuredRun extends SenderRun {
	sender: Sender;
	items: number;
	perSecond: number;
	connections: number;
	logins: number;
	/** What the Redis store asked of Redis during the run (A-redis only). */
	redis?: CommandStats;
}
