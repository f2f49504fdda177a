import {
	buttonsHtml,
	buttonsText,
	controlPlaceholders,
	placeResponseControls,
	responseButtons,
} from '../../../nodes/GmailSmtp/message/responseControls';

const resumeUrl = (query: Record<string, string>) =>
	`https://n8n.example.com/webhook-waiting/7/node?${new URLSearchParams({ ...query, signature: 'abc' })}`;

describe('responseButtons', () => {
	it('an approval has one Approve button by default', () => {
		expect(responseButtons('approval', {}, '', resumeUrl)).toEqual([
			{
				label: 'Approve',
				url: 'https://n8n.example.com/webhook-waiting/7/node?approved=true&signature=abc',
				style: 'primary',
			},
		]);
	});

	it('Approve and Decline, with the labels and styles chosen', () => {
		const buttons = responseButtons(
			'approval',
			{
				approvalType: 'double',
				approveLabel: 'Grant 20 %',
				disapproveLabel: 'No discount',
				buttonApprovalStyle: 'secondary',
				buttonDisapprovalStyle: 'primary',
			},
			'',
			resumeUrl,
		);
		expect(buttons.map(({ label, style }) => [label, style])).toEqual([
			['Grant 20 %', 'secondary'],
			['No discount', 'primary'],
		]);
		expect(buttons[1].url).toContain('approved=false');
	});

	it.each(['freeText', 'customForm'] as const)(
		'%s: one Respond button to the form page',
		(type) => {
			expect(responseButtons(type, {}, 'Answer now', resumeUrl)).toEqual([
				{ label: 'Answer now', url: resumeUrl({}), style: 'primary' },
			]);
		},
	);
});

describe('the controls in the message', () => {
	const buttons = responseButtons('approval', { approvalType: 'double' }, '', resumeUrl);

	it('are tables with inline styles and escaped links: nothing a mail client strips', () => {
		const html = buttonsHtml([
			{ label: '<b>Yes</b> & go', url: 'https://x.test/?a=1&b="2"', style: 'primary' },
		]);
		expect(html).toMatch(/^<table role="presentation"/);
		expect(html).toContain('href="https://x.test/?a=1&#38;b=&#34;2&#34;"');
		expect(html).toContain('&#60;b&#62;Yes&#60;/b&#62; &#38; go');
		expect(html).not.toMatch(/<script|<style|class=|<link/i);
	});

	const stand = controlPlaceholders('t1');

	it('are appended after the HTML, before </body> of a whole document, and as links in the text', () => {
		const placed = placeResponseControls(
			{ html: '<html><body><p>Approve ACME?</p></body></html>', text: 'Approve ACME?' },
			stand,
			buttons,
		);
		expect(placed.html).toBe(
			`<html><body><p>Approve ACME?</p>${buttonsHtml(buttons)}\n</body></html>`,
		);
		expect(placed.text).toBe(`Approve ACME?\n\n${buttonsText(buttons)}`);
		expect(buttonsText(buttons)).toBe(`Approve: ${buttons[0].url}\nDecline: ${buttons[1].url}`);
	});

	it('go where the author placed them, also in a text part generated from the HTML', () => {
		const placed = placeResponseControls(
			{ html: `<p>Hi</p>${stand.html}<p>Thanks</p>`, text: `Hi\n${stand.html}\nThanks` },
			stand,
			buttons,
		);
		expect(placed).toEqual({
			html: `<p>Hi</p>${buttonsHtml(buttons)}<p>Thanks</p>`,
			text: `Hi\n${buttonsText(buttons)}\nThanks`,
		});
		expect(placeResponseControls({ text: `Links: ${stand.text}` }, stand, buttons)).toEqual({
			html: undefined,
			text: `Links: ${buttonsText(buttons)}`,
		});
	});

	it('stand-ins survive HTML escaping unchanged', () => {
		expect(stand.html).toMatch(/^[A-Za-z0-9]+$/);
		expect(stand.text).toMatch(/^[A-Za-z0-9]+$/);
	});
});
