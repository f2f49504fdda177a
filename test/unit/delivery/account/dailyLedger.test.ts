import {
	DAY_MS,
	pruneLedger,
	releaseFromLedger,
	reserveInLedger,
	type LedgerRow,
} from '../../../../nodes/GmailSmtp/delivery/account/dailyLedger';

const entry = (id: string, recipients = 1) => ({ id, recipients });

describe('the rolling 24-hour ledger', () => {
	it("frees a message's place exactly 24 hours after it was counted", () => {
		const rows: LedgerRow[] = [];
		const limits = { messages: 2, recipients: 0 };
		reserveInLedger(rows, entry('a'), limits, 0);
		reserveInLedger(rows, entry('b'), limits, 1_000);
		expect(reserveInLedger(rows, entry('c'), limits, DAY_MS - 1)).toEqual({
			granted: false,
			reason: 'messages',
			sent: 2,
			recipients: 2,
			freeAt: DAY_MS,
		});
		expect(reserveInLedger(rows, entry('c'), limits, DAY_MS)).toEqual({ granted: true });
		expect(rows.map((row) => row[2])).toEqual(['b', 'c']);
	});

	it('says when enough recipients have aged out for this message', () => {
		const rows: LedgerRow[] = [];
		const limits = { messages: 0, recipients: 10 };
		reserveInLedger(rows, entry('a', 3), limits, 0);
		reserveInLedger(rows, entry('b', 3), limits, 100);
		reserveInLedger(rows, entry('c', 3), limits, 200);
		// 9 counted, 6 more would need 5 of them gone: a (3) and b (3).
		expect(reserveInLedger(rows, entry('d', 6), limits, 300)).toMatchObject({
			reason: 'recipients',
			recipients: 9,
			freeAt: 100 + DAY_MS,
		});
	});

	it('a message with more recipients than the whole limit can never go', () => {
		expect(reserveInLedger([], entry('big', 11), { messages: 0, recipients: 10 }, 0)).toMatchObject(
			{ granted: false, freeAt: Number.POSITIVE_INFINITY },
		);
	});

	it('stays bounded: nothing older than a day is kept', () => {
		const rows: LedgerRow[] = Array.from({ length: 1000 }, (_, n) => [n, 1, `m${n}`]);
		pruneLedger(rows, DAY_MS + 500);
		expect(rows).toHaveLength(499);
		expect(rows[0][0]).toBe(501);
	});

	it('a row dated in the future (clock stepped back) counts as now: never blocks beyond 24 hours', () => {
		const tenDaysAhead = 10 * DAY_MS;
		const rows: LedgerRow[] = [[tenDaysAhead, 1, 'early']];
		const limits = { messages: 1, recipients: 0 };
		expect(reserveInLedger(rows, entry('now'), limits, 1_000)).toMatchObject({
			granted: false,
			freeAt: 1_000 + DAY_MS,
		});
		expect(reserveInLedger(rows, entry('tomorrow'), limits, 1_000 + DAY_MS)).toEqual({
			granted: true,
		});
	});

	it('prunes by time, not by position: rows out of time order are dropped wherever they are', () => {
		const rows: LedgerRow[] = [
			[DAY_MS + 10, 1, 'recent'],
			[5, 1, 'old, written late'],
			[DAY_MS + 20, 1, 'recent too'],
		];
		pruneLedger(rows, DAY_MS + 100);
		expect(rows.map((row) => row[2])).toEqual(['recent', 'recent too']);
	});

	it('releases the message by id, once', () => {
		const rows: LedgerRow[] = [
			[0, 1, 'a'],
			[1, 1, 'b'],
		];
		expect(releaseFromLedger(rows, entry('a'))).toBe(true);
		expect(releaseFromLedger(rows, entry('a'))).toBe(false);
		expect(rows).toEqual([[1, 1, 'b']]);
	});
});
