// Which local runs were logged to which MLflow server, as MLflow run ids: kept in localStorage so
// a second "Log to MLflow" asks before making a duplicate. A record of this browser only.
import type { KeyValueStore, MlflowSettings } from './mlflow-settings.js';

export const MLFLOW_LOGGED_KEY = 'neuralforge.mlflow-logged.v1';

/** At most this many runs are remembered (the oldest are forgotten first). */
const MAX_ENTRIES = 2000;

export interface LoggedRun {
  readonly mlflowRunId: string;
  readonly trackingUri: string;
  readonly experimentId: string;
  readonly loggedAt: number;
}

function isLogged(v: unknown): v is LoggedRun {
  const o = v as Partial<Record<keyof LoggedRun, unknown>> | null;
  return !!o && typeof o.mlflowRunId === 'string' && typeof o.trackingUri === 'string' && typeof o.experimentId === 'string' && typeof o.loggedAt === 'number';
}

/** Every remembered run by local run id; damaged entries (or a damaged value) are skipped. */
export function readLogged(store: KeyValueStore | undefined): ReadonlyMap<string, LoggedRun> {
  const out = new Map<string, LoggedRun>();
  try {
    const v = JSON.parse(store?.getItem(MLFLOW_LOGGED_KEY) ?? '{}') as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, e] of Object.entries(v)) if (isLogged(e)) out.set(k, e);
  } catch {
    // unreadable: as if nothing was logged
  }
  return out;
}

/** Where `runId` was logged on this server and experiment; null when it was not (or elsewhere only). */
export function loggedOn(store: KeyValueStore | undefined, runId: string, settings: Pick<MlflowSettings, 'trackingUri' | 'experimentId'>): LoggedRun | null {
  const e = readLogged(store).get(runId);
  return e && e.trackingUri === settings.trackingUri && e.experimentId === settings.experimentId ? e : null;
}

/** Remembers a logged run (best effort: a full or refused storage only loses the reminder). */
export function rememberLogged(store: KeyValueStore | undefined, runId: string, entry: LoggedRun): void {
  const all = [...readLogged(store)].filter(([k]) => k !== runId);
  all.push([runId, entry]);
  const kept = all.sort((a, b) => a[1].loggedAt - b[1].loggedAt).slice(-MAX_ENTRIES);
  try {
    store?.setItem(MLFLOW_LOGGED_KEY, JSON.stringify(Object.fromEntries(kept)));
  } catch {
    // the run is logged all the same; only the reminder is lost
  }
}
