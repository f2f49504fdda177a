import { htmlForDisplay } from '../../../nodes/GmailSmtp/message/htmlPreview';
import type { MessageDraft } from '../../../nodes/GmailSmtp/message/messageDraft';

const draft = (html: string, attachments: MessageDraft['attachments'] = []): MessageDraft => ({
	from: { name: '', address: 'a@example.com' },
	to: [{ name: '', address: 'b@example.com' }],
	cc: [],
	bcc: [],
	replyTo: [],
	subject: 'Hi',
	html,
	attachments,
});

describe('htmlForDisplay', () => {
	const logo = {
		filename: 'logo.png',
		contentType: 'image/png',
		content: Buffer.from('PNG'),
		contentDisposition: 'inline' as const,
		contentTransferEncoding: 'base64' as const,
		cid: 'logo',
	};

	it('shows inline images from the message, as the recipient sees them', () => {
		expect(
			htmlForDisplay(
				draft('<img src="cid:logo"><div style="background:url(cid:logo)"></div>', [logo]),
			),
		).toBe(
			'<img src="data:image/png;base64,UE5H"><div style="background:url(data:image/png;base64,UE5H)"></div>',
		);
	});

	it('leaves links to parts it does not have, and everything else, as they are', () => {
		expect(htmlForDisplay(draft('<img src="cid:missing"> cid:logo'))).toBe(
			'<img src="cid:missing"> cid:logo',
		);
	});
});
