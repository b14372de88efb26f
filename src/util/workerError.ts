/**
 * Errors crossing a worker-thread boundary. Structured cloning keeps only plain data, so a worker sends this
 * payload and the main thread revives it: an input error (any QmisidError: a config path, a column, a flag)
 * stays an input error with its one-line message (exit code 2); anything else is a bug and keeps its stack.
 * One encoding for every worker of the bench (generator blocks, study toys, gradient threads).
 */
import { QmisidError } from '../errors.js';

export interface WorkerErrorPayload {
  name: string;
  message: string;
  stack?: string;
  input: boolean;
}

/** Worker side: what to post for a caught error. */
export function toWorkerError(err: unknown): WorkerErrorPayload {
  if (err instanceof Error)
    return { name: err.name, message: err.message, ...(err.stack ? { stack: err.stack } : {}), input: err instanceof QmisidError };
  return { name: 'Error', message: String(err), input: false };
}

/** Main-thread side: the error to throw; `context` says which worker (e.g. `toy 3`). */
export function fromWorkerError(p: WorkerErrorPayload, context: string): Error {
  if (p.input) {
    const e = new QmisidError(p.message);
    e.name = p.name;
    return e;
  }
  const e = new Error(`${context}: ${p.name}: ${p.message}`);
  if (p.stack) e.stack = `${e.message}\n--- in the worker ---\n${p.stack}`;
  return e;
}
