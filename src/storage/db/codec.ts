// Between stored values and typed records: validate every read and write against the record
// schema of the open database, migrate older records forward, flag newer ones read-only.
import type { z } from 'zod';
import { formatPath } from '../../engine/project/parse.js';
import { migrateRecord, recordVersionAt, type RawRecord, type RecordStore } from '../records.js';
import {
  StorageError,
  type CheckpointRecord,
  type DatasetRecord,
  type ExportRecord,
  type MetricPoint,
  type ProjectRecord,
  type RunRecord,
  type VersionRecord,
} from '../types.js';

/** The typed record each store holds. */
export interface RecordOf {
  projects: ProjectRecord;
  versions: VersionRecord;
  datasets: DatasetRecord;
  runs: RunRecord;
  metrics: MetricPoint;
  checkpoints: CheckpointRecord;
  exports: ExportRecord;
}

/** What a person calls a record of each store. */
export const NOUNS = {
  projects: 'project',
  versions: 'architecture version',
  datasets: 'dataset',
  runs: 'run',
  metrics: 'metric point',
  checkpoints: 'checkpoint',
  exports: 'export record',
} satisfies Record<RecordStore, string>;

const isObject = (v: unknown): v is RawRecord => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A key as a person reads it: ids as they are, metric keys as `run/scope/index`. */
export const keyText = (key: unknown): string => (Array.isArray(key) ? key.map(String).join('/') : String(key));

/** The primary key of a record, read leniently (it may be the thing that is broken). */
export function keyOf(store: RecordStore, r: unknown): string {
  if (!isObject(r)) return '?';
  return store === 'metrics' ? keyText([r['runId'], r['scope'], r['index']]) : String(r['id'] ?? '?');
}

function firstIssue(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  return issue ? { field: formatPath(issue.path) || '(record)', message: issue.message } : { field: '(record)', message: 'invalid' };
}

/**
 * Validates a value read from `store` under `key` in a database at `dbVersion`. Older records are
 * migrated forward (in memory only); newer ones come back with `readOnly: true` when the fields
 * this app knows still check, and throw StorageError('newer-schema') when not.
 */
export function decodeRecord<S extends RecordStore>(store: S, key: unknown, raw: unknown, dbVersion: number): RecordOf[S] {
  const known = recordVersionAt(store, dbVersion);
  const k = keyText(key);
  const invalid = (field: string, message: string) =>
    new StorageError('invalid-record', `The saved ${NOUNS[store]} "${k}" (store "${store}") is damaged at "${field}": ${message}. It was left as it is.`, undefined, { store, key: k, field });
  if (!isObject(raw)) throw invalid('(record)', 'not an object');
  const schema = raw['schema'];
  if (typeof schema !== 'number' || !Number.isInteger(schema) || schema < 1) throw invalid('schema', `must be a record schema number ≥ 1; got ${JSON.stringify(schema)}`);
  if (schema > known.schema) {
    const r = known.shape.loose().safeParse(raw);
    if (!r.success) {
      const { field, message } = firstIssue(r.error);
      throw new StorageError(
        'newer-schema',
        `The saved ${NOUNS[store]} "${k}" was written by a newer NeuralForge (record schema ${schema}; this app reads up to ${known.schema}) and cannot be shown here ("${field}": ${message}). Update the app to open it.`,
        undefined,
        { store, key: k, field },
      );
    }
    return { ...r.data, readOnly: true } as unknown as RecordOf[S];
  }
  const current = schema < known.schema ? migrateRecord(store, raw, known.schema) : raw;
  const r = known.shape.safeParse(current);
  if (!r.success) {
    const { field, message } = firstIssue(r.error);
    throw invalid(field, message);
  }
  return r.data as unknown as RecordOf[S]; // ids are validated strings: brand them here
}

/** True when a stored value was written with a newer record schema than `dbVersion` writes. */
export function isNewerRecord(store: RecordStore, raw: unknown, dbVersion: number): boolean {
  return isObject(raw) && typeof raw['schema'] === 'number' && raw['schema'] > recordVersionAt(store, dbVersion).schema;
}

/** The error for any write to a record (or database) from a newer app. */
export function readOnlyError(what: string, detail: string): StorageError {
  return new StorageError('read-only', `Cannot save ${what}: ${detail} It opens read-only; update NeuralForge to change it.`);
}

/**
 * Validates a record about to be written to `store` and stamps it with the record schema that a
 * database at `dbVersion` writes. Fields a record schema does not know (e.g. run tags at database
 * version 1) are dropped, which is how an older layout is produced for fixtures.
 */
export function encodeRecord<S extends RecordStore>(store: S, record: RecordOf[S], dbVersion: number): RawRecord {
  const known = recordVersionAt(store, dbVersion);
  const k = keyOf(store, record);
  const { readOnly, ...rest } = record as RecordOf[S] & RawRecord;
  if (readOnly || (typeof rest['schema'] === 'number' && rest['schema'] > known.schema))
    throw readOnlyError(`${NOUNS[store]} "${k}"`, `it was written by a newer NeuralForge (record schema ${String(rest['schema'])}; this app writes ${known.schema}).`);
  const r = known.shape.safeParse({ ...rest, schema: known.schema });
  if (!r.success) {
    const { field, message } = firstIssue(r.error);
    throw new StorageError('invalid-record', `Cannot save ${NOUNS[store]} "${k}" (store "${store}"): "${field}" ${message}.`, undefined, { store, key: k, field });
  }
  return r.data as RawRecord;
}
