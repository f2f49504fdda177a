import { CompletionWindow } from '../../../../nodes/GmailSmtp/delivery/account/completionWindow';
import { rateWindowFor } from '../../../../nodes/GmailSmtp/delivery/account/limitStore';

describe('the rate window', () => {
	it('turns a per-second cap into slots per window, also below one a second', () => {
		expect(rateWindowFor(5)).toEqual({ slots: 5, windowMs: 1000 });
		expect(rateWindowFor(0.5)).toEqual({ slots: 1, windowMs: 2000 });
		expect(rateWindowFor(2.5)).toEqual({ slots: 2, windowMs: 800 });
		expect(rateWindowFor(0)).toBeUndefined();
	});

	it('counts an attempt until a window after it finished, not after it started', () => {
		const window = new CompletionWindow();
		const rate = { slots: 1, windowMs: 1000 };
		expect(window.tryStart('a', rate, 0)).toEqual({ go: true });
		// Waited 5 s for a connection: still in flight, still counted.
		expect(window.tryStart('b', rate, 5000)).toMatchObject({ go: false, reason: 'rate' });
		window.finish('a', 5200);
		expect(window.tryStart('b', rate, 6000)).toEqual({
			go: false,
			reason: 'rate',
			retryInMs: 200,
		});
		expect(window.tryStart('b', rate, 6200)).toEqual({ go: true });
	});

	it('an attempt that never started gives its slot back', () => {
		const window = new CompletionWindow();
		const rate = { slots: 1, windowMs: 1000 };
		window.tryStart('a', rate, 0);
		window.cancel('a');
		expect(window.tryStart('b', rate, 1)).toEqual({ go: true });
	});
});
