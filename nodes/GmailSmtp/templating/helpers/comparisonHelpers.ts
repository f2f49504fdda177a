import { splitArguments } from './helperCall';
import { isTruthy, toNumber } from './valueRules';

type Comparable = number | string;

/**
 * Comparisons for `{{#if (eq status "paid")}}`. A number and the same number written as text are
 * equal (`5` and `"5"`), because CSV files and CRMs hand numbers over as text.
 */
export const comparisonHelpers = {
	eq: (...args: unknown[]) => equals(...pair(args)),
	ne: (...args: unknown[]) => !equals(...pair(args)),
	gt: (...args: unknown[]) => compare(pair(args), (order) => order > 0),
	gte: (...args: unknown[]) => compare(pair(args), (order) => order >= 0),
	lt: (...args: unknown[]) => compare(pair(args), (order) => order < 0),
	lte: (...args: unknown[]) => compare(pair(args), (order) => order <= 0),
	and: (...args: unknown[]) => splitArguments(args).params.every(isTruthy),
	or: (...args: unknown[]) => splitArguments(args).params.some(isTruthy),
	not: (...args: unknown[]) => !isTruthy(splitArguments(args).params[0]),
};

function pair(args: unknown[]): [unknown, unknown] {
	const { params } = splitArguments(args);
	return [params[0], params[1]];
}

function equals(left: unknown, right: unknown): boolean {
	if (left === right) return true;
	const leftNumber = toNumber(left);
	const rightNumber = toNumber(right);
	const oneIsNumber = typeof left === 'number' || typeof right === 'number';
	return oneIsNumber && leftNumber !== undefined && leftNumber === rightNumber;
}

function compare([left, right]: [unknown, unknown], test: (order: number) => boolean): boolean {
	const a = comparable(left);
	const b = comparable(right);
	if (a === undefined || b === undefined) return false;
	if (typeof a === 'number' && typeof b === 'number') return test(a - b);
	const [textA, textB] = [String(a), String(b)];
	return test(textA < textB ? -1 : textA > textB ? 1 : 0);
}

function comparable(value: unknown): Comparable | undefined {
	if (value === undefined || value === null) return undefined;
	if (value instanceof Date) return value.getTime();
	const number = toNumber(value);
	if (number !== undefined) return number;
	return typeof value === 'string' ? value : undefined;
}
