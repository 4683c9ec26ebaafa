// The Training panel: train the selected template in the worker on built-in MNIST, an
// imported file or folder, or a downloaded file, with Start/Pause/Resume/Stop, the backend and adapter in use, live charts and an epoch log.
// Worker events are folded into the run log once per animation frame (frameBatcher), so
// the main thread does a bounded amount of work however fast the worker reports.
import { createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import { BACKENDS, type BackendPreference, type BackendReport } from '../../engine/runtime/backend-types.js';
import type { Project } from '../../engine/project/types.js';
import type { DatasetRequest, TrainerEvent } from '../../workers/trainer-api.js';
import { BackendCard } from './BackendCard.js';
import { DatasetPicker } from './DatasetPicker.js';
import { choiceReady, datasetRequest, type DatasetChoice } from './dataset-choice.js';
import { DatasetSummary } from './DatasetSummary.js';
import { LineChart } from './LineChart.js';
import { applyEvent, emptyRunLog, frameBatcher, type RunLog } from './run-log.js';
import { TrainerClient } from './trainer-client.js';

type Status = 'idle' | 'running' | 'paused' | 'stopping' | 'done';

/**
 * `?prewarm=1` compiles WebGPU shaders before the first step. Off by default: on SwiftShader
 * with 2 cores it mostly moved compile time before the first step (MLP, first epoch plus
 * pre-warm 13.2–14.2 s, without 14.0–14.9 s, 4 runs each); kept as a knob for real GPUs.
 */
const prewarmParam = () => new URLSearchParams(globalThis.location?.search ?? '').get('prewarm') === '1';

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);
const num = (v: number | null | undefined, d = 4) => (v === null || v === undefined ? '—' : v.toFixed(d));

/** Reads a positive integer from a number input; null when empty ("use the project's value"). */
const intOrNull = (s: string): number | null => {
  const n = Number.parseInt(s, 10);
  return Number.isFinite(n) && n > 0 ? n : null;
};

/** What to do when Start is disabled, per dataset kind. */
const HINTS: Record<DatasetChoice['kind'], string> = {
  mnist: 'Built-in MNIST trains the MNIST templates (MLP, LeNet-5); import a file for the others.',
  file: 'Choose a file to import: a .zip of images (one folder per class), a .csv table, .jsonl text or a .txt corpus.',
  folder: 'Choose a folder of images with one sub-folder per class (cats/, dogs/, …).',
  remote: 'Enter the URL of a .csv, .tsv, .jsonl, .txt or .zip file (the server must allow cross-origin requests), and optionally its SHA-256.',
};

