import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** This process among every n8n process that shares a store: host, pid, and a restart's random. */
const PROCESS_TAG = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
let counter = 0;

/**
 * A name no other process sharing the store will use: for a journal line, so that a process tells
 * its own lines from the others' when it reads the journal back, and for a connection slot.
 */
export function uniqueTag(): string {
	return `${PROCESS_TAG}:${++counter}`;
}
