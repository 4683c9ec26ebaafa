// StorageDb over IndexedDB: one transaction per operation, strict durability for what a person
// made, relaxed for metric streams, every record validated on the way in and out.
import type { RecordStore } from '../records.js';
import type {
  CheckpointId,
  CheckpointRecord,
  DatasetId,
  DatasetRecord,
  ExportId,
  ExportRecord,
  ImportRecords,
  MetricPoint,
  ProjectId,
  ProjectRecord,
  RunId,
  RunRecord,
  StorageDb,
  VersionId,
  VersionRecord,
} from '../types.js';
import { StorageError } from '../types.js';
import { decodeRecord, encodeRecord, isNewerRecord, keyOf, NOUNS, readOnlyError, type RecordOf } from './codec.js';
import type { Connection } from './connection.js';
import { readTx, writeTx, type StoreName, type WriteTx } from './transact.js';

// Arrays sort after every string and number, so [runId, []] bounds all of a run's metric keys.
const runMetricsRange = (runId: string) => IDBKeyRange.bound([runId], [runId, []]);
const seriesRange = (runId: string, scope: string) => IDBKeyRange.bound([runId, scope, -Infinity], [runId, scope, Infinity]);

export class IdbStorageDb implements StorageDb {
  constructor(private readonly conn: Connection) {}

  get schemaVersion(): number {
    return this.conn.version;
  }
  get readOnly(): boolean {
    return this.conn.readOnly;
  }
  close(): void {
    this.conn.close();
  }

  // ---- generic pieces -------------------------------------------------------------------------

  private decode<S extends RecordStore>(store: S, key: unknown, raw: unknown): RecordOf[S] {
    return decodeRecord(store, key, raw, this.conn.version);
  }

  private decodeAll<S extends RecordStore>(store: S, raws: readonly unknown[]): RecordOf[S][] {
    return raws.map((raw) => this.decode(store, keyOf(store, raw), raw));
  }

  private get<S extends RecordStore>(store: S, id: string): Promise<RecordOf[S] | null> {
    return readTx(this.conn, [store], `${NOUNS[store]} "${id}"`, async (tx) => {
      const raw: unknown = await tx.objectStore(store).get(id);
      return raw === undefined ? null : this.decode(store, id, raw);
    });
  }

  private listBy<S extends 'versions' | 'runs' | 'checkpoints' | 'exports'>(store: S, index: 'projectId' | 'runId', key: string): Promise<RecordOf[S][]> {
    return readTx(this.conn, [store], `the ${NOUNS[store]}s of "${key}"`, async (tx) => {
      // idb cannot type an index name over a union of stores; schema.ts gives each of these its index.
      const source = tx.objectStore(store).index(index as never) as unknown as { getAll(key: string): Promise<unknown[]> };
      const raws = await source.getAll(key);
      return this.decodeAll(store, raws);
    });
  }

  /** Throws StorageError('read-only') when the stored value is from a newer record schema. */
  private async guard(tx: WriteTx, store: RecordStore, key: IDBValidKey, what: string): Promise<unknown> {
    const raw: unknown = await tx.objectStore(store).get(key as never);
    if (isNewerRecord(store, raw, this.conn.version)) throw readOnlyError(what, 'it was written by a newer NeuralForge.');
    return raw;
  }

  private async putIn<S extends RecordStore>(tx: WriteTx, store: S, record: RecordOf[S]): Promise<void> {
    const what = `${NOUNS[store]} "${keyOf(store, record)}"`;
    const value = encodeRecord(store, record, this.conn.version);
    if (store !== 'metrics') await this.guard(tx, store, value['id'] as string, what);
    await tx.objectStore(store).put(value);
  }

  private put<S extends RecordStore>(store: S, record: RecordOf[S], what: string): Promise<void> {
    return writeTx(this.conn, [store], 'strict', what, (tx) => this.putIn(tx, store, record));
  }

  private del(store: 'datasets' | 'checkpoints' | 'exports', id: string): Promise<void> {
    const what = `the deletion of ${NOUNS[store]} "${id}"`;
    return writeTx(this.conn, [store], 'strict', what, async (tx) => {
      await this.guard(tx, store, id, what);
      await tx.objectStore(store).delete(id);
    });
  }

  /** Deletes a run, its metric series and its checkpoint manifests inside `tx`. */
  private async deleteRunIn(tx: WriteTx, id: string, what: string): Promise<void> {
    await this.guard(tx, 'runs', id, what);
    const checkpoints: unknown[] = await tx.objectStore('checkpoints').index('runId').getAll(id);
    if (checkpoints.some((c) => isNewerRecord('checkpoints', c, this.conn.version))) throw readOnlyError(what, 'one of its checkpoints was written by a newer NeuralForge.');
    for (const c of checkpoints) await tx.objectStore('checkpoints').delete(keyOf('checkpoints', c));
    await tx.objectStore('metrics').delete(runMetricsRange(id));
    await tx.objectStore('runs').delete(id);
  }

