// Recreates a database of a past schema version from a JSON dump, and dumps one, with plain
// IndexedDB and the app's own schema steps. No Node imports: a browser test can reuse it as is.
import { SCHEMA_STEPS, upgradeSchema } from '../../src/storage/db/schema.js';

/** A database as JSON: its version and every store's records in key order. */
export interface DbDump {
  readonly version: number;
  readonly stores: Readonly<Record<string, readonly unknown[]>>;
}

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
    tx.onerror = () => reject(tx.error ?? new Error('transaction failed'));
  });
}

/**
 * Creates database `name` at `dump.version` through the schema steps up to that version (no
 * later ones), then writes the dump's records as they are. Throws if the database already exists.
 */
export async function loadFixture(factory: IDBFactory, name: string, dump: DbDump): Promise<void> {
  if (!SCHEMA_STEPS.some((s) => s.version === dump.version)) throw new Error(`fixture version ${dump.version} is not a schema version`);
  const request = factory.open(name, dump.version);
  let created = false;
  request.onupgradeneeded = (ev) => {
    if (ev.oldVersion !== 0) return;
    created = true;
    upgradeSchema(request.result, request.transaction!, 0, dump.version);
  };
  const db = await done(request);
  try {
    if (!created) throw new Error(`database "${name}" already exists`);
    const names = Object.keys(dump.stores).filter((s) => dump.stores[s]!.length > 0);
    const missing = names.filter((s) => !db.objectStoreNames.contains(s));
    if (missing.length > 0) throw new Error(`fixture names store(s) ${missing.join(', ')} that version ${dump.version} does not have`);
    if (names.length === 0) return;
    const tx = db.transaction(names, 'readwrite');
    const ok = committed(tx);
    for (const s of names) for (const r of dump.stores[s]!) tx.objectStore(s).put(r);
    await ok;
  } finally {
    db.close();
  }
}

/** Every store of database `name` (opened at its current version, never upgraded), in key order. */
export async function dumpDb(factory: IDBFactory, name: string): Promise<DbDump> {
  const db = await done(factory.open(name));
  try {
    const names = Array.from(db.objectStoreNames).sort();
    const stores: Record<string, unknown[]> = {};
    if (names.length > 0) {
      const tx = db.transaction(names, 'readonly');
      const all = await Promise.all(names.map((s) => done(tx.objectStore(s).getAll())));
      names.forEach((s, i) => (stores[s] = all[i]!));
    }
    return { version: db.version, stores };
  } finally {
    db.close();
  }
}
