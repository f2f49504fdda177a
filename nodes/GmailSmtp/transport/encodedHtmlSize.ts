import MimeNode from 'nodemailer/lib/mime-node';

const NEWLINE = '\r\n';
const HEADER_END = Buffer.from(`${NEWLINE}${NEWLINE}`);

/**
 * The bytes the HTML part of a message takes on the wire: built by the nodemailer MIME node that
 * sends it, so the transfer encoding (7bit, quoted-printable or base64, as nodemailer picks for
 * this HTML) and its line wrapping are exactly those of the message sent. Headers not counted.
 */
export async function encodedHtmlSize(html: string): Promise<number> {
	const part = new MimeNode('text/html; charset=utf-8', {
		newline: 'windows',
		disableFileAccess: true,
		disableUrlAccess: true,
	});
	part.setContent(html);
	const built = await part.build();
	const bodyStart = built.indexOf(HEADER_END);
	if (bodyStart < 0) return 0;
	// The line break that ends the part belongs to the boundary after it in the message.
	const end = built.subarray(-2).toString() === NEWLINE ? built.length - 2 : built.length;
	return end - bodyStart - HEADER_END.length;
}