  private hasExports(): Promise<boolean> {
    return this.conn.get().then((db) => db.objectStoreNames.contains('exports'));
  }

  // ---- projects -------------------------------------------------------------------------------

  getProject(id: ProjectId): Promise<ProjectRecord | null> {
    return this.get('projects', id);
  }

  /** Every project, most recently updated first. */
  listProjects(): Promise<readonly ProjectRecord[]> {
    return readTx(this.conn, ['projects'], 'the project list', async (tx) => {
      const all = this.decodeAll('projects', await tx.objectStore('projects').getAll());
      return all.sort((a, b) => b.updatedAt - a.updatedAt);
    });
  }

  putProject(p: ProjectRecord): Promise<void> {
    return this.put('projects', p, `the project "${p.name}"`);
  }

  async deleteProject(id: ProjectId): Promise<void> {
    const exports = await this.hasExports();
    const stores: StoreName[] = ['projects', 'versions', 'runs', 'metrics', 'checkpoints', ...(exports ? (['exports'] as const) : [])];
    const what = `the deletion of project "${id}"`;
    await writeTx(this.conn, stores, 'strict', what, async (tx) => {
      await this.guard(tx, 'projects', id, what);
      const owned = async (store: 'versions' | 'runs' | 'exports'): Promise<string[]> => {
        const raws: unknown[] = await tx.objectStore(store).index('projectId').getAll(id);
        if (raws.some((r) => isNewerRecord(store, r, this.conn.version))) throw readOnlyError(what, `one of its ${NOUNS[store]}s was written by a newer NeuralForge.`);
        return raws.map((r) => keyOf(store, r));
      };
      for (const v of await owned('versions')) await tx.objectStore('versions').delete(v);
      for (const r of await owned('runs')) await this.deleteRunIn(tx, r, what);
      if (exports) for (const e of await owned('exports')) await tx.objectStore('exports').delete(e);
      await tx.objectStore('projects').delete(id);
    });
  }

  // ---- architecture versions ------------------------------------------------------------------

  getVersion(id: VersionId): Promise<VersionRecord | null> {
    return this.get('versions', id);
  }

