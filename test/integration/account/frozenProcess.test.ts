import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { accountKey } from '../../../nodes/GmailSmtp/delivery/account/accountKey';
import { EmbeddedLimitStore } from '../../../nodes/GmailSmtp/delivery/account/embeddedLimitStore';
import { startRedisServer, type RedisTestServer } from '../../../testkit/redisServer';
import {
	credentialsFor,
	startSmtpTestServer,
	TEST_USER,
	type SmtpTestServer,
	type TestServerOptions,
} from '../../helpers/smtpTestServer';

const SENDER = join(__dirname, '..', '..', 'fixtures', 'processes', 'sendAsN8nProcess.js');

interface PhaseReport {
	phase: number | 'background';
	sent: number;
	errors: string[];
}

/** One n8n process running the node (see the fixture), its phase reports as they come. */
class N8nProcess {
	readonly child: ChildProcessWithoutNullStreams;
	readonly reports: PhaseReport[] = [];
	private readonly exited: Promise<number | null>;
	private stderr = '';
	private waiters: Array<() => void> = [];

	constructor(config: Record<string, unknown>) {
		this.child = spawn(process.execPath, [SENDER, JSON.stringify(config)]);
		let pending = '';
		this.child.stdout.on('data', (chunk: Buffer) => {
			pending += chunk.toString();
			for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
				this.reports.push(JSON.parse(pending.slice(0, end)) as PhaseReport);
				pending = pending.slice(end + 1);
				for (const wake of this.waiters.splice(0)) wake();
			}
		});
		this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
		this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
	}

	async phaseDone(phase: number): Promise<PhaseReport> {
		const report = () => this.reports.find((candidate) => candidate.phase === phase);
		while (!report()) await new Promise<void>((wake) => this.waiters.push(wake));
		return report()!;
	}

	report(phase: number | 'background'): PhaseReport | undefined {
		return this.reports.find((candidate) => candidate.phase === phase);
	}

	nextPhase(): void {
		this.child.stdin.write('go\n');
	}

	signal(signal: 'SIGSTOP' | 'SIGCONT'): void {
		process.kill(this.child.pid!, signal);
	}

	/** Waits for `event`, failing if the process ends first. */
	async before<T>(event: Promise<T>): Promise<T> {
		const ended = this.exited.then(() => {
			throw new Error(`n8n process ended first: ${JSON.stringify(this.reports)} ${this.stderr}`);
		});
		return await Promise.race([event, ended]);
	}

	async done(): Promise<PhaseReport[]> {
		const code = await this.exited;
		if (code !== 0) throw new Error(`n8n process exited ${code}: ${this.stderr}`);
		return this.reports;
	}

	kill(): void {
		if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
	}
}

