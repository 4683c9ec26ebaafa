// The stored shape of every record, one zod schema per record schema version, and the forward
// migrations between them. Reads and writes both go through these (src/storage/db/codec.ts).
import { z } from 'zod';
import { datasetSchema, projectSchemaV1, trainingSchema } from '../engine/project/schema.js';
import { parseProject } from '../engine/project/parse.js';

/** The IndexedDB stores that hold records (the `meta` store holds only the app marker). */
export type RecordStore = 'projects' | 'versions' | 'datasets' | 'runs' | 'metrics' | 'checkpoints' | 'exports';
export const RECORD_STORES: readonly RecordStore[] = ['projects', 'versions', 'datasets', 'runs', 'metrics', 'checkpoints', 'exports'];

export type RawRecord = Record<string, unknown>;

const id = z.string().min(1, 'must be a non-empty id').max(200);
const millis = z.number().min(0).refine(Number.isFinite, 'must be a finite time');
const count = z.number().int().min(0);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lower-case hex SHA-256');
// Metric values may be NaN or ±Infinity (a diverged run): any number is a fact worth keeping.
const metricValue = z.custom<number>((v) => typeof v === 'number', 'must be a number');
const metricValues = z.record(z.string().max(64), metricValue);
const tags = z.array(z.string().max(64)).max(64);
const schemaNumber = z.number().int().min(1);

/** A project draft goes through the engine's own parser: same checks, same migrations as a file. */
const draft = z.unknown().transform((v, ctx) => {
  const r = parseProject(v);
  if (r.ok) return r.project;
  ctx.addIssue({ code: 'custom', message: r.error.message, path: r.error.path ? [r.error.path] : [] });
  return z.NEVER;
});

export const projectRecordV1 = z.object({
  schema: schemaNumber,
  id,
  name: z.string().max(200),
  description: z.string().max(10000),
  task: z.string().max(64).nullable(),
  tags,
  createdAt: millis,
  updatedAt: millis,
  draft,
  headVersion: id.nullable(),
  ui: z.object({ selectedRunId: id.nullable(), selectedNodeIds: z.array(z.string().max(64)).max(5000) }),
});

export const versionRecordV1 = z.object({
  schema: schemaNumber,
  id,
  projectId: id,
  parent: id.nullable(),
  message: z.string().max(10000),
  createdAt: millis,
  graphHash: sha256,
  graph: projectSchemaV1.shape.graph,
  totals: z.object({ params: count, trainableParams: count, flops: z.number().min(0) }),
});

export const datasetRecordV1 = z.object({
  schema: schemaNumber,
  id,
  name: z.string().max(200),
  version: sha256,
  source: z.union([z.strictObject({ source: z.literal('folder'), name: z.string().max(1024) }), datasetSchema]),
  format: z.enum(['csv', 'image-zip', 'image-folder', 'text', 'jsonl', 'npy', 'mnist-bin', 'other']),
  columns: z.array(z.object({ name: z.string().max(256), type: z.enum(['number', 'category', 'text', 'image']) })).max(100000),
  classes: z.array(z.string().max(256)).nullable(),
  splits: z.object({ train: count, validation: count, test: count }),
  chunks: z.array(sha256),
  bytes: count,
  createdAt: millis,
});

/** Version 1 runs had no tags and could not resume from a checkpoint. */
export const runRecordV1 = z.object({
  schema: schemaNumber,
  id,
  projectId: id,
  versionId: id,
  datasetVersion: sha256.nullable(),
  datasetName: z.string().max(200),
  config: trainingSchema,
  seed: z.number().int().min(0).max(2 ** 32 - 1),
  backend: z.string().max(64).nullable(),
  adapter: z.string().max(256).nullable(),
  status: z.enum(['running', 'paused', 'completed', 'stopped', 'early-stopped', 'failed', 'interrupted']),
  startedAt: millis,
  endedAt: millis.nullable(),
  epochs: count,
  finalMetrics: metricValues,
  error: z.string().max(10000).nullable(),
});

export const runRecordV2 = runRecordV1.extend({ tags, resumedFrom: id.nullable() });

const runEnvironment = z.object({ app: z.string().max(64), userAgent: z.string().max(1024).nullable(), tfjs: z.string().max(64).nullable() });

