// The page's view of runs kept on the device: the project's runs with their checkpoints (runs
// a dead tab left 'running' marked 'interrupted' first), and a run's stored curves as a RunLog —
// a resumed run's curves start with the points of the run it continues, up to its checkpoint.
// IndexedDB only, no TF.js; the storage code loads on first use, not with the page.
import type { CheckpointRecord, MetricPoint, ProjectId, RunId, RunRecord, StorageDb } from '../../storage/types.js';
import { markInterruptedAmong } from '../../workers/run-locks.js';
import { continuedPointOf } from '../../workers/run-tags.js';
import type { ResumePoint } from '../../workers/trainer-api.js';
import { emptyRunLog, pushEpoch, pushStep, type RunLog } from './run-log.js';

let opened: Promise<StorageDb> | null = null;

/** The page's own connection to the database, opened once (a failed open is retried next time). */
export function pageStorage(): Promise<StorageDb> {
  opened ??= import('../../storage/db/index.js').then((m) => m.openStorageDb());
  opened.catch(() => (opened = null));
  return opened;
}

export interface RunRow {
  readonly run: RunRecord;
  /** Oldest first. */
  readonly checkpoints: readonly CheckpointRecord[];
}

/** The project's runs, newest first, each with its checkpoints. */
export async function loadRunRows(db: StorageDb, projectId: ProjectId): Promise<RunRow[]> {
  // One read of the runs (200 validated records cost tens of ms), with the interrupted ones replaced.
  const listed = await db.listRuns(projectId);
  const changed = new Map((db.readOnly ? [] : await markInterruptedAmong(db, listed)).map((r) => [r.id, r] as const));
  const runs = listed.map((r) => changed.get(r.id) ?? r).sort((a, b) => b.startedAt - a.startedAt);
  const checkpoints = await db.listCheckpointsOfRuns(runs.map((r) => r.id));
  return runs.map((run) => ({ run, checkpoints: checkpoints.get(run.id) ?? [] }));
}

/** How far a run's points count: all of them, or up to a checkpoint another run continues. */
interface Cut {
  readonly globalStep: number;
  readonly epoch: number;
}

/** The runs whose points make up `run`'s curves, oldest first, each with its cut. */
async function lineage(db: StorageDb, run: RunRecord, cut: Cut | null, seen = new Set<string>()): Promise<{ run: RunRecord; cut: Cut | null }[]> {
  seen.add(run.id);
  const from = continuedPointOf(run);
  const parent = from && !seen.has(from.runId) ? await db.getRun(from.runId) : null;
  const own = { run, cut };
  return parent ? [...(await lineage(db, parent, from, seen)), own] : [own];
}

const num = (v: number | undefined): number | null => (v === undefined ? null : v);

/** Appends stored points to the log's columns (and epoch rows), as worker events would. */
function addPoints(log: RunLog, steps: readonly MetricPoint[], epochs: readonly MetricPoint[], totalEpochs: number): void {
  for (const p of steps) {
    const v = p.values;
    pushStep(log, p.index, num(v['loss']), num(v['accuracy']), { learningRate: v['learningRate'], gradNorm: v['gradNorm'], samplesPerSec: v['samplesPerSec'] });
  }
  for (const p of epochs) {
    pushEpoch(log, {
      epoch: p.index,
      epochs: totalEpochs,
      loss: p.values['loss'] ?? Number.NaN,
      accuracy: num(p.values['accuracy']),
      valLoss: num(p.values['valLoss']),
      valAccuracy: num(p.values['valAccuracy']),
      ms: p.values['ms'] ?? 0,
    });
  }
}

/**
 * A run's stored curves, the runs it continues included. With `upTo`, only points up to that
 * checkpoint: the start of a run that resumes from it.
 * @throws StorageError when a record cannot be read; Error when the run does not exist.
 */
export async function loadRunLog(db: StorageDb, runId: RunId, upTo: Cut | null = null): Promise<RunLog> {
  const run = await db.getRun(runId);
  if (!run) throw new Error(`run ${runId} is no longer stored`);
  const log = emptyRunLog();
  const total = run.config.epochs ?? run.epochs;
  for (const { run: r, cut } of await lineage(db, run, upTo)) {
    const [steps, epochs] = await Promise.all([db.readMetrics(r.id, 'step'), db.readMetrics(r.id, 'epoch')]);
    addPoints(
      log,
      cut ? steps.filter((p) => p.index <= cut.globalStep) : steps,
      cut ? epochs.filter((p) => p.index <= cut.epoch) : epochs,
      total,
    );
  }
  if (!upTo) {
    log.record = run;
    log.checkpoints.push(...(await db.listCheckpoints(run.id)));
    const from = continuedPointOf(run);
    log.resumedFrom = from && run.resumedFrom ? { checkpointId: run.resumedFrom, ...from } : null;
  }
  return log;
}

/** The curves a run resuming from `checkpoint` starts with: its run's points up to the checkpoint. */
export function logBefore(db: StorageDb, checkpoint: CheckpointRecord): Promise<RunLog> {
  return loadRunLog(db, checkpoint.runId, { globalStep: checkpoint.globalStep, epoch: checkpoint.epoch });
}

/** The resume point of a checkpoint, as the worker will report it. */
export const resumePointOf = (c: CheckpointRecord): ResumePoint => ({ checkpointId: c.id, runId: c.runId, epoch: c.epoch, globalStep: c.globalStep });
