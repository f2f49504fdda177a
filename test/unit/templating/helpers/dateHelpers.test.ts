import { renderWith } from './renderWith';

const instant = '2026-03-14T21:30:05Z';

describe('formatDate', () => {
	it.each([
		['default preset in UTC', '{{formatDate at}}', {}, 'Mar 14, 2026'],
		['crosses midnight in Tokyo', '{{formatDate at}}', { timeZone: 'Asia/Tokyo' }, 'Mar 15, 2026'],
		['German long date', '{{formatDate at "long"}}', { locale: 'de-DE' }, '14. März 2026'],
		[
			'full date in French',
			'{{formatDate at "full"}}',
			{ locale: 'fr-FR', timeZone: 'Europe/Paris' },
			'samedi 14 mars 2026',
		],
		[
			'pattern in Berlin (UTC+1 in March)',
			'{{formatDate at "dd.MM.yyyy HH:mm"}}',
			{ timeZone: 'Europe/Berlin' },
			'14.03.2026 22:30',
		],
		[
			'pattern with names, 12-hour clock and a quoted literal',
			'{{formatDate at "EEEE, d MMMM yyyy \'at\' h:mm a"}}',
			{ timeZone: 'America/New_York' },
			'Saturday, 14 March 2026 at 5:30 PM',
		],
		[
			'time zone given in the template wins over the setting',
			'{{formatDate at "HH:mm z" timeZone="America/Los_Angeles"}}',
			{ timeZone: 'Europe/Berlin' },
			'14:30 PDT',
		],
		[
			'the README example with a zone abbreviation',
			'{{formatDate at "EEEE, d MMMM \'at\' h:mm a z"}}',
			{ timeZone: 'America/New_York' },
			'Saturday, 14 March at 5:30 PM EDT',
		],
		['locale given in the template', '{{formatDate at "MMMM" locale="es"}}', {}, 'marzo'],
		[
			'a date-only value is a calendar day in every zone',
			'{{formatDate day "yyyy-MM-dd"}}',
			{ timeZone: 'America/Los_Angeles' },
			'2026-03-14',
		],
		['Unix seconds', '{{formatDate seconds "yyyy-MM-dd HH:mm:ss"}}', {}, '2023-11-14 22:13:20'],
		['epoch milliseconds', '{{formatDate millis "yyyy-MM-dd"}}', {}, '2023-11-14'],
		['datetime preset', '{{formatDate at "datetime"}}', { locale: 'en-GB' }, '14 Mar 2026, 21:30'],
		['missing value prints nothing', '[{{formatDate nothing}}]', {}, '[]'],
	])('%s', (_label, template, settings, expected) => {
		const data = {
			at: instant,
			day: '2026-03-14',
			seconds: 1_700_000_000,
			millis: 1_700_000_000_000,
		};
		expect(renderWith(template, data, settings).text).toBe(expected);
	});

	it('formats "now"', () => {
		expect(renderWith('{{formatDate "now" "yyyy"}}', {}).text).toBe(
			String(new Date().getUTCFullYear()),
		);
	});

	it('rejects text that is not a date, with the position of the call', () => {
		expect(() => renderWith('Hi\n {{formatDate at}}', { at: 'next Tuesday' })).toThrow(
			expect.objectContaining({
				failure: expect.objectContaining({
					description: expect.stringMatching(
						/^formatDate: "next Tuesday" is not a date.*\(line 2, column 2\)$/,
					),
				}),
			}),
		);
	});

	it('rejects an unknown time zone in the template', () => {
		expect(() => renderWith('{{formatDate at timeZone="Mars/Olympus"}}', { at: instant })).toThrow(
			/Could not render/,
		);
	});
});
