// The Runs view's Evaluate tab: the shown run's model (a checkpoint of it) scored on held-out
// data in the evaluator worker — metrics, confusion matrix with drill-down, per-class table, ROC,
// worst examples or residuals — then Grad-CAM and an embedding projection on the same session.
// The last result is kept while the page lives, so leaving the tab and coming back shows it.
import { createEffect, createMemo, createSignal, For, Match, on, onCleanup, Show, Switch } from 'solid-js';
import { BACKENDS, isBackendPreference, type BackendPreference } from '../../engine/runtime/backend-types.js';
import type { CheckpointId, CheckpointRecord, RunId, RunRecord } from '../../storage/types.js';
import type { EvalErrorCode } from '../../workers/evaluator-api.js';
import type { ClassificationEval, EvaluatorApi, RegressionEval } from './eval-types.js';
import { ClassificationResults } from './ClassificationResults.js';
import { checkpointOptionLabel, defaultCheckpointId, duration, errorAdvice, evaluateBlocker, orderedCheckpoints, parseSampleCap } from './eval-format.js';
import { evaluator, type EvaluatorConnection } from './evaluator-client.js';
import { GradCamView } from './GradCamView.js';
import { ProjectionView } from './ProjectionView.js';
import { RegressionResults } from './RegressionResults.js';
import { SampleGrid } from './SampleGrid.js';
import './evaluate.css';

type Result = ClassificationEval | RegressionEval;
type PanelState =
  /** `previous`: the last result, kept on screen (dimmed) so nothing jumps while the new one loads. */
  | { readonly kind: 'running'; readonly since: number; readonly previous: Result | null }
  | { readonly kind: 'done'; readonly result: Result }
  | { readonly kind: 'failed'; readonly code: EvalErrorCode; readonly message: string };

// Kept across visits to the tab (the panel unmounts when another tab opens); the worker keeps the session.
const [kept, setKept] = createSignal<{ readonly runId: RunId; readonly state: PanelState } | null>(null);
let seq = 0;
let camSeq = 0;

