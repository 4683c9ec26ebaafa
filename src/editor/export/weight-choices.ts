// The weights the export studio offers for a project: the seeded initial ones, and every
// checkpoint of every run kept on the device (imported weights are a run too). The default is
// the selected run's best checkpoint, else its final one, else its latest. IndexedDB only.
import { isImportedRun } from '../../storage/imported-weights.js';
import type { CheckpointId, CheckpointRecord, ProjectId, RunId, RunRecord, StorageDb } from '../../storage/types.js';
import type { ExportedWeights } from '../../storage/export-history.js';

/** A run with its checkpoints, oldest checkpoint first. */
export interface RunCheckpoints {
  readonly run: RunRecord;
  readonly checkpoints: readonly CheckpointRecord[];
}

/** What the picker holds: follow the default, the initial weights, or one checkpoint. */
export type WeightsSelection = { readonly kind: 'default' } | { readonly kind: 'initial' } | { readonly kind: 'checkpoint'; readonly id: CheckpointId };

/** The project's runs that have checkpoints, newest first. */
export async function loadRunCheckpoints(db: StorageDb, projectId: ProjectId): Promise<RunCheckpoints[]> {
  const runs = [...(await db.listRuns(projectId))].sort((a, b) => b.startedAt - a.startedAt);
  const rows = await Promise.all(
    runs.map(async (run) => ({ run, checkpoints: [...(await db.listCheckpoints(run.id))].sort((a, b) => a.globalStep - b.globalStep || a.createdAt - b.createdAt) })),
  );
  return rows.filter((r) => r.checkpoints.length > 0);
}

const latest = (cs: readonly CheckpointRecord[]): CheckpointRecord | null => cs.reduce<CheckpointRecord | null>((l, c) => (!l || c.globalStep > l.globalStep || (c.globalStep === l.globalStep && c.createdAt >= l.createdAt) ? c : l), null);

/** The selected run's best checkpoint, else its final one, else its latest; null (initial weights) without one. */
export function defaultCheckpoint(rows: readonly RunCheckpoints[], selectedRunId: RunId | null): CheckpointRecord | null {
  const row = selectedRunId ? rows.find((r) => r.run.id === selectedRunId) : undefined;
  if (!row) return null;
  const cs = row.checkpoints;
  return cs.find((c) => c.kind === 'best') ?? cs.find((c) => c.kind === 'final') ?? latest(cs);
}

/** The checkpoint a selection means now: an explicit one that was deleted falls back to the default. */
export function resolveSelection(sel: WeightsSelection, rows: readonly RunCheckpoints[], selectedRunId: RunId | null): { checkpoint: CheckpointRecord; run: RunRecord } | null {
  const find = (id: CheckpointId) => {
    for (const r of rows) for (const c of r.checkpoints) if (c.id === id) return { checkpoint: c, run: r.run };
    return null;
  };
  switch (sel.kind) {
    case 'initial':
      return null;
    case 'checkpoint': {
      const hit = find(sel.id);
      if (hit) return hit;
      break;
    }
    case 'default':
      break;
    default: {
      const never: never = sel;
      throw new Error(`unknown selection ${JSON.stringify(never)}`);
    }
  }
  const d = defaultCheckpoint(rows, selectedRunId);
  return d ? find(d.id) : null;
}

const time = (ms: number) => new Date(ms).toLocaleString([], { dateStyle: 'short', timeStyle: 'medium' });

/** How a person tells runs apart: what it trained on and when, or where imported weights came from. */
export function runLabel(run: RunRecord): string {
  if (isImportedRun(run)) return `${run.datasetName} (${time(run.startedAt)})`;
  return `run of ${time(run.startedAt)} on ${run.datasetName || 'its data'} (${run.status}, ${run.epochs} epoch${run.epochs === 1 ? '' : 's'})`;
}

/** "best checkpoint at epoch 2 (valLoss 0.3102)", "periodic checkpoint at epoch 1, step 40". */
export function checkpointLabel(run: RunRecord, c: CheckpointRecord): string {
  if (isImportedRun(run)) return 'imported weights';
  const metric = c.metric ? ` (${c.metric.name} ${Number.isFinite(c.metric.value) ? c.metric.value.toPrecision(4) : String(c.metric.value)})` : '';
  return `${c.kind} checkpoint at epoch ${c.epoch}${c.kind === 'periodic' ? `, step ${c.globalStep}` : ''}${metric}`;
}

/** A history entry's weights in words. */
export function exportedWeightsLabel(w: ExportedWeights | null): string {
  if (!w) return 'weights not recorded';
  switch (w.kind) {
    case 'initial':
      return 'initial (seeded) weights';
    case 'supplied':
      return 'weights handed in with the request';
    case 'checkpoint':
      return w.imported ? 'imported weights' : `${w.checkpointKind} checkpoint at epoch ${w.epoch} of run ${w.runId.slice(0, 8)}`;
    default: {
      const never: never = w;
      throw new Error(`unknown weights ${JSON.stringify(never)}`);
    }
  }
}
