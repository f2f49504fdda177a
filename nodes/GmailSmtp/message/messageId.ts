import { randomUUID } from 'node:crypto';
import { domainToASCII } from 'node:url';

/**
 * A new Message-ID in the domain of the From address (the account, or its send-as alias), so that
 * IDs do not reveal the machine n8n runs on and replies can be matched to the sending domain.
 * International domains are written in their ASCII (punycode) form, as a Message-ID must be ASCII.
 */
export function createMessageId(fromAddress: string): string {
	const domain = fromAddress.slice(fromAddress.lastIndexOf('@') + 1);
	const asciiDomain = domainToASCII(domain.toLowerCase()) || 'localhost';
	return `<${randomUUID()}@${asciiDomain}>`;
}
