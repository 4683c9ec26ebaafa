// What a .nfproj file holds and how each entry is checked: the entry layout, the manifest
// schema, JSON parsing that refuses keys which could reach Object.prototype, and the record
// schemas of src/storage/records.ts (records written by an older app migrated forward).
import { z } from 'zod';
import { formatPath } from '../engine/project/parse.js';
import { isSha256 } from './blobs/hash.js';
import { isSafeSegment } from './blobs/paths.js';
import { CHECKPOINT_FILES, reviveNumbers } from './checkpoint-codec.js';
import type { RecordOf } from './db/codec.js';
import { SCHEMA_VERSION } from './db/index.js';
import { fileError } from './nfproj-zip.js';
import { migrateRecord, recordVersionAt, type RawRecord, type RecordStore } from './records.js';
import { StorageError, type ContentHash } from './types.js';

export const PROJFILE_FORMAT = 'neuralforge-projfile';
export const PROJFILE_VERSION = 1;

/**
 * The layout, one entry per line:
 *   manifest.json                      format, version, app, createdAt, counts
 *   project.json                       the ProjectRecord
 *   versions.json / runs.json          arrays of VersionRecord / RunRecord
 *   metrics/<runId>.json               that run's MetricPoints (both scopes)
 *   checkpoints/<id>/manifest.json     the CheckpointRecord
 *   checkpoints/<id>/<file>            its files (weights.bin, optimizer.bin, best.bin, state.json)
 *   datasets/<id>/record.json          a DatasetRecord
 *   datasets/chunks/<sha256>           a chunk, named by its content
 */
export type Entry =
  | { readonly kind: 'manifest' }
  | { readonly kind: 'project' }
  | { readonly kind: 'versions' }
  | { readonly kind: 'runs' }
  | { readonly kind: 'metrics'; readonly runId: string }
  | { readonly kind: 'checkpoint'; readonly id: string }
  | { readonly kind: 'checkpoint-file'; readonly id: string; readonly name: string }
  | { readonly kind: 'dataset'; readonly id: string }
  | { readonly kind: 'chunk'; readonly hash: ContentHash };

const FIXED: Record<string, Entry> = { 'manifest.json': { kind: 'manifest' }, 'project.json': { kind: 'project' }, 'versions.json': { kind: 'versions' }, 'runs.json': { kind: 'runs' } };
const CHECKPOINT_FILE_NAMES = new Set<string>(Object.values(CHECKPOINT_FILES));

/** What an entry name means, or null for a name that has no place in a project file. */
export function classifyEntry(name: string): Entry | null {
  const fixed = FIXED[name];
  if (fixed) return fixed;
  const s = name.split('/');
  if (s.length === 2 && s[0] === 'metrics' && s[1]!.endsWith('.json')) {
    const runId = s[1]!.slice(0, -'.json'.length);
    return isSafeSegment(runId) ? { kind: 'metrics', runId } : null;
  }
  if (s.length !== 3 || !isSafeSegment(s[1]!)) return null;
  if (s[0] === 'checkpoints') {
    if (s[2] === 'manifest.json') return { kind: 'checkpoint', id: s[1]! };
    return CHECKPOINT_FILE_NAMES.has(s[2]!) ? { kind: 'checkpoint-file', id: s[1]!, name: s[2]! } : null;
  }
  if (s[0] === 'datasets') {
    if (s[1] === 'chunks') return isSha256(s[2]!) ? { kind: 'chunk', hash: s[2]! } : null;
    if (s[2] === 'record.json') return { kind: 'dataset', id: s[1]! };
  }
  return null;
}

const count = z.number().int().min(0);
export const countsSchema = z.strictObject({ versions: count, runs: count, metricPoints: count, checkpoints: count, datasets: count, chunks: count });
export type ProjectFileCounts = z.output<typeof countsSchema>;

const manifestSchema = z.strictObject({
  format: z.literal(PROJFILE_FORMAT),
  version: z.number().int().min(1),
  app: z.strictObject({ name: z.string().max(100), version: z.string().max(100) }),
  createdAt: z.number().min(0),
  counts: countsSchema,
});
export type ProjectFileManifest = z.output<typeof manifestSchema>;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 64;
/** JSON entries above this are refused before decoding (a browser's strings stop near 512 MiB). */
export const MAX_JSON_BYTES = 256 * 1024 * 1024;

