// Recognises every browser's "storage is full" error and turns it into one a person understands.
import { StorageError } from './types.js';

/** Firefox's name (and sometimes only its message) for a full quota. */
const FIREFOX_QUOTA = 'NS_ERROR_DOM_QUOTA_REACHED';
/** Legacy numeric codes: old WebKit/Chromium QUOTA_EXCEEDED_ERR, and Firefox's NS_ERROR_DOM_QUOTA_REACHED. */
const QUOTA_CODES = new Set([22, 1014]);
// An error can hide behind a transaction, a request, an event's target or a `cause`: a few hops are enough.
const MAX_HOPS = 4;

function field(e: object, key: string): unknown {
  try {
    return (e as Record<string, unknown>)[key];
  } catch {
    return undefined; // a getter that throws (e.g. IDBRequest.error before it is done)
  }
}

/**
 * True for a quota error from any browser: DOMException `QuotaExceededError`, Firefox
 * `NS_ERROR_DOM_QUOTA_REACHED` (name or message), legacy codes 22 and 1014, and an IndexedDB
 * transaction/request/event (or a wrapped error) whose `error`/`target.error`/`cause` is one.
 * @example isQuotaError(new DOMException('full', 'QuotaExceededError')) // → true
 */
export function isQuotaError(e: unknown, hops = 0): boolean {
  if (e === null || typeof e !== 'object' || hops > MAX_HOPS) return false;
  if (e instanceof StorageError) return e.code === 'quota' || isQuotaError(e.cause, hops + 1);
  const name = field(e, 'name');
  if (name === 'QuotaExceededError' || name === FIREFOX_QUOTA) return true;
  const message = field(e, 'message');
  if (typeof message === 'string' && message.includes(FIREFOX_QUOTA)) return true;
  const code = field(e, 'code');
  if (typeof code === 'number' && QUOTA_CODES.has(code)) return true;
  // An aborted transaction's (or failed request's) `error`, an event's target, a wrapped cause.
  const target = field(e, 'target');
  return (
    isQuotaError(field(e, 'error'), hops + 1) ||
    (target !== e && isQuotaError(target, hops + 1)) ||
    isQuotaError(field(e, 'cause'), hops + 1)
  );
}

/** The sentence a person reads when `what` could not be saved because storage is full. */
export const quotaMessage = (what: string): string =>
  `Not enough storage to save ${what}. Nothing already saved was lost. Free space by deleting runs, checkpoints or datasets (the Storage button at the top of the page).`;

/**
 * Wraps any error raised while saving `what`: quota errors become StorageError('quota') with
 * `quotaMessage`; StorageErrors pass through; anything else becomes StorageError('unavailable').
 */
export function toStorageError(e: unknown, what: string): StorageError {
  if (e instanceof StorageError) return e;
  if (isQuotaError(e)) return new StorageError('quota', quotaMessage(what), e);
  const message = e !== null && typeof e === 'object' ? field(e, 'message') : undefined;
  const detail = typeof message === 'string' ? message : String(e);
  return new StorageError('unavailable', `Could not save ${what}: ${detail || 'the browser refused the write'}.`, e);
}