/** Resolves once `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
	while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

const deliveredBy = (server: SmtpTestServer, tag: string) =>
	server.messages.filter((message) => message.envelope.to[0].startsWith(`${tag}-`)).length;

describe('a process frozen (SIGSTOP) while it sends, and woken up again (SIGCONT)', () => {
	let folder: string;
	let server: SmtpTestServer;
	const processes: N8nProcess[] = [];
	const start = (config: Record<string, unknown>) => {
		const started = new N8nProcess({ userFolder: folder, ...config });
		processes.push(started);
		return started;
	};
	const serve = async (options: Partial<TestServerOptions> = {}) => {
		server = await startSmtpTestServer({ security: 'tls', ...options });
		return server;
	};

	beforeEach(() => {
		folder = mkdtempSync(join(tmpdir(), 'gmail-smtp-frozen-'));
	});
	afterEach(async () => {
		for (const running of processes.splice(0)) running.kill();
		await server?.close();
		rmSync(folder, { recursive: true, force: true });
	});

	it('embedded store: a process frozen while it counts cannot write a stale ledger or count past the Daily Limit', async () => {
		await serve();
		const credentials = credentialsFor(server, { dailyLimit: 160 });
		const ledgerFolder = join(folder, '.n8n', 'gmail-smtp');
		mkdirSync(ledgerFolder, { recursive: true });
		const account = accountKey({ user: TEST_USER, host: '127.0.0.1' });

		const a = start({ credentials, phases: [150], tag: 'a' });
		// Frozen at the worst moment: right after it wrote to the ledger (its count appended, not
		// yet read back and decided on), with messages of its own in flight.
		await a.before(
			new Promise<void>((frozen) => {
				const watcher = watch(ledgerFolder, () => {
					if (server.messages.length < 100) return;
					a.signal('SIGSTOP');
					watcher.close();
					frozen();
				});
			}),
		);
		const sentBeforeFreeze = server.messages.length;

		// Another n8n process sends while A sleeps.
		const b = start({ credentials, phases: [20], tag: 'b' });
		const [bReport] = await b.done();
		a.signal('SIGCONT');
		const [aReport] = await a.done();

		expect(sentBeforeFreeze).toBeLessThan(150);
		expect(bReport.sent).toBeGreaterThan(0);
		// 170 wanted, 160 allowed: exactly the Daily Limit reached the server, each counted once.
		expect(server.messages.length).toBe(160);
		expect(aReport.sent + bReport.sent).toBe(160);
		const store = new EmbeddedLimitStore(ledgerFolder);
		const counted = (await store.counted(account)).sort();
		await store.close();
		const delivered = server.messages.map((message) => message.parsed.messageId).sort();
		expect(counted).toEqual(delivered);
	}, 120_000);

	describe('Redis store', () => {
		/** The stores' lease (30 s in n8n): renewed every third of it, so 5 s survives a busy machine. */
		const LEASE_MS = 5_000;
		let redis: RedisTestServer;
		beforeAll(async () => {
			redis = await startRedisServer();
		});
		afterAll(async () => {
			await redis.stop();
		});

		it('a frozen worker whose connection leases expired never sends over those connections again', async () => {
			const frozenOne: { process?: N8nProcess } = {};
			let armed = false;
			let frozen!: () => void;
			const isFrozen = new Promise<void>((resolve) => (frozen = resolve));
			await serve({
				// Frozen between two messages, with both its connections logged in and idle.
				onTransactionEnd: (client, openByClient) => {
					if (!armed || client !== 'process-a' || openByClient['process-a']) return;
					armed = false;
					frozenOne.process!.signal('SIGSTOP');
					frozen();
				},
			});
			const account = (name: string) =>
				credentialsFor(server, {
					maxConnections: 2,
					limitStore: 'redis',
					redisUrl: redis.url,
					clientHostname: name,
				});

			// A: another execution of the same n8n keeps the pool in use (one message a second),
			// while a first run opens both connections; A is frozen after it, both connections
			// logged in and idle, and its second run starts as soon as it wakes up.
			const a = start({
				credentials: account('process-a'),
				background: { items: 8, options: { maxPerSecond: 1 } },
				phases: [10, 60],
				tag: 'a',
				leaseMs: LEASE_MS,
			});
			frozenOne.process = a;
			await a.before(a.phaseDone(0));
			armed = true;
			await a.before(isFrozen);
			a.nextPhase();

			// B gets the two slots once A's leases ran out (LEASE_MS without renewal), and sends.
			const b = start({
				credentials: account('process-b'),
				phases: [300],
				tag: 'b',
				leaseMs: LEASE_MS,
			});
			await b.before(until(() => deliveredBy(server, 'b') >= 20));
			a.signal('SIGCONT');
			const [[bReport]] = await Promise.all([b.done(), a.done()]);

			for (const [phase, sent] of [
				['background', 8],
				[0, 10],
				[1, 60],
			] as const) {
				expect(a.report(phase)).toMatchObject({ sent, errors: [] });
			}
			expect(bReport).toMatchObject({ sent: 300, errors: [] });
			expect(server.messages.length).toBe(378);
			// Max Connections 2: never more than two connections carried a message at once.
			expect(server.maxTransactionsAtOnce).toBeLessThanOrEqual(2);
		}, 180_000);
	});
});
