// A project's export history: one ExportRecord per export done in the studio, saying which
// weights went out (the seeded initial ones, a run's checkpoint, imported ones), from which
// architecture version, how big, under which file name, and the full validation report.
//
// The exported bytes are NOT kept. An export is a pure function of (architecture version,
// weights, format): the same checkpoint exported again gives the same files (ONNX byte for
// byte; tests/workers/exporter-checkpoint.test.ts checks it), and the seeded initial weights are
// reproducible from the project's seed. Keeping every download would double the device's
// storage for nothing; deleting the checkpoint is what makes an export unrepeatable, and the
// history entry still records what it was and how it validated.
//
// ExportRecord.report holds an ExportDetails envelope ({ validation, weights }): the record
// schema has no field for the checkpoint, and `report` is the one free-form field. Reading is
// lenient: a bare ValidationReport (or anything else) from an older writer still lists.
import { z } from 'zod';
import type { ExportFormat, ValidationReport } from '../engine/export/types.js';
import type { Graph } from '../engine/project/types.js';
import { newExportId } from './ids.js';
import { graphHash } from './versioning.js';
import type { CheckpointId, CheckpointRecord, ExportId, ExportRecord, Millis, ProjectId, RunId, StorageDb, VersionId } from './types.js';

/** Which weights an export carried. */
export type ExportedWeights =
  | { readonly kind: 'initial' }
  /** Handed in by the caller (per node, or TF.js files), not from storage. */
  | { readonly kind: 'supplied' }
  | {
      readonly kind: 'checkpoint';
      readonly checkpointId: CheckpointId;
      readonly runId: RunId;
      readonly checkpointKind: CheckpointRecord['kind'];
      /** Completed epochs at the checkpoint. */
      readonly epoch: number;
      /** The run holds imported weights (src/storage/imported-weights.ts), not trained ones. */
      readonly imported: boolean;
    };

/** What ExportRecord.report holds for exports recorded here. */
export interface ExportDetails {
  /** ONNX and bundle exports: onnxruntime-web against TF.js. Null for code formats. */
  readonly validation: ValidationReport | null;
  /** Null when the record did not say (written elsewhere, or damaged). */
  readonly weights: ExportedWeights | null;
}

/** One history entry: the stored record and its details, read back validated. */
export interface ExportHistoryEntry {
  readonly record: ExportRecord;
  readonly details: ExportDetails;
}

export interface ExportToRecord {
  readonly projectId: ProjectId;
  readonly format: ExportFormat;
  /** The architecture version exported; null when the graph matches no saved version. */
  readonly versionId: VersionId | null;
  readonly weights: ExportedWeights;
  readonly validation: ValidationReport | null;
  /** Size of the export's files together. */
  readonly bytes: number;
  /** The name the download was offered under. */
  readonly fileName: string;
  readonly now?: Millis;
  readonly id?: ExportId;
}

// Diffs are NaN when a runtime could not run, so numbers are any number here.
const anyNumber = z.custom<number>((v) => typeof v === 'number', 'must be a number');
const validationSchema = z.object({
  samples: anyNumber,
  tolerance: anyNumber,
  passed: z.boolean(),
  runtimes: z.array(z.object({ runtime: z.string(), maxAbsDiff: anyNumber, meanAbsDiff: anyNumber, latencyMs: anyNumber, error: z.string().optional() })),
});
const weightsSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('initial') }),
  z.object({ kind: z.literal('supplied') }),
  z.object({
    kind: z.literal('checkpoint'),
    checkpointId: z.string().min(1),
    runId: z.string().min(1),
    checkpointKind: z.enum(['best', 'periodic', 'final']),
    epoch: z.number().int().min(0),
    imported: z.boolean(),
  }),
]);
const detailsSchema = z.object({ validation: validationSchema.nullable(), weights: weightsSchema });

/**
 * The details of a stored record's `report`, never throwing: an envelope written here, a bare
 * ValidationReport, or nothing usable.
 */
export function readExportDetails(report: unknown): ExportDetails {
  const envelope = detailsSchema.safeParse(report);
  if (envelope.success) return envelope.data as ExportDetails;
  const bare = validationSchema.safeParse(report);
  return { validation: bare.success ? (bare.data as ValidationReport) : null, weights: null };
}

/**
 * Adds an export to the project's history.
 * @example
 * await recordExport(db, { projectId, format: 'onnx', versionId, weights: { kind: 'initial' }, validation: reply.report, bytes: reply.bytes, fileName: 'model.onnx' });
 */
export async function recordExport(db: StorageDb, e: ExportToRecord): Promise<ExportRecord> {
  const details: ExportDetails = { validation: e.validation, weights: e.weights };
  const record: ExportRecord = {
    id: e.id ?? newExportId(),
    projectId: e.projectId,
    runId: e.weights.kind === 'checkpoint' ? e.weights.runId : null,
    versionId: e.versionId,
    format: e.format,
    createdAt: e.now ?? Date.now(),
    bytes: e.bytes,
    report: details,
    fileName: e.fileName,
  };
  await db.putExport(record);
  return record;
}

/** The project's exports, newest first, each with its details. */
export async function listExportHistory(db: StorageDb, projectId: ProjectId): Promise<ExportHistoryEntry[]> {
  const records = await db.listExports(projectId);
  return [...records].sort((a, b) => b.createdAt - a.createdAt).map((record) => ({ record, details: readExportDetails(record.report) }));
}

/** Removes one entry (the export's files were never kept, so nothing else goes). */
export const deleteExportEntry = (db: StorageDb, id: ExportId): Promise<void> => db.deleteExport(id);

/**
 * The project's saved architecture version whose graph computes what `graph` computes (same
 * canonical hash), or null: an export of the canvas names its version when there is one.
 */
export async function versionOfGraph(db: StorageDb, projectId: ProjectId, graph: Graph): Promise<VersionId | null> {
  const hash = await graphHash(graph);
  const versions = await db.listVersions(projectId);
  return [...versions].sort((a, b) => b.createdAt - a.createdAt).find((v) => v.graphHash === hash)?.id ?? null;
}
