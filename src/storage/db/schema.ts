// The IndexedDB layout as a chain of versioned steps, each run once inside the versionchange
// transaction. Plain IndexedDB (no idb wrapper), so test fixtures can replay the same steps.
import { migrateRecord, recordVersionAt, type RawRecord, type RecordStore } from '../records.js';

export interface SchemaStep {
  /** The database version this step produces. */
  readonly version: number;
  readonly describe: string;
  /** Runs synchronously inside the versionchange transaction; may queue requests on `tx`. */
  apply(db: IDBDatabase, tx: IDBTransaction): void;
}

/** Marks who last upgraded the database (the `meta` store's `writtenBy`). */
export const WRITTEN_BY = 'neuralforge';

/**
 * Rewrites every record of `store` that is older than the record schema written at `dbVersion`.
 * Structural only, no validation: a damaged record must not abort the upgrade (reads report it).
 */
function migrateStore(tx: IDBTransaction, store: RecordStore, dbVersion: number): void {
  const target = recordVersionAt(store, dbVersion).schema;
  const request = tx.objectStore(store).openCursor();
  request.onsuccess = () => {
    const cursor = request.result;
    if (!cursor) return;
    const raw: unknown = cursor.value;
    if (raw !== null && typeof raw === 'object' && typeof (raw as RawRecord)['schema'] === 'number' && ((raw as RawRecord)['schema'] as number) < target)
      cursor.update(migrateRecord(store, raw as RawRecord, target));
    cursor.continue();
  };
}

export const SCHEMA_STEPS: readonly SchemaStep[] = [
  {
    version: 1,
    describe: 'first layout: projects, versions, datasets, runs, metrics, checkpoints',
    apply(db) {
      db.createObjectStore('projects', { keyPath: 'id' });
      db.createObjectStore('versions', { keyPath: 'id' }).createIndex('projectId', 'projectId');
      db.createObjectStore('datasets', { keyPath: 'id' });
      db.createObjectStore('runs', { keyPath: 'id' }).createIndex('projectId', 'projectId');
      // One key per point, so a series reads back in order with one range query.
      db.createObjectStore('metrics', { keyPath: ['runId', 'scope', 'index'] });
      db.createObjectStore('checkpoints', { keyPath: 'id' }).createIndex('runId', 'runId');
    },
  },
  {
    version: 2,
    describe: 'export history and the app marker; runs gain tags and resumedFrom',
    apply(db, tx) {
      db.createObjectStore('exports', { keyPath: 'id' }).createIndex('projectId', 'projectId');
      db.createObjectStore('meta', { keyPath: 'key' });
      migrateStore(tx, 'runs', 2);
    },
  },
  {
    version: 3,
    describe: 'runs record their environment (app, browser, TF.js) and active training time',
    apply(_db, tx) {
      migrateStore(tx, 'runs', 3);
    },
  },
  {
    version: 4,
    describe: 'runs gain a name and notes a person writes',
    apply(_db, tx) {
      migrateStore(tx, 'runs', 4);
    },
  },
];

/** The database version this app writes. */
export const SCHEMA_VERSION: number = SCHEMA_STEPS.at(-1)!.version;

/**
 * Runs every step after `oldVersion` up to `newVersion`, then records the version in `meta`
 * (once that store exists). Called from `upgradeneeded`; throws on a gap in the chain.
 */
export function upgradeSchema(db: IDBDatabase, tx: IDBTransaction, oldVersion: number, newVersion: number): void {
  for (let v = oldVersion + 1; v <= newVersion; v++) {
    const step = SCHEMA_STEPS.find((s) => s.version === v);
    if (!step) throw new Error(`no storage schema step to version ${v}`);
    step.apply(db, tx);
  }
  if (db.objectStoreNames.contains('meta')) tx.objectStore('meta').put({ key: 'app', schema: newVersion, writtenBy: WRITTEN_BY });
}