  /** Oldest first. */
  async listVersions(projectId: ProjectId): Promise<readonly VersionRecord[]> {
    return (await this.listBy('versions', 'projectId', projectId)).sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Versions are immutable: writing a different record under an existing id is a 'conflict'. */
  putVersion(v: VersionRecord): Promise<void> {
    const what = `architecture version "${v.id}"`;
    return writeTx(this.conn, ['versions'], 'strict', what, async (tx) => {
      const value = encodeRecord('versions', v, this.conn.version);
      const existing = await this.guard(tx, 'versions', v.id, what);
      if (existing !== undefined) {
        if (JSON.stringify(existing) === JSON.stringify(value)) return;
        throw new StorageError('conflict', `Cannot save ${what}: a different version with that id exists, and versions never change.`);
      }
      await tx.objectStore('versions').put(value);
    });
  }

  // ---- datasets -------------------------------------------------------------------------------

  getDataset(id: DatasetId): Promise<DatasetRecord | null> {
    return this.get('datasets', id);
  }
  listDatasets(): Promise<readonly DatasetRecord[]> {
    return readTx(this.conn, ['datasets'], 'the dataset list', async (tx) => this.decodeAll('datasets', await tx.objectStore('datasets').getAll()));
  }
  putDataset(d: DatasetRecord): Promise<void> {
    return this.put('datasets', d, `the dataset "${d.name}"`);
  }
  deleteDataset(id: DatasetId): Promise<void> {
    return this.del('datasets', id);
  }

  // ---- runs and metrics -----------------------------------------------------------------------

  getRun(id: RunId): Promise<RunRecord | null> {
    return this.get('runs', id);
  }
  /** Oldest first. */
  async listRuns(projectId: ProjectId): Promise<readonly RunRecord[]> {
    return (await this.listBy('runs', 'projectId', projectId)).sort((a, b) => a.startedAt - b.startedAt);
  }
  putRun(r: RunRecord): Promise<void> {
    return this.put('runs', r, `run "${r.id}"`);
  }
  deleteRun(id: RunId): Promise<void> {
    const what = `the deletion of run "${id}"`;
    return writeTx(this.conn, ['runs', 'metrics', 'checkpoints'], 'strict', what, (tx) => this.deleteRunIn(tx, id, what));
  }

  /**
   * Relaxed durability: a crash may lose the last points, never earlier ones. A point written
   * again at the same [runId, scope, index] (a run resumed from a checkpoint) replaces the old one.
   */
  appendMetrics(points: readonly MetricPoint[]): Promise<void> {
    if (points.length === 0) return Promise.resolve();
    return writeTx(this.conn, ['metrics'], 'relaxed', `the metrics of run "${points[0]!.runId}"`, async (tx) => {
      const store = tx.objectStore('metrics');
      // Encode all first: a bad point refuses the whole batch before anything is queued.
      const values = points.map((p) => encodeRecord('metrics', p, this.conn.version));
      // Queue every put at once; the transaction's completion (awaited by writeTx) reports any failure,
      // so the per-request promises are only silenced, not ignored.
      for (const v of values) store.put(v).catch(() => undefined);
    });
  }

  /** The series in index order. */
  readMetrics(runId: RunId, scope: MetricPoint['scope']): Promise<readonly MetricPoint[]> {
    return readTx(this.conn, ['metrics'], `the ${scope} metrics of run "${runId}"`, async (tx) => this.decodeAll('metrics', await tx.objectStore('metrics').getAll(seriesRange(runId, scope))));
  }
  readMetricsPage(runId: RunId, scope: MetricPoint['scope'], fromIndex: number, limit: number): Promise<readonly MetricPoint[]> {
    if (!(Number.isInteger(limit) && limit > 0)) throw new RangeError(`page size must be a positive integer; got ${limit}`);
    if (Number.isNaN(fromIndex)) throw new RangeError('page start must be a number; got NaN');
    const range = IDBKeyRange.bound([runId, scope, fromIndex], [runId, scope, Infinity]);
    return readTx(this.conn, ['metrics'], `the ${scope} metrics of run "${runId}" from ${fromIndex}`, async (tx) => this.decodeAll('metrics', await tx.objectStore('metrics').getAll(range, limit)));
  }

  // ---- checkpoints ----------------------------------------------------------------------------

  getCheckpoint(id: CheckpointId): Promise<CheckpointRecord | null> {
    return this.get('checkpoints', id);
  }
  async listCheckpoints(runId: RunId): Promise<readonly CheckpointRecord[]> {
    return (await this.listBy('checkpoints', 'runId', runId)).sort((a, b) => a.globalStep - b.globalStep || a.createdAt - b.createdAt);
  }
  async listCheckpointsOfRuns(runIds: readonly RunId[]): Promise<ReadonlyMap<RunId, readonly CheckpointRecord[]>> {
    // One transaction for every run: 200 separate ones cost ~80 ms when the Runs view opens.
    const lists = await readTx(this.conn, ['checkpoints'], `the checkpoints of ${runIds.length} runs`, async (tx) => {
      const byRun = tx.objectStore('checkpoints').index('runId');
      return Promise.all(runIds.map(async (id) => this.decodeAll('checkpoints', await byRun.getAll(id))));
    });
    return new Map(runIds.map((id, i) => [id, lists[i]!.sort((a, b) => a.globalStep - b.globalStep || a.createdAt - b.createdAt)]));
  }
  putCheckpoint(c: CheckpointRecord): Promise<void> {
    return this.put('checkpoints', c, `the checkpoint of run "${c.runId}" at epoch ${c.epoch}`);
  }
  deleteCheckpoint(id: CheckpointId): Promise<void> {
    return this.del('checkpoints', id);
  }
  allCheckpoints(): Promise<readonly CheckpointRecord[]> {
    return readTx(this.conn, ['checkpoints'], 'the checkpoint list', async (tx) => this.decodeAll('checkpoints', await tx.objectStore('checkpoints').getAll()));
  }

  // ---- export history -------------------------------------------------------------------------

  /** Newest first; empty on a database from before export history existed. */
  async listExports(projectId: ProjectId): Promise<readonly ExportRecord[]> {
    if (!(await this.hasExports()) && !this.conn.readOnly) return [];
    return (await this.listBy('exports', 'projectId', projectId)).sort((a, b) => b.createdAt - a.createdAt);
  }
  putExport(e: ExportRecord): Promise<void> {
    return this.put('exports', e, `the export record "${e.fileName}"`);
  }
  deleteExport(id: ExportId): Promise<void> {
    return this.del('exports', id);
  }

  // ---- import ---------------------------------------------------------------------------------

  /** One strict transaction over the stores involved: a bad record anywhere leaves the database as it was. */
  importAll(records: ImportRecords): Promise<void> {
    const order = ['projects', 'versions', 'datasets', 'runs', 'metrics', 'checkpoints', 'exports'] as const satisfies readonly RecordStore[];
    const stores = order.filter((s) => records[s].length > 0);
    if (stores.length === 0) return Promise.resolve();
    const count = stores.reduce((n, s) => n + records[s].length, 0);
    return writeTx(this.conn, stores, 'strict', `the imported project (${count} records)`, async (tx) => {
      for (const store of stores) for (const r of records[store] as readonly RecordOf[typeof store][]) await this.putIn(tx, store, r);
    });
  }
}
