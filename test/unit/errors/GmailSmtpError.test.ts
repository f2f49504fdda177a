import {
	failureOf,
	inputError,
	unexpectedFailure,
} from '../../../nodes/GmailSmtp/errors/GmailSmtpError';

describe('failureOf', () => {
	it('takes our own failure as it is, without asking the classifier', () => {
		const error = inputError('Invalid To', 'explained');
		const classify = jest.fn();
		expect(failureOf(error, classify)).toBe(error.failure);
		expect(classify).not.toHaveBeenCalled();
	});

	it('hands any other error to the classifier of its protocol', () => {
		const error = Object.assign(new Error('Invalid login'), { code: 'EAUTH' });
		const classify = jest.fn(() => unexpectedFailure('classified'));
		expect(failureOf(error, classify).description).toBe('classified');
		expect(classify).toHaveBeenCalledWith(error);
	});
});

describe('unexpectedFailure', () => {
	it.each([
		[new TypeError('x is not a function'), 'x is not a function'],
		['a thrown string', 'a thrown string'],
	])('says what was thrown (%s)', (thrown, description) => {
		expect(unexpectedFailure(thrown)).toEqual({
			kind: 'unknown',
			retryable: false,
			stopsAccount: false,
			title: 'Unexpected error',
			description,
		});
	});
});