/** Evaluates the shown run's model on a held-out split: metrics, confusion matrix, ROC, worst examples, Grad-CAM, projection. */
export function EvaluatePanel(props: {
  run: RunRecord | null;
  checkpoints: readonly CheckpointRecord[];
  busy: boolean;
  /** The evaluator to ask; default: the page's shared worker (started on the first evaluation). Tests hand in a fake. */
  connect?: () => EvaluatorConnection;
}) {
  const connection = (): EvaluatorConnection => (props.connect ?? evaluator)();
  const api = (): EvaluatorApi => connection().api;
  const [chosen, setChosen] = createSignal<CheckpointId | null>(null);
  const [split, setSplit] = createSignal<'test' | 'validation'>('test');
  const [capText, setCapText] = createSignal('');
  const [backend, setBackend] = createSignal<BackendPreference>('auto');
  const [now, setNow] = createSignal(Date.now());
  const [picked, setPicked] = createSignal<number | null>(null);
  const [camTarget, setCamTarget] = createSignal<{ index: number; seq: number } | null>(null);

  // Another run on show: its own default checkpoint; the picked sample belonged to the old one.
  createEffect(on(() => props.run?.id, () => (setChosen(null), setPicked(null), setCamTarget(null)), { defer: true }));
  const checkpoint = () => {
    const c = chosen();
    return c && props.checkpoints.some((k) => k.id === c) ? c : defaultCheckpointId(props.checkpoints);
  };
  const state = () => {
    const k = kept();
    return k && props.run && k.runId === props.run.id ? k.state : null;
  };
  const running = () => state()?.kind === 'running';
  const cap = createMemo(() => parseSampleCap(capText()));
  const blocker = () => evaluateBlocker(props.run, props.checkpoints, props.busy) ?? (running() ? 'Evaluating…' : null) ?? (cap().ok ? null : (cap() as { error: string }).error);

  const timer = setInterval(() => running() && setNow(Date.now()), 250);
  onCleanup(() => clearInterval(timer));

  const evaluate = async () => {
    const run = props.run;
    const c = cap();
    if (!run || blocker() || !c.ok) return;
    const my = ++seq;
    setPicked(null);
    setCamTarget(null);
    setKept({ runId: run.id, state: { kind: 'running', since: Date.now(), previous: result() } });
    setNow(Date.now());
    let next: PanelState;
    try {
      const reply = await api().evaluate({ runId: run.id, checkpointId: checkpoint(), split: split(), backend: backend(), ...(c.cap ? { maxSamples: c.cap } : {}) });
      next = reply.ok ? { kind: 'done', result: reply.result } : { kind: 'failed', code: reply.code, message: reply.error.message };
    } catch (e) {
      // The worker itself died (out of memory, a crash): start a fresh one next time.
      connection().terminate();
      next = { kind: 'failed', code: 'failed', message: `The evaluator stopped: ${e instanceof Error ? e.message : String(e)}` };
    }
    if (my === seq) setKept({ runId: run.id, state: next });
  };

  const result = (): Result | null => {
    const s = state();
    return s?.kind === 'done' ? s.result : s?.kind === 'running' ? s.previous : null;
  };
  const camAvailable = () => {
    const r = result();
    return !!r && r.sampleKind === 'image' && r.nodes.some((n) => n.spatial);
  };
  const pickAction = () => (camAvailable() ? { label: 'Explain with Grad-CAM', run: (i: number) => setCamTarget({ index: i, seq: ++camSeq }) } : null);
  const pickedList = createMemo(() => (picked() === null ? [] : [picked()!]));
  const checkpointLabel = (id: CheckpointId) => {
    const c = props.checkpoints.find((k) => k.id === id);
    return c ? checkpointOptionLabel(c) : `checkpoint ${id.slice(0, 8)}`;
  };

  return (
    <section class="evaluate-panel" data-testid="evaluate-panel" aria-label="Evaluate the model on held-out data">
      <form
        class="eval-header"
        onSubmit={(e) => {
          e.preventDefault();
          void evaluate();
        }}
      >
        <div class="eval-run" data-testid="eval-run">
          <Show when={props.run} fallback={<span class="muted">No run picked.</span>}>
            {(run) => (
              <>
                Run of {new Date(run().startedAt).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' })} on <b>{run().datasetName || 'its data'}</b> ({run().status}, {run().epochs} epoch{run().epochs === 1 ? '' : 's'})
              </>
            )}
          </Show>
        </div>
        <label>
          Checkpoint{' '}
          <select data-testid="eval-checkpoint" value={checkpoint() ?? ''} disabled={props.checkpoints.length === 0} onChange={(e) => setChosen(e.currentTarget.value as CheckpointId)}>
            <Show when={props.checkpoints.length === 0}>
              <option value="">none stored</option>
            </Show>
            <For each={orderedCheckpoints(props.checkpoints)}>{(c) => <option value={c.id}>{checkpointOptionLabel(c)}</option>}</For>
          </select>
        </label>
        <label>
          Split{' '}
          <select title="test: the dataset's test split; validation: the samples the run held out while training" data-testid="eval-split" value={split()} onChange={(e) => setSplit(e.currentTarget.value === 'validation' ? 'validation' : 'test')}>
            <option value="test">test</option>
            <option value="validation">validation</option>
          </select>
        </label>
        <label>
          Samples{' '}
          <input class="cap" data-testid="eval-max-samples" inputmode="numeric" placeholder="all" value={capText()} aria-invalid={!cap().ok} onInput={(e) => setCapText(e.currentTarget.value)} />
        </label>
        <label>
          Backend{' '}
          <select title="auto picks as training does: the fastest backend that runs this model" data-testid="eval-backend" value={backend()} onChange={(e) => isBackendPreference(e.currentTarget.value) && setBackend(e.currentTarget.value)}>
            <option value="auto">auto</option>
            <For each={BACKENDS}>{(b) => <option value={b}>{b}</option>}</For>
          </select>
        </label>
        <button type="submit" class="primary" data-testid="evaluate-button" disabled={!!blocker()} aria-describedby="eval-blocker">
          {running() ? 'Evaluating…' : 'Evaluate'}
        </button>
        <span id="eval-blocker" class="eval-blocker" data-testid="eval-blocker">
          {running() ? '' : (blocker() ?? '')}
        </span>
      </form>

      <div class="eval-status" data-testid="eval-status" data-state={state()?.kind ?? 'idle'} role="status">
        <Switch fallback={<span class="muted">{props.run ? 'Press Evaluate to score this run’s model on data it never trained on.' : ''}</span>}>
          <Match when={state()?.kind === 'running' && state()}>
            {(s) => (
              <>
                <progress class="eval-progress" aria-label="evaluating" />
                <span>
                  Loading the model and data, then predicting… {duration(now() - (s() as { since: number }).since)}
                </span>
              </>
            )}
          </Match>
          <Match when={state()?.kind === 'done' && result()}>
            {(r) => (
              <span data-testid="eval-facts" data-split={r().split} data-fell-back={String(r().fellBack)} data-backend={r().backend}>
                {r().samples.toLocaleString()} {r().split} samples · {checkpointLabel(r().checkpointId)} · {duration(r().ms)} on {r().backend}
                <Show when={r().fellBack}>
                  <b class="fell-back"> · no test split: validation used</b>
                </Show>
              </span>
            )}
          </Match>
          <Match when={state()?.kind === 'failed' && state()}>
            {(s) => {
              const f = s() as Extract<PanelState, { kind: 'failed' }>;
              return (
                <span class="eval-error" role="alert" data-testid="eval-error" data-code={f.code}>
                  Evaluation failed: {f.message} — {errorAdvice(f.code)}
                </span>
              );
            }}
          </Match>
        </Switch>
      </div>

      <div class="eval-results" classList={{ stale: running() }}>
        {/* Keyed: a new result starts its sections afresh (no cell, sample or map of the last one). */}
        <Show when={result()} keyed fallback={<div class="eval-placeholder" />}>
          {(res) => {
            const r = () => res;
            return (
            <>
              <Switch>
                <Match when={r().task === 'classification' && (r() as ClassificationEval)}>
                  {(c) => <ClassificationResults result={c()} api={api()} picked={picked()} onPick={setPicked} pickAction={pickAction()} />}
                </Match>
                <Match when={r().task === 'regression' && (r() as RegressionEval)}>
                  {(g) => <RegressionResults result={g()} api={api()} picked={picked()} onPick={setPicked} pickAction={pickAction()} />}
                </Match>
              </Switch>
              <section class="eval-section" aria-labelledby="eval-gradcam-h">
                <h3 id="eval-gradcam-h">Grad-CAM</h3>
                <GradCamView
                  api={api()}
                  session={r().session}
                  nodes={r().nodes}
                  sampleKind={r().sampleKind}
                  classNames={r().task === 'classification' ? (r() as ClassificationEval).classNames : null}
                  samples={r().samples}
                  target={camTarget()}
                />
              </section>
              <section class="eval-section" aria-labelledby="eval-projection-h">
                <h3 id="eval-projection-h">Embedding projection</h3>
                <ProjectionView
                  api={api()}
                  session={r().session}
                  nodes={r().nodes}
                  classNames={r().task === 'classification' ? (r() as ClassificationEval).classNames : null}
                  samples={r().samples}
                  picked={picked()}
                  onPick={setPicked}
                />
                <h4>Picked sample</h4>
                <SampleGrid
                  api={api()}
                  session={r().session}
                  indices={pickedList()}
                  initial={1}
                  step={1}
                  classNames={r().task === 'classification' ? (r() as ClassificationEval).classNames : null}
                  picked={picked()}
                  onPick={setPicked}
                  pickAction={pickAction()}
                  label="The picked sample"
                  testId="picked-grid"
                  emptyText="Click a sample in a grid or a point in a plot to pick it."
                />
              </section>
            </>
            );
          }}
        </Show>
      </div>
    </section>
  );
}
