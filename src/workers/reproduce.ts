// "Reproduce": a stored run back into the exact StartRequest that trains it again — the graph
// of its architecture version, its full configuration and seed, the same data (by content
// version), the same sample limit and backend. On the cpu backend the same seed gives the same
// step losses, bit for bit.
import { isBackendPreference } from '../engine/runtime/backend-types.js';
import { CURRENT_VERSION, PROJECT_FORMAT, type DatasetRef } from '../engine/project/types.js';
import type { DatasetRecord, RunId, RunRecord, StorageDb } from '../storage/types.js';
import { trainSamplesOf } from './run-tags.js';
import type { DatasetRequest, StartRequest } from './trainer-api.js';

export type ReproduceError =
  | { readonly kind: 'run-not-found'; readonly message: string }
  | { readonly kind: 'version-missing'; readonly message: string }
  | { readonly kind: 'dataset-missing'; readonly message: string }
  | { readonly kind: 'checkpoint-missing'; readonly message: string };

export type ReproduceResult =
  | { readonly ok: true; readonly request: StartRequest; readonly run: RunRecord }
  | { readonly ok: false; readonly error: ReproduceError };

/** Built-in datasets by the name a run records (src/engine/data/mnist.ts names its dataset "mnist"). */
const BUILTINS: Readonly<Record<string, DatasetRequest>> = { mnist: { source: 'builtin', name: 'mnist' } };

/**
 * The dataset a run trained on: a kept dataset with the same content version, or a built-in;
 * null when neither is on this device. The evaluator loads exactly this data.
 */
export async function runDatasetRequest(db: StorageDb, run: RunRecord): Promise<{ request: DatasetRequest; ref: DatasetRef } | null> {
  const kept: DatasetRecord | undefined = run.datasetVersion ? (await db.listDatasets()).find((d) => d.version === run.datasetVersion && !d.readOnly) : undefined;
  if (kept) {
    const ref: DatasetRef = kept.source.source === 'folder' ? {} : kept.source;
    return { request: { source: 'stored', datasetId: kept.id, name: kept.name }, ref };
  }
  const builtin = BUILTINS[run.datasetName];
  return builtin ? { request: builtin, ref: { source: 'builtin', name: run.datasetName } } : null;
}

/**
 * The request that re-runs `runId` with identical settings, as a new run `newRunId` of the same
 * project. A resumed run is re-run from the same checkpoint (which must still exist).
 * @example
 * const r = await reproduceRequest(db, run.id, newRunId());
 * if (r.ok) await trainer.start(r.request, onEvent); else show(r.error.message);
 */
export async function reproduceRequest(db: StorageDb, runId: RunId, newRunId: RunId): Promise<ReproduceResult> {
  const run = await db.getRun(runId);
  if (!run) return { ok: false, error: { kind: 'run-not-found', message: `run ${runId} is not stored on this device (deleted?)` } };
  const version = await db.getVersion(run.versionId);
  if (!version) return { ok: false, error: { kind: 'version-missing', message: `run ${runId} trained architecture version ${run.versionId}, which is no longer stored` } };
  const data = await runDatasetRequest(db, run);
  if (!data)
    return {
      ok: false,
      error: { kind: 'dataset-missing', message: `the data run ${runId} trained on ("${run.datasetName}", version ${run.datasetVersion ?? 'unknown'}) is no longer on this device: import the same file again, then reproduce` },
    };
  if (run.resumedFrom && !(await db.getCheckpoint(run.resumedFrom)))
    return { ok: false, error: { kind: 'checkpoint-missing', message: `run ${runId} continued checkpoint ${run.resumedFrom}, which was deleted: it cannot be re-run the same way` } };
  const limit = trainSamplesOf(run);
  // A resumed run trains the checkpoint's configuration; only its length may differ, so say it.
  const epochs = run.resumedFrom ? run.config.epochs : undefined;
  const overrides = { ...(limit ? { maxTrainSamples: limit } : {}), ...(epochs ? { epochs } : {}) };
  const request: StartRequest = {
    runId: newRunId,
    projectId: run.projectId,
    project: {
      format: PROJECT_FORMAT,
      version: CURRENT_VERSION,
      name: `reproduce ${run.id}`,
      graph: version.graph,
      // The stored config already holds the run's epochs and batch size (overrides applied); the record's seed wins.
      training: { ...run.config, seed: run.seed },
      dataset: data.ref,
    },
    dataset: data.request,
    backend: run.backend && isBackendPreference(run.backend) ? run.backend : 'auto',
    ...(Object.keys(overrides).length ? { overrides } : {}),
    ...(run.resumedFrom ? { resumeFrom: run.resumedFrom } : {}),
  };
  return { ok: true, request, run };
}
