'use strict';
// Runs the compiled Gmail SMTP node outside n8n with the little of n8n's execute context that
// the node uses. Parameters not given fall back to the node description's defaults, as in n8n.
const path = require('node:path');

const DEFAULT_DIST = path.join(__dirname, '..', '..', 'dist');

function loadGmailSmtpNode(distDir = DEFAULT_DIST) {
	const { GmailSmtp } = require(path.join(distDir, 'nodes', 'GmailSmtp', 'GmailSmtp.node.js'));
	return new GmailSmtp();
}

/**
 * @param {{ node: object, items: object[], credentials: object,
 *   parameters: Record<string, unknown | ((item: object, itemIndex: number) => unknown)>,
 *   continueOnFail?: boolean }} options  `items` are plain JSON objects; a function parameter is
 *   evaluated per item, like an n8n expression.
 * @returns the node's first output, as n8n items `{ json, pairedItem }`
 */
async function runBuiltNode(options) {
	const items = options.items.map((json) => ({ json }));
	const defaults = Object.fromEntries(
		options.node.description.properties.map((property) => [property.name, property.default]),
	);
	const nodeInfo = {
		id: 'demo',
		name: 'Gmail SMTP',
		type: 'n8n-nodes-gmail-smtp.gmailSmtp',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const context = {
		getInputData: () => items,
		getNode: () => nodeInfo,
		continueOnFail: () => options.continueOnFail === true,
		getCredentials: async () => options.credentials,
		// n8n gives the workflow's time zone (GENERIC_TIMEZONE by default); here, this machine's.
		getTimezone: () =>
			process.env.GENERIC_TIMEZONE || Intl.DateTimeFormat().resolvedOptions().timeZone,
		getNodeParameter(name, itemIndex, ...fallback) {
			let value = lookup(options.parameters, name);
			if (typeof value === 'function') value = value(items[itemIndex].json, itemIndex);
			if (value === undefined && fallback.length > 0) value = fallback[0];
			if (value === undefined) value = lookup(defaults, name);
			if (value === undefined) throw new Error(`Could not get parameter "${name}"`);
			return value;
		},
	};
	const [output] = await options.node.execute.call(context);
	return output;
}

function lookup(object, dottedPath) {
	return dottedPath
		.split('.')
		.reduce((value, key) => (value && typeof value === 'object' ? value[key] : undefined), object);
}

module.exports = { loadGmailSmtpNode, runBuiltNode };
