import { createTransport } from 'nodemailer';

import type { TransportMessage } from './smtpTransport';

/**
 * The message exactly as it would go over the wire (RFC 5322, an `.eml` file), built by the same
 * nodemailer that sends it, with file and URL access off; nothing is connected. Like a sent
 * message it has no Bcc header (the Bcc recipients are only in the envelope).
 */
export async function buildRawMessage(message: TransportMessage): Promise<Buffer> {
	const composer = createTransport({
		streamTransport: true,
		buffer: true,
		newline: 'windows',
		disableFileAccess: true,
		disableUrlAccess: true,
	});
	const info = await composer.sendMail({ ...message, bcc: undefined });
	return info.message as Buffer;
}
