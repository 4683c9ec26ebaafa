// One IndexedDB connection that reopens itself: after a quota error (Firefox can leave the old
// one read-only), after another tab's upgrade closed it, or after the browser dropped it.
import { wrap, type DBSchema, type IDBPDatabase } from 'idb';
import { StorageError } from '../types.js';
import { upgradeSchema } from './schema.js';

/** The stores and indexes; values are `unknown` on purpose: everything read goes through the codec. */
export interface NfDbSchema extends DBSchema {
  projects: { key: string; value: unknown };
  versions: { key: string; value: unknown; indexes: { projectId: string } };
  datasets: { key: string; value: unknown };
  runs: { key: string; value: unknown; indexes: { projectId: string } };
  metrics: { key: [string, string, number]; value: unknown };
  checkpoints: { key: string; value: unknown; indexes: { runId: string } };
  exports: { key: string; value: unknown; indexes: { projectId: string } };
  meta: { key: string; value: unknown };
}

export type NfDb = IDBPDatabase<NfDbSchema>;

const errorName = (e: unknown): string => (e !== null && typeof e === 'object' && 'name' in e ? String(e.name) : '');
const errorText = (e: unknown): string => (e instanceof Error || (e !== null && typeof e === 'object' && 'message' in e) ? String((e as { message: unknown }).message) : String(e));

/** Opens `name` at `version` (or at whatever version it has, when undefined), upgrading through the schema chain. */
function openAt(factory: IDBFactory, name: string, version: number | undefined): Promise<NfDb> {
  const request = version === undefined ? factory.open(name) : factory.open(name, version);
  let upgradeError: unknown = null;
  request.addEventListener('upgradeneeded', (ev) => {
    const tx = request.transaction!;
    try {
      upgradeSchema(request.result, tx, ev.oldVersion, ev.newVersion ?? version ?? 1);
    } catch (e) {
      upgradeError = e;
      tx.abort(); // the database stays exactly at its old version
    }
  });
  return (wrap(request) as Promise<NfDb>).catch((e: unknown) => {
    throw upgradeError ?? e;
  });
}

export class Connection {
  private db: NfDb | null = null;
  private opening: Promise<NfDb> | null = null;
  private closed = false;
  /** The version of the database as opened (newer than the app's when `readOnly`). */
  version = 0;
  /** True when a newer app wrote the database: it was opened without upgrading. */
  readOnly = false;

  private constructor(
    private readonly factory: IDBFactory,
    readonly name: string,
    /** The version this app opens at (SCHEMA_VERSION, or lower for fixtures). */
    readonly target: number,
  ) {}

  /** Opens (creating or upgrading) the database; rejects with StorageError('unavailable') if it cannot. */
  static async open(factory: IDBFactory, name: string, target: number): Promise<Connection> {
    const c = new Connection(factory, name, target);
    await c.get();
    return c;
  }

  /** The live connection, reopened if it was dropped. */
  get(): Promise<NfDb> {
    if (this.closed) return Promise.reject(new StorageError('unavailable', 'The storage database was closed; reload the page.'));
    if (this.db) return Promise.resolve(this.db);
    this.opening ??= this.connect().finally(() => {
      this.opening = null;
    });
    return this.opening;
  }

  /** Closes the current connection; the next `get()` opens a fresh one. */
  drop(): void {
    const db = this.db;
    this.db = null;
    db?.close();
  }

  /** Closes for good. */
  close(): void {
    this.closed = true;
    this.drop();
  }

  private async connect(): Promise<NfDb> {
    let db: NfDb;
    try {
      db = await openAt(this.factory, this.name, this.target);
      this.readOnly = false;
    } catch (e) {
      if (errorName(e) !== 'VersionError') throw new StorageError('unavailable', `Could not open the storage database "${this.name}": ${errorText(e)}`, e);
      // A newer app upgraded it: open as it is, without upgrading, and never write.
      try {
        db = await openAt(this.factory, this.name, undefined);
      } catch (e2) {
        throw new StorageError('unavailable', `Could not open the storage database "${this.name}": ${errorText(e2)}`, e2);
      }
      this.readOnly = true;
    }
    if (this.closed) {
      db.close();
      throw new StorageError('unavailable', 'The storage database was closed; reload the page.');
    }
    // Another tab wants to upgrade: step aside (the next operation reopens, read-only if it is now newer).
    db.addEventListener('versionchange', () => this.drop());
    db.addEventListener('close', () => {
      if (this.db === db) this.db = null;
    });
    this.version = db.version;
    this.db = db;
    return db;
  }
}
