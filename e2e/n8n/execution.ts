// An n8n execution as the checks read it: printed by `n8n execute --rawOutput`, or read through
// n8n's REST API. Only what the checks look at is typed.

/** What the checks read of an output item; the Gmail SMTP node's fields are as in the README. */
export interface OutputItem {
	messageId?: string;
	envelope?: { from: string; to: string[] };
	status?: string;
	suppressed?: string[];
	error?: {
		message: string;
		description?: string;
		kind?: string;
		messageId?: string;
	};
	[field: string]: unknown;
}

export interface NodeRun {
	executionTime?: number;
	data?: { main?: Array<Array<{ json: OutputItem }> | null> };
}

export interface ExecutionError {
	message: string;
	description?: string;
	node?: { name: string };
}

export interface ExecutionData {
	resultData: {
		runData: Record<string, NodeRun[] | undefined>;
		error?: ExecutionError;
	};
}

export interface Execution {
	id?: string;
	workflowId?: string;
	status?: string;
	finished?: boolean;
	data: ExecutionData;
}

/** The execution printed by `n8n execute --rawOutput`: the JSON between a line `{` and a line `}`. */
export function parseExecution(stdout: string): Execution | undefined {
	const lines = stdout.split('\n');
	const start = lines.indexOf('{');
	const end = lines.lastIndexOf('}');
	if (start === -1 || end < start) return undefined;
	return JSON.parse(lines.slice(start, end + 1).join('\n')) as Execution;
}

/** Every run's items of a node (first output unless `output` says which), as plain JSON. */
export function allRunsOutput(execution: Execution, nodeName: string, output = 0): OutputItem[][] {
	return (execution.data.resultData.runData[nodeName] ?? []).map((run) =>
		(run.data?.main?.[output] ?? []).map((item) => item.json),
	);
}

/**
 * Output items of a node's first run (first output unless `output` says which, e.g. 1 for an IF
 * node's false branch); undefined when the node did not run.
 */
export function nodeOutput(
	execution: Execution,
	nodeName: string,
	output = 0,
): OutputItem[] | undefined {
	if (!execution.data.resultData.runData[nodeName]) return undefined;
	return allRunsOutput(execution, nodeName, output)[0];
}

/** Items of a node's last run (a resumed node runs again). */
export function lastRunOutput(execution: Execution, nodeName: string): OutputItem[] {
	return allRunsOutput(execution, nodeName).at(-1) ?? [];
}

/** Runs of a node in an execution. */
export function runCount(execution: Execution, nodeName: string): number {
	return (execution.data.resultData.runData[nodeName] ?? []).length;
}

/**
 * Runs an imported workflow with `n8n execute` and returns the parsed execution; throws when it
 * fails unless `expectFailure` (then `execution` may be missing).
 */
export type ExecuteWorkflow = (
	workflowId: string,
	options?: { expectFailure?: boolean },
) => Promise<{
	execution: Execution;
	error: ExecutionError | undefined;
	result: { code: number | null; stdout: string; stderr: string };
}>;
