// A run's row actions in the Runs table: "Reproduce" (train it again exactly, tagged
// `reproduces:<id>`) and "Log to MLflow" (with the saved server settings), each disabled with
// its reason when it cannot run, and one status line for progress, results and errors.
import { createSignal, Match, Show, Switch } from 'solid-js';
import type { RunId, RunRecord } from '../../storage/types.js';
import { reproducedRunOf } from '../../workers/run-tags.js';
import type { TrainingSession } from '../training/training-session.js';
import { alreadyLogged, logRun, logState, mlflowSettings } from './mlflow-store.js';
import './tracking.css';

/** A run id as the rows show it: without the common `run-` prefix. */
export const shortRunId = (id: string): string => id.replace(/^run-/, '');

const live = (run: RunRecord) => run.status === 'running' || run.status === 'paused';

/** A run's row actions: Reproduce and Log to MLflow, with their progress and errors. */
export function RunActions(props: { session: TrainingSession; run: RunRecord }) {
  const s = props.session;
  const id = () => props.run.id;
  const [reproError, setReproError] = createSignal<string | null>(null);
  const [confirming, setConfirming] = createSignal<string | null>(null);
  const original = () => reproducedRunOf(props.run);

  const reproduceBlocked = (): string | null => (s.busy() ? 'A run is training: reproduce this one when it has ended.' : live(props.run) ? 'This run is still training (in this or another tab).' : null);
  const logBlocked = (): string | null => {
    if (!mlflowSettings()) return 'Save the MLflow tracking server settings (below the runs table) first.';
    if (live(props.run)) return 'This run is still training: log it when it has ended.';
    if (logState(id()).kind === 'logging') return 'Logging to MLflow…';
    return null;
  };

  async function reproduce() {
    setReproError(null);
    const r = await s.reproduce(id());
    if (!r.ok) setReproError(r.message);
  }

  function log(again: boolean) {
    setReproError(null);
    const done = alreadyLogged(id());
    if (done && !again) return void setConfirming(done.mlflowRunId);
    setConfirming(null);
    void logRun(id());
  }

  const state = () => logState(id());
  const logged = () => {
    const st = state();
    return st.kind === 'logged' ? st : null;
  };
  const failed = () => {
    const st = state();
    return st.kind === 'failed' ? st : null;
  };
  const describedBy = (which: string) => `run-${which}-why-${id()}`;
  return (
    // Clicks here act on the run's buttons only: they do not also pick the row.
    <div class="run-actions" data-testid="run-actions" data-run-id={id()} onClick={(e) => e.stopPropagation()}>
      <div class="run-actions-buttons">
        <button type="button" data-testid="run-reproduce" disabled={reproduceBlocked() !== null} title={reproduceBlocked() ?? 'Train this run again with the same graph version, settings, seed, data and backend'} aria-describedby={describedBy('reproduce')} onClick={() => void reproduce()}>
          Reproduce
        </button>
        <button type="button" data-testid="run-log-mlflow" disabled={logBlocked() !== null} title={logBlocked() ?? `Send this run's settings and metrics to ${mlflowSettings()?.trackingUri ?? 'MLflow'}`} aria-describedby={describedBy('log')} onClick={() => log(false)}>
          Log to MLflow
        </button>
        <span class="run-actions-sr" id={describedBy('reproduce')}>{reproduceBlocked() ?? ''}</span>
        <span class="run-actions-sr" id={describedBy('log')}>{logBlocked() ?? ''}</span>
      </div>
      <Show when={original()}>
        {(from) => (
          <button type="button" class="link run-reproduces" data-testid="run-reproduces" data-original-run-id={from()} title={`Show run ${from()}, which this run reproduces`} disabled={s.busy()} onClick={() => s.select(from() as RunId)}>
            reproduces {shortRunId(from())}
          </button>
        )}
      </Show>
      <Show when={confirming()}>
        {(mlflowId) => (
          <p class="run-actions-msg" role="status" data-testid="mlflow-confirm">
            Already logged as {mlflowId()}: log again?{' '}
            <button type="button" data-testid="mlflow-log-again" onClick={() => log(true)}>Log again</button>{' '}
            <button type="button" data-testid="mlflow-log-cancel" onClick={() => setConfirming(null)}>Cancel</button>
          </p>
        )}
      </Show>
      <Show when={reproError()}>
        <p class="run-actions-msg error" role="alert" data-testid="run-reproduce-error">Cannot reproduce: {reproError()}</p>
      </Show>
      <Switch>
        <Match when={state().kind === 'logging'}>
          <p class="run-actions-msg" role="status" data-testid="mlflow-status" data-state="logging">
            <span class="run-actions-spinner" aria-hidden="true" /> Logging to MLflow…
          </p>
        </Match>
        <Match when={logged()}>
          {(l) => (
            <p class="run-actions-msg ok" role="status" data-testid="mlflow-status" data-state="logged" data-mlflow-run-id={l().mlflowRunId}>
              {l().auto ? 'Logged automatically' : 'Logged'} to MLflow: run {l().mlflowRunId} ({l().requests} requests, {l().metrics} metric values)
            </p>
          )}
        </Match>
        <Match when={failed()}>
          {(f) => (
            <p class="run-actions-msg error" role="alert" data-testid="mlflow-status" data-state="failed">
              {f().auto ? 'Automatic MLflow logging failed. ' : ''}
              {f().message}
            </p>
          )}
        </Match>
      </Switch>
    </div>
  );
}
