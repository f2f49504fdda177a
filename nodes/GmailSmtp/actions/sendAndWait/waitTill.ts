import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../durations';

/** The Limit Wait Time option (names as n8n's built-in Send Email node). */
export interface LimitWaitTime {
	limitType?: 'afterTimeInterval' | 'atSpecifiedTime';
	resumeAmount?: number;
	resumeUnit?: 'minutes' | 'hours' | 'days';
	maxDateAndTime?: string;
}

const UNIT_MS = { minutes: MINUTE_MS, hours: HOUR_MS, days: DAY_MS } as const;

/** When the wait ends without an answer, or `undefined` to wait for as long as it takes. */
export function waitTillFor(limit: LimitWaitTime | undefined, now: number): Date | undefined {
	if (!limit || !limit.limitType) return undefined;
	const until =
		limit.limitType === 'afterTimeInterval'
			? new Date(now + Number(limit.resumeAmount ?? 1) * UNIT_MS[limit.resumeUnit ?? 'hours'])
			: new Date(limit.maxDateAndTime ?? '');
	if (Number.isNaN(until.getTime())) {
		throw new Error('Limit Wait Time needs a valid amount or date and time.');
	}
	return until;
}
