import fc from 'fast-check';

/**
 * Strings built from the pieces that header injection, template injection and broken data use:
 * line breaks and control characters, headers smuggled in, address and encoded-word syntax,
 * template braces and prototype names, links and Content-IDs, with random bytes between them.
 */
export const hostileString = fc
	.array(
		fc.oneof(
			fc.string({ unit: 'binary', maxLength: 8 }),
			fc.constantFrom(
				'\r\n',
				'\n',
				'\r',
				'\t',
				'\u0000',
				'\u2028',
				'Bcc: victim@example.com',
				'X-Injected: yes',
				'{{',
				'}}',
				'{{constructor.constructor "return process"}}',
				'__proto__',
				'<script>alert(1)</script>',
				'https://example.com/u?x=1',
				'mailto:a@example.com',
				'<abc@example.com>',
				'a@example.com',
				'cid:logo',
				'"',
				'<',
				'>',
				',',
				':',
				' ',
				'@',
				'.',
				'=?utf-8?B?',
				'ü',
			),
		),
		{ maxLength: 12 },
	)
	.map((parts) => parts.join(''));
