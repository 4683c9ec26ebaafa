// Failures of the evaluator worker as the page reads them: a code (what kind of problem, so the
// panel can offer the right way out) and a message for a person. Nothing here ever rejects.
import { DatasetError } from '../engine/data/index.js';
import { EvalInputError } from '../engine/eval/index.js';
import type { EvalErrorCode, EvalFailure } from './evaluator-api.js';
import { DataUnavailable } from './load-run-data.js';
import { toWireError } from './trainer-api.js';

/** A failure with a code the page acts on; its message names what and where, for a person. */
export class EvalError extends Error {
  constructor(
    readonly code: EvalErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EvalError';
  }
}

/** Errors a person caused or can fix: reported without a stack. */
const personal = (e: unknown): e is Error => e instanceof EvalError || e instanceof DatasetError || e instanceof DataUnavailable;

/**
 * Any thrown value as the reply the page gets. `inputIsRequest`: an EvalInputError came from
 * what the page asked (a follow-up's node or class), so it is a bad request, not a failure.
 */
export function toFailure(e: unknown, inputIsRequest = false): EvalFailure {
  if (e instanceof EvalError) return { ok: false, code: e.code, error: { message: e.message, stack: null } };
  if (inputIsRequest && e instanceof EvalInputError) return { ok: false, code: 'bad-request', error: { message: e.message, stack: null } };
  return { ok: false, code: 'failed', error: personal(e) ? { message: e.message, stack: null } : toWireError(e) };
}