/** Version 3 runs record the app, browser and TF.js they trained with, and their active training time (null: not recorded). */
export const runRecordV3 = runRecordV2.extend({ environment: runEnvironment.nullable().optional(), activeMs: z.number().min(0).nullable().optional() });

/**
 * Version 4 runs carry a person's name for the run (null: unnamed) and notes (run annotations).
 * A record written without them (a run made by code that predates them) is stored unnamed, without notes.
 */
export const runRecordV4 = runRecordV3.extend({ name: z.string().max(200).nullable().default(null), notes: z.string().max(10000).default('') });

export const metricPointV1 = z.object({
  schema: schemaNumber,
  runId: id,
  scope: z.enum(['step', 'epoch']),
  index: count,
  values: metricValues,
  time: millis,
});

export const checkpointRecordV1 = z.object({
  schema: schemaNumber,
  id,
  runId: id,
  projectId: id,
  kind: z.enum(['best', 'periodic', 'final']),
  epoch: count,
  globalStep: count,
  metric: z.object({ name: z.string().max(64), value: metricValue }).nullable(),
  createdAt: millis,
  files: z.array(z.object({ path: z.string().min(1).max(1024), bytes: count, sha256 })).max(10000),
  bytes: count,
});

export const exportRecordV1 = z.object({
  schema: schemaNumber,
  id,
  projectId: id,
  runId: id.nullable(),
  versionId: id.nullable(),
  format: z.string().min(1).max(64),
  createdAt: millis,
  bytes: count,
  report: z.unknown(),
  fileName: z.string().max(1024),
});

/** The `meta` store's one record: which schema last wrote this database, and which app. */
export const appMetaRecord = z.object({ key: z.literal('app'), schema: schemaNumber, writtenBy: z.string() });

export interface RecordVersion {
  /** The record schema number stamped on records of this shape. */
  readonly schema: number;
  /** The database schema version from which records are written in this shape. */
  readonly since: number;
  readonly shape: z.ZodObject;
  /** From the previous record schema to this one; pure, on raw values (upgrades and reads share it). */
  readonly up?: (raw: RawRecord) => RawRecord;
}

/** Every store's record schema versions, oldest first. */
export const RECORD_VERSIONS = {
  projects: [{ schema: 1, since: 1, shape: projectRecordV1 }],
  versions: [{ schema: 1, since: 1, shape: versionRecordV1 }],
  datasets: [{ schema: 1, since: 1, shape: datasetRecordV1 }],
  runs: [
    { schema: 1, since: 1, shape: runRecordV1 },
    { schema: 2, since: 2, shape: runRecordV2, up: (r) => ({ ...r, tags: Array.isArray(r['tags']) ? r['tags'] : [], resumedFrom: r['resumedFrom'] ?? null }) },
    { schema: 3, since: 3, shape: runRecordV3, up: (r) => ({ ...r, environment: r['environment'] ?? null, activeMs: r['activeMs'] ?? null }) },
    { schema: 4, since: 4, shape: runRecordV4, up: (r) => ({ ...r, name: r['name'] ?? null, notes: r['notes'] ?? '' }) },
  ],
  metrics: [{ schema: 1, since: 1, shape: metricPointV1 }],
  checkpoints: [{ schema: 1, since: 1, shape: checkpointRecordV1 }],
  exports: [{ schema: 1, since: 2, shape: exportRecordV1 }],
} satisfies Record<RecordStore, readonly RecordVersion[]>;

/** The record version a database at `dbVersion` writes for `store` (the newest one it knows). */
export function recordVersionAt(store: RecordStore, dbVersion: number): RecordVersion {
  const known = (RECORD_VERSIONS[store] as readonly RecordVersion[]).filter((v) => v.since <= dbVersion);
  const last = known.at(-1);
  if (!last) throw new Error(`the "${store}" store does not exist at database version ${dbVersion}`);
  return last;
}

/** Applies the record migrations of `store` from `raw.schema` up to record schema `target`. */
export function migrateRecord(store: RecordStore, raw: RawRecord, target: number): RawRecord {
  let cur = raw;
  let v = cur['schema'] as number;
  for (const step of RECORD_VERSIONS[store] as readonly RecordVersion[]) {
    if (step.schema <= v || step.schema > target) continue;
    if (!step.up) throw new Error(`no migration to "${store}" record schema ${step.schema}`);
    cur = { ...step.up(cur), schema: step.schema };
    v = step.schema;
  }
  return cur;
}
