// "Log to MLflow" for a stored run: reads its record and metric points (read only: the local run
// is never changed), sends them with the engine's logRunToMlflow, and says what happened in
// plain words. No DOM: the page passes its fetch and storage.
import { logRunToMlflow, mlflowStatus, type MlflowError, type MlflowFetch } from '../../engine/tracking/mlflow.js';
import type { MlflowRunInput } from '../../engine/tracking/mlflow-payload.js';
import type { RunId, RunRecord, StorageDb } from '../../storage/types.js';
import type { MlflowSettings } from './mlflow-settings.js';

export interface LogDeps {
  readonly fetch: MlflowFetch;
  /** `navigator.onLine` in the page. */
  readonly online?: () => boolean;
}

/** Why a run was not logged: MLflow's own kinds, or the local run cannot be sent (yet). */
export type LogFailureKind = MlflowError['kind'] | 'run-missing' | 'run-live' | 'storage';

export type LogOutcome =
  | { readonly ok: true; readonly mlflowRunId: string; readonly requests: number; readonly metrics: number; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly kind: LogFailureKind; readonly message: string };

/** A stored record as the MLflow client reads it (an unnamed run goes by its id). */
export function mlflowRunInput(run: RunRecord): MlflowRunInput {
  const { name, ...rest } = run;
  return name ? { ...rest, name } : rest;
}

/**
 * What an MLflow failure means, in a sentence a person can act on; `createdRunId`: the MLflow
 * run made before the failure (it is marked FAILED there, best effort).
 */
export function describeMlflowError(error: MlflowError, createdRunId: string | null): string {
  const partial = createdRunId ? ` MLflow run ${createdRunId} was created before this and is marked failed there.` : '';
  const head = ((): string => {
    switch (error.kind) {
      case 'cors':
        return 'Blocked by CORS';
      case 'network':
        return 'Server not reachable';
      case 'offline':
        return 'Offline';
      case 'http':
        return 'Refused by the server'; // the message names the status and MLflow's error_code
      case 'invalid-config':
        return 'Check the MLflow settings';
      case 'bad-response':
        return 'Unexpected reply from the server';
      default:
        return error satisfies never;
    }
  })();
  const sentence = error.message.replace(/[.\s]+$/, '');
  return `${head}: ${sentence}${/[?!]$/.test(sentence) ? '' : '.'}${partial} The run on this device is unchanged.`;
}

/**
 * Logs stored run `runId` to the server in `settings`: runs/create, runs/log-batch with every
 * step and epoch point and the final metrics, runs/update with its end status.
 * @example
 * const r = await logStoredRun(await pageStorage(), run.id, settings, { fetch: pageMlflowFetch(), online: () => navigator.onLine });
 * show(r.ok ? `Logged to MLflow: run ${r.mlflowRunId}` : r.message);
 */
export async function logStoredRun(db: Pick<StorageDb, 'getRun' | 'readMetrics'>, runId: RunId, settings: MlflowSettings, deps: LogDeps): Promise<LogOutcome> {
  let run: RunRecord | null;
  let points;
  try {
    run = await db.getRun(runId);
    points = run ? [...(await db.readMetrics(runId, 'step')), ...(await db.readMetrics(runId, 'epoch'))] : [];
  } catch (e) {
    return { ok: false, kind: 'storage', message: `Could not read run ${runId} from this device's storage: ${e instanceof Error ? e.message : String(e)}.` };
  }
  if (!run) return { ok: false, kind: 'run-missing', message: `Run ${runId} is no longer stored on this device (deleted?).` };
  if (mlflowStatus(run.status) === null) return { ok: false, kind: 'run-live', message: `Run ${runId} is still ${run.status}: log it to MLflow once it has ended.` };
  const headers = settings.authorization ? { Authorization: settings.authorization } : undefined;
  const r = await logRunToMlflow(
    { trackingUri: settings.trackingUri, experimentId: settings.experimentId, fetch: deps.fetch, ...(headers ? { headers } : {}), ...(deps.online ? { online: deps.online } : {}) },
    mlflowRunInput(run),
    points,
  );
  if (!r.ok) return { ok: false, kind: r.error.kind, message: describeMlflowError(r.error, r.mlflowRunId) };
  const metrics = points.reduce((n, p) => n + Object.keys(p.values).length, 0) + Object.keys(run.finalMetrics).length;
  return { ok: true, mlflowRunId: r.mlflowRunId, requests: r.requests, metrics, warnings: r.warnings };
}