/** The path of the first key that could reach Object.prototype (or of absurd nesting), or null. */
function hostileKey(v: unknown, path: PropertyKey[]): string | null {
  if (path.length > MAX_DEPTH) return `${formatPath(path)}: nested deeper than ${MAX_DEPTH} levels`;
  if (v === null || typeof v !== 'object') return null;
  for (const k of Object.keys(v)) {
    if (!Array.isArray(v) && FORBIDDEN_KEYS.has(k)) return `${formatPath([...path, k])}: the key "${k}" is not allowed`;
    const key = Array.isArray(v) ? Number(k) : k;
    const inner = hostileKey((v as Record<string, unknown>)[k], [...path, key]);
    if (inner) return inner;
  }
  return null;
}

/**
 * JSON from an entry: strict UTF-8, then JSON.parse (which keeps "__proto__" as a plain own
 * key, never a prototype; {"$num": "NaN"} becomes NaN), then a scan that refuses such keys
 * before anything copies the value.
 */
export function parseJsonEntry(name: string, bytes: Uint8Array): unknown {
  if (bytes.length > MAX_JSON_BYTES) throw fileError(name, `is ${(bytes.length / 1024 ** 2).toFixed(0)} MiB of JSON; the limit is ${MAX_JSON_BYTES / 1024 ** 2} MiB`);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes), reviveNumbers);
  } catch (e) {
    throw fileError(name, `is not valid JSON (${(e as Error).message})`);
  }
  const hostile = hostileKey(value, []);
  if (hostile) throw fileError(name, hostile.slice(hostile.indexOf(': ') + 2), hostile.slice(0, hostile.indexOf(': ')));
  return value;
}

/** The manifest, refusing other formats and newer versions. */
export function parseManifest(value: unknown): ProjectFileManifest {
  const v = value as { format?: unknown; version?: unknown } | null;
  if (v?.format !== PROJFILE_FORMAT) throw fileError('manifest.json', `"format" must be "${PROJFILE_FORMAT}": this is not a NeuralForge project file`, 'format');
  if (typeof v.version === 'number' && v.version > PROJFILE_VERSION)
    throw new StorageError('newer-schema', `This project file was made by a newer NeuralForge (file version ${v.version}; this app reads up to ${PROJFILE_VERSION}). Update the app to import it.`);
  const r = manifestSchema.safeParse(value);
  if (!r.success) throw fileError('manifest.json', r.error.issues[0]!.message, formatPath(r.error.issues[0]!.path));
  return r.data;
}

/**
 * One record from an entry, validated by the stored-record schema of `store` in this app's
 * database version (records.ts), older record schemas migrated forward. `at` is its index in an
 * array entry. A record from a newer app is refused.
 */
export function decodeEntryRecord<S extends RecordStore>(store: S, entry: string, raw: unknown, at?: number): RecordOf[S] {
  const known = recordVersionAt(store, SCHEMA_VERSION);
  const where = (path: readonly PropertyKey[]) => formatPath(at === undefined ? path : [at, ...path]);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw fileError(entry, 'must be a JSON object', where([]));
  const schema = (raw as RawRecord)['schema'];
  if (typeof schema !== 'number' || !Number.isInteger(schema) || schema < 1) throw fileError(entry, `must be a record schema number ≥ 1; got ${JSON.stringify(schema)}`, where(['schema']));
  if (schema > known.schema) throw fileError(entry, `was written by a newer NeuralForge (record schema ${schema}; this app reads up to ${known.schema}); update the app to import it`, where([]));
  const current = schema < known.schema ? migrateRecord(store, raw as RawRecord, known.schema) : raw;
  const r = known.shape.safeParse(current);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw fileError(entry, issue.message, where(issue.path));
  }
  return r.data as unknown as RecordOf[S]; // ids are validated strings: brand them here
}

/** An entry that must hold a JSON array, each element a record of `store`. */
export function decodeEntryArray<S extends RecordStore>(store: S, entry: string, value: unknown): RecordOf[S][] {
  if (!Array.isArray(value)) throw fileError(entry, 'must hold a JSON array');
  return value.map((raw, i) => decodeEntryRecord(store, entry, raw, i));
}
