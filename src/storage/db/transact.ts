// One transaction per logical operation, with every failure turned into a StorageError: quota
// errors (which reopen the connection), refusals, and a database a newer app reshaped.
import type { IDBPTransaction } from 'idb';
import { isQuotaError, toStorageError } from '../quota.js';
import { StorageError, type Durability } from '../types.js';
import { readOnlyError } from './codec.js';
import type { Connection, NfDbSchema } from './connection.js';

export type StoreName = 'projects' | 'versions' | 'datasets' | 'runs' | 'metrics' | 'checkpoints' | 'exports' | 'meta';
export type ReadTx = IDBPTransaction<NfDbSchema, StoreName[], 'readonly'>;
export type WriteTx = IDBPTransaction<NfDbSchema, StoreName[], 'readwrite'>;

const errorText = (e: unknown): string => (e !== null && typeof e === 'object' && 'message' in e ? String((e as { message: unknown }).message) : String(e));
const errorName = (e: unknown): string => (e !== null && typeof e === 'object' && 'name' in e ? String((e as { name: unknown }).name) : '');

function abortQuietly(tx: { abort(): void } | null): void {
  try {
    tx?.abort();
  } catch {
    // already committed or aborted
  }
}

/** Opens a transaction, reopening once if the connection was closed under us (another tab's upgrade). */
async function begin<M extends IDBTransactionMode>(conn: Connection, stores: StoreName[], mode: M, durability: Durability | undefined, what: string) {
  for (let attempt = 0; ; attempt++) {
    const db = await conn.get();
    const missing = stores.find((s) => !db.objectStoreNames.contains(s));
    if (missing)
      throw conn.readOnly
        ? new StorageError('newer-schema', `Cannot read ${what}: a newer NeuralForge reshaped this storage (database version ${conn.version}). Update the app.`)
        : new StorageError('unavailable', `Cannot use ${what}: the "${missing}" store needs database version 2 or later (this one is version ${conn.version}).`);
    try {
      return durability ? db.transaction(stores, mode, { durability }) : db.transaction(stores, mode);
    } catch (e) {
      if (errorName(e) !== 'InvalidStateError' || attempt > 0) throw e;
      conn.drop();
    }
  }
}

/** Runs `fn` in one read-only transaction over `stores`. */
export async function readTx<T>(conn: Connection, stores: StoreName[], what: string, fn: (tx: ReadTx) => Promise<T>): Promise<T> {
  let tx: ReadTx | null = null;
  try {
    tx = (await begin(conn, stores, 'readonly', undefined, what)) as ReadTx;
    tx.done.catch(() => undefined); // observed below through fn's requests
    return await fn(tx);
  } catch (e) {
    abortQuietly(tx);
    if (e instanceof StorageError) throw e;
    if (isQuotaError(e)) conn.drop();
    throw new StorageError('unavailable', `Could not read ${what}: ${errorText(e)}`, e);
  }
}

/**
 * Runs `fn` in one read-write transaction and resolves once it has committed (with `durability`
 * 'strict', once it is on disk). Any throw aborts it, so nothing of it is kept. Quota errors of
 * every browser become StorageError('quota') and the connection is reopened for the next call.
 */
export async function writeTx<T>(conn: Connection, stores: StoreName[], durability: Durability, what: string, fn: (tx: WriteTx) => Promise<T>): Promise<T> {
  let tx: WriteTx | null = null;
  try {
    await conn.get();
    if (conn.readOnly) throw readOnlyError(what, `this storage was written by a newer NeuralForge (database version ${conn.version}).`);
    tx = (await begin(conn, stores, 'readwrite', durability, what)) as WriteTx;
    const done = tx.done;
    done.catch(() => undefined); // awaited below; a failure of fn must not leave it unobserved
    const result = await fn(tx);
    await done;
    return result;
  } catch (e) {
    abortQuietly(tx);
    // A request fails with AbortError when its transaction aborts; the reason is on the transaction.
    const reason = tx && isQuotaError(tx.error) ? tx.error : e;
    if (isQuotaError(reason)) conn.drop();
    throw toStorageError(reason, what);
  }
}
