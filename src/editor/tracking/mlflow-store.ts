// The page's MLflow state, shared by the settings box, every run's "Log to MLflow" button and the
// automatic logging of finished runs: the saved settings and each run's logging progress. Lives
// as long as the page (module signals), so a log in progress survives the Runs view unmounting.
import { createSignal } from 'solid-js';
import type { RunId } from '../../storage/types.js';
import { pageStorage } from '../training/run-history.js';
import { pageMlflowFetch } from './mlflow-fetch.js';
import { logStoredRun } from './mlflow-log.js';
import { loggedOn, rememberLogged, type LoggedRun } from './mlflow-logged.js';
import { clearSettings, pageLocalStorage, readSettings, writeSettings, type MlflowSettings, type SettingsCheck } from './mlflow-settings.js';

/** One run's logging, as its row shows it. */
export type LogState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'logging' }
  | { readonly kind: 'logged'; readonly mlflowRunId: string; readonly requests: number; readonly metrics: number; readonly auto: boolean }
  | { readonly kind: 'failed'; readonly message: string; readonly auto: boolean };

const IDLE: LogState = { kind: 'idle' };
const [settings, setSettings] = createSignal<MlflowSettings | null>(readSettings(pageLocalStorage()));
const [states, setStates] = createSignal<ReadonlyMap<RunId, LogState>>(new Map());

const setState = (id: RunId, s: LogState): void => void setStates((m) => new Map(m).set(id, s));

/** The saved MLflow settings, or null until the person saves some. */
export const mlflowSettings = settings;

/** Checks and saves settings; the saved ones change only when the check passes. */
export function saveMlflowSettings(input: MlflowSettings): SettingsCheck {
  const r = writeSettings(pageLocalStorage(), input);
  if (r.ok) setSettings(r.settings);
  return r;
}

export function forgetMlflowSettings(): void {
  clearSettings(pageLocalStorage());
  setSettings(null);
}

/** A run's logging state (reactive). */
export const logState = (id: RunId): LogState => states().get(id) ?? IDLE;

/** Where the run was already logged on the current server and experiment, or null. */
export function alreadyLogged(id: RunId): LoggedRun | null {
  const s = settings();
  return s ? loggedOn(pageLocalStorage(), id, s) : null;
}

/** Logs a stored run with the saved settings; progress and result go to `logState(id)`. */
export async function logRun(id: RunId, how: { auto: boolean } = { auto: false }): Promise<void> {
  const s = settings();
  if (!s || logState(id).kind === 'logging') return;
  setState(id, { kind: 'logging' });
  let db;
  try {
    db = await pageStorage();
  } catch (e) {
    return setState(id, { kind: 'failed', auto: how.auto, message: `This device's storage could not be opened: ${e instanceof Error ? e.message : String(e)}.` });
  }
  const r = await logStoredRun(db, id, s, { fetch: pageMlflowFetch(), online: () => globalThis.navigator?.onLine ?? true });
  if (!r.ok) return setState(id, { kind: 'failed', auto: how.auto, message: r.message });
  rememberLogged(pageLocalStorage(), id, { mlflowRunId: r.mlflowRunId, trackingUri: s.trackingUri, experimentId: s.experimentId, loggedAt: Date.now() });
  setState(id, { kind: 'logged', mlflowRunId: r.mlflowRunId, requests: r.requests, metrics: r.metrics, auto: how.auto });
}

/**
 * For TrainingSessionOptions.onRunEnded: logs the run when automatic logging is on and it was
 * not logged to this server yet. Its result shows in the run's row like a click's.
 */
export function autoLogEndedRun(id: RunId): void {
  const s = settings();
  if (s?.autoLog && !alreadyLogged(id)) void logRun(id, { auto: true });
}
