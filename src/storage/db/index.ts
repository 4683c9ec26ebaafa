// Opens NeuralForge's IndexedDB database as a StorageDb (see src/storage/types.ts).
import type { StorageDb } from '../types.js';
import { StorageError } from '../types.js';
import { Connection } from './connection.js';
import { SCHEMA_VERSION } from './schema.js';
import { IdbStorageDb } from './storage-db.js';

export { SCHEMA_VERSION, SCHEMA_STEPS, upgradeSchema, type SchemaStep } from './schema.js';
export { decodeRecord, encodeRecord } from './codec.js';

export interface OpenStorageDbOptions {
  /** Database name; default 'neuralforge'. */
  readonly name?: string;
  /** The IndexedDB factory; default the global `indexedDB`. Node tests pass fake-indexeddb's (with `fake-indexeddb/auto` loaded for the IDB classes). */
  readonly indexedDB?: IDBFactory;
  /** Open at this older schema version instead of SCHEMA_VERSION: only for producing fixtures of past layouts. */
  readonly upTo?: number;
}

/**
 * Opens (creating or upgrading through every schema step) the database. A database written by a
 * newer app opens without upgrading and the StorageDb is `readOnly`: every write throws
 * StorageError('read-only'). Rejects with StorageError('unavailable') when IndexedDB is missing or refuses.
 * @example const db = await openStorageDb(); await db.putProject(record);
 */
export async function openStorageDb(opts: OpenStorageDbOptions = {}): Promise<StorageDb> {
  const factory = opts.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!factory) throw new StorageError('unavailable', 'This browser offers no IndexedDB (private mode can disable it), so nothing can be saved on this device.');
  const target = opts.upTo ?? SCHEMA_VERSION;
  if (!Number.isInteger(target) || target < 1 || target > SCHEMA_VERSION) throw new RangeError(`upTo must be a schema version from 1 to ${SCHEMA_VERSION}; got ${target}`);
  return new IdbStorageDb(await Connection.open(factory, opts.name ?? 'neuralforge', target));
}