export function TrainingPanel(props: { project: () => Project }) {
  const client = new TrainerClient();
  const [pref, setPref] = createSignal<BackendPreference>('auto');
  const [initReport, setInitReport] = createSignal<BackendReport | null>(null);
  const [initError, setInitError] = createSignal<string | null>(null);
  const [status, setStatus] = createSignal<Status>('idle');
  const [epochs, setEpochs] = createSignal('');
  const [batch, setBatch] = createSignal('');
  const [samples, setSamples] = createSignal('');
  const [log, setLog] = createSignal<RunLog>(emptyRunLog());
  const [version, setVersion] = createSignal(0);
  const [choice, setChoice] = createSignal<DatasetChoice>({ kind: 'mnist' });
  const [readError, setReadError] = createSignal<string | null>(null);

  const mnistProject = () => props.project().dataset.source === 'builtin' && (props.project().dataset as { name: string }).name === 'mnist';
  // Imported or downloaded data goes with any template: a mismatch fails the run with the trainer's message.
  const trainable = () => {
    const c = choice();
    return c.kind === 'mnist' ? mnistProject() : choiceReady(c);
  };

  async function init(p: BackendPreference) {
    setInitError(null);
    const r = await client.init(p);
    if (!r) return; // superseded by a newer pick
    if (r.ok) setInitReport(r.report);
    else setInitError(r.error.message);
  }

  onMount(() => void init(pref()));
  onCleanup(() => client.terminate());

  async function start() {
    setReadError(null);
    setStatus('running'); // before reading the file, so a second click cannot start a second run
    let dataset: DatasetRequest | null;
    try {
      dataset = await datasetRequest(choice());
    } catch (err) {
      // The file changed or vanished on disk since it was picked (NotReadableError).
      setReadError(`could not read the file: ${err instanceof Error ? err.message : String(err)}`);
      dataset = null;
    }
    if (!dataset) {
      setStatus('idle');
      return;
    }
    const current = emptyRunLog();
    setLog(current);
    setVersion((v) => v + 1);
    const push = frameBatcher<TrainerEvent>((events) => {
      for (const e of events) applyEvent(current, e);
      setVersion((v) => v + 1);
    });
    const e = intOrNull(epochs());
    const b = intOrNull(batch());
    const n = intOrNull(samples());
    const summary = await client.start(
      {
        project: props.project(),
        dataset,
        backend: pref(),
        prewarm: prewarmParam(),
        overrides: { ...(e ? { epochs: e } : {}), ...(b ? { batchSize: b } : {}), ...(n ? { maxTrainSamples: n } : {}) },
      },
      push,
    );
    if (!summary) return; // a newer run took over
    current.summary = summary;
    setStatus('done');
    setVersion((v) => v + 1);
  }

  async function pause() {
    if (await client.pause()) setStatus('paused');
  }
  async function resume() {
    if (await client.resume()) setStatus('running');
  }
  async function stop() {
    setStatus('stopping');
    if (!(await client.stop())) setStatus('done');
  }

  const busy = () => status() === 'running' || status() === 'paused' || status() === 'stopping';
  const view = () => {
    version(); // re-read the mutable log when it changed
    return log();
  };
  const report = () => view().report ?? initReport();
  const last = () => view().epochRows.at(-1) ?? null;

  return (
    <section class="training" data-testid="training-panel">
      <h2>Training</h2>
      <div class="controls">
        <DatasetPicker choice={choice()} onChange={setChoice} disabled={busy()} />
        <label>
          Backend{' '}
          <select
            value={pref()}
            disabled={busy()}
            data-testid="backend-picker"
            onChange={(e) => {
              const p = e.currentTarget.value as BackendPreference;
              setPref(p);
              void init(p);
            }}
          >
            <option value="auto">auto</option>
            <For each={BACKENDS}>{(b) => <option value={b}>{b}</option>}</For>
          </select>
        </label>
        <label>
          Epochs <input type="number" min="1" size="4" placeholder={String(props.project().training.epochs ?? '')} value={epochs()} disabled={busy()} onInput={(e) => setEpochs(e.currentTarget.value)} data-testid="epochs" />
        </label>
        <label>
          Batch <input type="number" min="1" size="4" placeholder={String(props.project().training.batchSize ?? '')} value={batch()} disabled={busy()} onInput={(e) => setBatch(e.currentTarget.value)} data-testid="batch-size" />
        </label>
        <label>
          Train samples <input type="number" min="1" size="6" placeholder="all" value={samples()} disabled={busy()} onInput={(e) => setSamples(e.currentTarget.value)} data-testid="train-samples" />
        </label>
        <span class="buttons">
          <button onClick={() => void start()} disabled={busy() || !trainable()} data-testid="start">Start</button>
          <Show when={status() === 'paused'} fallback={<button onClick={() => void pause()} disabled={status() !== 'running'} data-testid="pause">Pause</button>}>
            <button onClick={() => void resume()} data-testid="resume">Resume</button>
          </Show>
          <button onClick={() => void stop()} disabled={!busy() || status() === 'stopping'} data-testid="stop">Stop</button>
        </span>
      </div>
      <Show when={!trainable()}>
        <p class="muted">{HINTS[choice().kind]}</p>
      </Show>
      <BackendCard report={report()} pending={!initReport() && !initError()} error={initError()} prewarmMs={view().prewarmMs} />
      <Show when={readError()}>{(m) => <p class="error" data-testid="read-error">{m()}</p>}</Show>
      <DatasetSummary log={view()} />
      <p class="run-status" data-testid="run-status" data-status={status()} data-phase={view().phase ?? ''} data-last-step={view().steps[0].at(-1) ?? 0}>
        <RunStatusLine status={status()} log={view()} />
      </p>
      <Show when={view().warnings.length > 0}>
        <ul class="warnings">
          <For each={view().warnings}>{(w) => <li>{w}</li>}</For>
        </ul>
      </Show>
      <div class="charts">
        <LineChart title="Loss per step" xLabel="step" series={[{ label: 'loss', color: '#c0392b' }]} data={() => view().steps} version={version} testId="chart-step-loss" />
        <LineChart title="Accuracy per step (running mean of the epoch)" xLabel="step" series={[{ label: 'accuracy', color: '#2471a3' }]} data={() => [view().steps[0], view().steps[2]!]} version={version} yRange={[0, 1]} testId="chart-step-accuracy" />
        <LineChart
          title="Loss per epoch"
          xLabel="epoch"
          series={[
            { label: 'train', color: '#c0392b', points: true },
            { label: 'validation', color: '#7d3c98', points: true },
          ]}
          data={() => [view().epochs[0], view().epochs[1]!, view().epochs[2]!]}
          version={version}
          integerX
          testId="chart-epoch-loss"
        />
        <LineChart
          title="Accuracy per epoch"
          xLabel="epoch"
          series={[
            { label: 'train', color: '#2471a3', points: true },
            { label: 'validation', color: '#1e8449', points: true },
          ]}
          data={() => [view().epochs[0], view().epochs[3]!, view().epochs[4]!]}
          version={version}
          integerX
          yRange={[0, 1]}
          testId="chart-epoch-accuracy"
        />
      </div>
      <table class="epoch-log" data-testid="epoch-log">
        <thead>
          <tr><th>epoch</th><th class="num">loss</th><th class="num">accuracy</th><th class="num">val loss</th><th class="num">val accuracy</th><th class="num">time</th></tr>
        </thead>
        <tbody>
          <For each={view().epochRows.slice()}>
            {(r) => (
              <tr data-testid="epoch-row" data-val-accuracy={r.valAccuracy ?? ''} data-ms={r.ms}>
                <td>{r.epoch} / {r.epochs}</td>
                <td class="num">{num(r.loss)}</td>
                <td class="num">{pct(r.accuracy)}</td>
                <td class="num">{num(r.valLoss)}</td>
                <td class="num">{pct(r.valAccuracy)}</td>
                <td class="num">{(r.ms / 1000).toFixed(1)} s</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <Show when={last()}>{(l) => <p class="muted">Last validation accuracy {pct(l().valAccuracy)}.</p>}</Show>
    </section>
  );
}

/** What the run is doing now, in words: "Paused at step 40 (epoch 1)", "training: …". */
function progressText(status: Status, log: RunLog): string {
  const step = log.steps[0].at(-1);
  const at = step === undefined ? '' : ` at step ${step}`;
  switch (status) {
    case 'idle':
      return 'Ready.';
    case 'paused':
      return `Paused${at}. Resume or Stop.`;
    case 'stopping':
      return `Stopping after the current step${at}…`;
    case 'running':
    case 'done': {
      const phase = `${log.phase ?? 'starting'}${log.phaseDetail ? `: ${log.phaseDetail}` : ''}`;
      return log.phase === 'training' && step !== undefined ? `${phase} · step ${step}` : phase;
    }
    default: {
      const never: never = status;
      return never;
    }
  }
}

function RunStatusLine(props: { status: Status; log: RunLog }) {
  const s = () => props.log.summary;
  return (
    <Show when={s()} fallback={<>{progressText(props.status, props.log)}</>}>
      {(sum) => (
        <span
          data-testid="run-summary"
          data-run-status={sum().status}
          data-backend={sum().backend ?? ''}
          data-val-accuracy={sum().finalValAccuracy ?? ''}
          data-first-step-ms={sum().timeToFirstStepMs ?? ''}
          data-timings={JSON.stringify(sum().timings)}
        >
          Run {sum().status} after {sum().epochsCompleted} epoch{sum().epochsCompleted === 1 ? '' : 's'} on {sum().backend ?? 'no backend'} in {(sum().totalMs / 1000).toFixed(1)} s
          {sum().finalValAccuracy !== null ? ` · validation accuracy ${pct(sum().finalValAccuracy)}` : ''}
          {sum().testAccuracy !== null ? ` · test accuracy ${pct(sum().testAccuracy)}` : ''}
          {sum().timeToFirstStepMs !== null ? ` · first step after ${(sum().timeToFirstStepMs! / 1000).toFixed(1)} s` : ''}
          {sum().error ? ` · ${sum().error!.message}` : ''}
        </span>
      )}
    </Show>
  );
}
