import { DAY_MS } from '../../../../nodes/GmailSmtp/durations';
import {
	asRecord,
	LedgerState,
	type JournalRecord,
} from '../../../../nodes/GmailSmtp/delivery/account/ledgerState';
import {
	NO_PUSHBACK,
	PUSHBACK_POLICY,
} from '../../../../nodes/GmailSmtp/delivery/account/pushback';

let tags = 0;
/** A count request as a process appends it to the journal. */
const count = (
	at: number,
	id: string,
	messages: number,
	recipients = 1,
	limit = 0,
): JournalRecord => ['r', `t${++tags}`, at, id, recipients, messages, limit];

describe('the rolling 24 hours replayed from the journal', () => {
	it("frees a message's place exactly 24 hours after it was counted", () => {
		const state = new LedgerState();
		state.apply(count(0, 'a', 2));
		state.apply(count(1_000, 'b', 2));
		expect(state.apply(count(DAY_MS - 1, 'c', 2))).toEqual({
			granted: false,
			reason: 'messages',
			sent: 2,
			recipients: 2,
			freeAt: DAY_MS,
		});
		expect(state.apply(count(DAY_MS, 'c', 2))).toEqual({ granted: true });
		expect(state.counted()).toEqual(['b', 'c']);
	});

	it('says when enough recipients have aged out for this message', () => {
		const state = new LedgerState();
		for (const [at, id] of [
			[0, 'a'],
			[100, 'b'],
			[200, 'c'],
		] as const) {
			state.apply(count(at, id, 0, 3, 10));
		}
		// 9 counted, 6 more would need 5 of them gone: a (3) and b (3).
		expect(state.apply(count(300, 'd', 0, 6, 10))).toMatchObject({
			reason: 'recipients',
			recipients: 9,
			freeAt: 100 + DAY_MS,
		});
	});

	it('a message with more recipients than the whole limit can never go', () => {
		expect(new LedgerState().apply(count(0, 'big', 0, 11, 10))).toMatchObject({
			granted: false,
			freeAt: Number.POSITIVE_INFINITY,
		});
	});

	it('releases a message by id, once; an unknown id changes nothing', () => {
		const state = new LedgerState();
		state.apply(count(0, 'a', 2));
		state.apply(count(1, 'b', 2));
		state.apply(['x', 'r1', 2, 'a']);
		state.apply(['x', 'r2', 3, 'a']);
		state.apply(['x', 'r3', 4, 'never counted']);
		expect(state.counted()).toEqual(['b']);
		expect(state.apply(count(5, 'c', 2))).toEqual({ granted: true });
		expect(state.apply(count(6, 'd', 2))).toMatchObject({ granted: false, sent: 2 });
	});

	it('keeps running totals: 100,000 counts, then a day later only the last 24 hours', () => {
		const state = new LedgerState();
		for (let n = 0; n < 100_000; n++) state.apply(count(n, `m${n}`, 200_000));
		expect(state.size).toBe(100_000);
		// Spread over more than a day: only the last 24 hours stay.
		state.apply(count(DAY_MS + 50_000, 'late', 200_000));
		expect(state.size).toBe(49_999 + 1);
	});

	it('a row written a little late by another process counts from the newest time', () => {
		const state = new LedgerState();
		state.apply(count(10_000, 'a', 1));
		state.apply(['x', 'r', 10_001, 'a']);
		state.apply(count(9_000, 'late', 1));
		expect(state.apply(count(10_000 + DAY_MS - 1, 'next', 1))).toMatchObject({
			granted: false,
			freeAt: 10_000 + DAY_MS,
		});
	});

	it('a row dated in the future (clock stepped back) counts as now: never blocks beyond 24 hours', () => {
		const state = new LedgerState({ rows: [[10 * DAY_MS, 1, 'early']], pushback: NO_PUSHBACK });
		expect(state.apply(count(1_000, 'now', 1))).toMatchObject({
			granted: false,
			freeAt: 1_000 + DAY_MS,
		});
		expect(state.apply(count(1_000 + DAY_MS, 'tomorrow', 1))).toEqual({ granted: true });
	});

	it("Gmail's push-back is replayed: a day's pause refuses every count", () => {
		const state = new LedgerState();
		state.apply(['p', 'p1', 1_000, 'exhausted']);
		expect(state.apply(count(2_000, 'a', 5))).toEqual({
			granted: false,
			reason: 'exhausted',
			until: 1_000 + PUSHBACK_POLICY.exhaustedMs,
		});
		expect(state.snapshot()).toEqual({
			rows: [],
			pushback: expect.objectContaining({ exhaustedUntil: 1_000 + PUSHBACK_POLICY.exhaustedMs }),
		});
	});

	it.each([
		[['r', 't', 1, 'id', 1, 5, 0], true],
		[['x', 't', 1, 'id'], true],
		[['p', 't', 1, 'throttled'], true],
		[['seal'], true],
		[['r', 't', 'soon', 'id', 1, 5, 0], false],
		[['r', 't', 1, 'id', -1, 5, 0], false],
		[['p', 't', 1, 'maybe'], false],
		[{ r: 1 }, false],
	])('checks the shape of a journal line: %j', (value, valid) => {
		expect(asRecord(value) !== undefined).toBe(valid);
	});
});
