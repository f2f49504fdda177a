// n8n's execute context as the node sees it, faked the way n8n answers (parameters looked up by
// name, an expression per item, credentials, Continue On Fail, hints, waits): for the jest tests,
// the child processes that stand in for n8n and the benchmark. Nothing in it needs jest.
import type {
	IBinaryData,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeParameters,
	NodeExecutionHint,
	NodeParameterValue,
} from 'n8n-workflow';

export interface FakeExecuteContextOptions {
	/** Node parameters by name; a function value is evaluated per item, like an n8n expression. */
	parameters: Record<string, unknown | ((itemIndex: number, item: INodeExecutionData) => unknown)>;
	items: INodeExecutionData[];
	credentials: Record<string, unknown>;
	continueOnFail?: boolean;
	/** The workflow's time zone (n8n's `getTimezone()`). */
	timezone?: string;
	/** The run of the node that fed this one (`$prevNode` in n8n's expressions). */
	previousRun?: PreviousRun;
}

/** `$prevNode` of n8n's expressions: the node, output and run the input came from. */
export interface PreviousRun {
	name: string;
	outputIndex: number;
	runIndex: number;
}

/** n8n's `evaluateExpression` for the one kind of expression the node evaluates: `$prevNode`. */
export function evaluatePreviousRun(previousRun: PreviousRun | undefined) {
	return (expression: string): unknown => {
		const key = /^\{\{ \$prevNode\.(name|outputIndex|runIndex) \}\}$/.exec(expression)?.[1];
		if (!key) throw new Error(`the fake context cannot evaluate ${expression}`);
		return previousRun?.[key as keyof PreviousRun];
	};
}

/** What a waiting execution did: the resume links it handed out and when it waits until. */
export interface WaitRecord {
	waitTill?: Date;
	/** The node asked n8n (1.x) to check the links' signature before it handed out a link. */
	signatureRequired?: boolean;
	linksBeforeSignatureRequired?: number;
}

/** n8n's signed resume URL, shaped like n8n's own (the signature here is a stand-in). */
export function fakeResumeUrl(query: Record<string, string> = {}): string {
	const search = new URLSearchParams({ ...query, signature: 'test-signature' });
	return `http://localhost:5678/webhook-waiting/1/${TEST_NODE.id}?${search}`;
}

export const TEST_NODE: INode = {
	id: 'test-node',
	name: 'Gmail SMTP',
	type: 'n8n-nodes-gmail-smtp.gmailSmtp',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/**
 * Stands in for what n8n provides to `execute`: parameters are looked up by name (dotted paths
 * reach into collections), so tests do not depend on the order in which the node reads them.
 */
export function fakeExecuteContext(options: FakeExecuteContextOptions) {
	const parameterReads: Array<{ name: string; itemIndex: number }> = [];
	const wait: WaitRecord = {};
	/** What the node showed in its output pane (n8n's execution hints) and wrote to n8n's log. */
	const hints: NodeExecutionHint[] = [];
	const logs: Array<{ level: string; message: string }> = [];
	const log = (level: string) => (message: string) => logs.push({ level, message });
	const context = {
		addExecutionHints: (...added: NodeExecutionHint[]) => hints.push(...added),
		logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
		// n8n 1.x only checks a resume link's signature when the node asked for it.
		setSignatureValidationRequired: () => {
			wait.signatureRequired = true;
		},
		getSignedResumeUrl: (query?: Record<string, string>) => {
			if (!wait.signatureRequired) {
				wait.linksBeforeSignatureRequired = (wait.linksBeforeSignatureRequired ?? 0) + 1;
			}
			return fakeResumeUrl(query);
		},
		putExecutionToWait: async (waitTill: Date) => {
			wait.waitTill = waitTill;
		},
		getInputData: () => options.items,
		evaluateExpression: evaluatePreviousRun(options.previousRun),
		getNode: () => ({ ...TEST_NODE, parameters: storedParameters(options.parameters) }),
		continueOnFail: () => options.continueOnFail === true,
		getTimezone: () => options.timezone ?? 'UTC',
		getCredentials: async (type: string) => {
			if (type !== 'gmailSmtpApi') throw new Error(`unexpected credential type ${type}`);
			return options.credentials as ICredentialDataDecryptedObject;
		},
		helpers: fakeBinaryHelpers(options.items),
		getNodeParameter: (name: string, itemIndex: number, ...fallback: unknown[]) => {
			parameterReads.push({ name, itemIndex });
			const value = lookup(options.parameters, name);
			const resolved =
				typeof value === 'function' ? value(itemIndex, options.items[itemIndex]) : value;
			if (resolved !== undefined) return resolved;
			// Like n8n: an undefined fallback does not count, the read fails.
			if (fallback[0] !== undefined) return fallback[0];
			throw new Error(`Could not get parameter "${name}"`);
		},
	};
	return { context: context as unknown as IExecuteFunctions, parameterReads, wait, hints, logs };
}

/**
 * n8n's binary helpers for in-memory binary data: the bytes are the base64 `data` of the item's
 * binary property (n8n reads data kept on disk or in S3 through the binary `id` instead).
 */
function fakeBinaryHelpers(items: INodeExecutionData[]) {
	const propertyOf = (itemIndex: number, propertyName: string) => {
		const binary = items[itemIndex]?.binary?.[propertyName];
		if (!binary) {
			throw new Error(`The item has no binary field '${propertyName}' [item ${itemIndex}]`);
		}
		if (binary.id) throw new Error('the fake context only holds in-memory binary data');
		return binary;
	};
	return {
		assertBinaryData: propertyOf,
		getBinaryDataBuffer: async (itemIndex: number, propertyName: string) =>
			Buffer.from(propertyOf(itemIndex, propertyName).data, 'base64'),
		// n8n keeps small files in memory the same way.
		prepareBinaryData: async (content: Buffer, fileName: string, mimeType: string) =>
			binaryProperty(content, { fileName, mimeType }),
	};
}

/** An n8n binary property holding `content` in memory, as nodes that read files produce it. */
export function binaryProperty(
	content: Buffer | string,
	metadata: { fileName?: string; mimeType: string; fileExtension?: string },
): IBinaryData {
	const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content);
	return { data: bytes.toString('base64'), fileSize: String(bytes.length), ...metadata };
}

/**
 * The parameters as n8n stores them on the node: an expression is a string starting with `=`.
 * Function values stand for expressions here.
 */
function storedParameters(parameters: Record<string, unknown>): INodeParameters {
	const stored: INodeParameters = {};
	for (const [name, value] of Object.entries(parameters)) {
		if (typeof value === 'function') stored[name] = '={{ per-item expression }}';
		else if (value && typeof value === 'object' && !Array.isArray(value)) {
			stored[name] = storedParameters(value as Record<string, unknown>);
		} else stored[name] = value as NodeParameterValue;
	}
	return stored;
}

function lookup(parameters: Record<string, unknown>, path: string): unknown {
	return path
		.split('.')
		.reduce<unknown>(
			(value, key) =>
				value && typeof value === 'object' ? (value as IDataObject)[key] : undefined,
			parameters,
		);
}

export function jsonItems(...json: IDataObject[]): INodeExecutionData[] {
	return json.map((entry) => ({ json: entry }));
}
