// The Training panel: train the open project in the worker on built-in MNIST, an imported
// file or folder, or a downloaded file, with Start/Pause/Resume/Stop, the backend and adapter
// in use, the project's training settings (a form) with a time and memory estimate, live charts,
// a log console and an epoch log; and the project's runs kept on the device, whose
// stored curves it shows and whose checkpoints it resumes from (the curves continue).
// Worker events are folded into the run log once per animation frame (frameBatcher), so
// the main thread does a bounded amount of work however fast the worker reports.
import { createEffect, createMemo, createSignal, For, on, onCleanup, onMount, Show } from 'solid-js';
import { analyzeGraph, type Analysis } from '../../engine/graph/analyze.js';
import { BACKENDS, type BackendPreference, type BackendReport } from '../../engine/runtime/backend-types.js';
import type { Project, TrainingConfig } from '../../engine/project/types.js';
import type { CheckpointRecord, ProjectId, RunId, VersionId } from '../../storage/types.js';
import type { DatasetRequest, TrainerEvent } from '../../workers/trainer-api.js';
import { BackendCard } from './BackendCard.js';
import { DatasetPicker } from './DatasetPicker.js';
import { choiceReady, datasetRequest, type DatasetChoice } from './dataset-choice.js';
import { DatasetSummary } from './DatasetSummary.js';
import { paceFrom, type Pace } from './estimate.js';
import { EstimateLine, MNIST_TRAIN_SAMPLES } from './EstimateLine.js';
import { LogConsole } from './LogConsole.js';
import { RunCharts } from './RunCharts.js';
import { loadRunLog, loadRunRows, logBefore, pageStorage, resumePointOf, type RunRow } from './run-history.js';
import { applyEvent, applySummary, emptyRunLog, frameBatcher, type RunLog } from './run-log.js';
import { RunsList } from './RunsList.js';
import { RunStatusLine, type PanelStatus } from './RunStatus.js';
import { TrainerClient } from './trainer-client.js';
import { TrainingConfigForm } from './TrainingConfigForm.js';

/**
 * `?prewarm=1` compiles WebGPU shaders before the first step. Off by default: on SwiftShader
 * with 2 cores it mostly moved compile time before the first step (MLP, first epoch plus
 * pre-warm 13.2–14.2 s, without 14.0–14.9 s, 4 runs each); kept as a knob for real GPUs.
 */
const prewarmParam = () => new URLSearchParams(globalThis.location?.search ?? '').get('prewarm') === '1';

/**
 * `?nf-test-hang-checkpoint=N`, for the crash-safety browser test only: the run's Nth checkpoint
 * writes its files and never its manifest, so the test can kill the tab inside that window.
 */
const hangCheckpointParam = () => intOrNull(new URLSearchParams(globalThis.location?.search ?? '').get('nf-test-hang-checkpoint') ?? '');

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

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
  stored: 'Pick a dataset kept on this device (every imported file, folder or download is kept there by its first run).',
};

export interface TrainingPanelProps {
  readonly project: () => Project;
  /** The stored project whose runs are kept and listed; absent or null: runs are not kept. */
  readonly projectId?: () => ProjectId | null;
  /** The run the project shows (restored on reload); its stored curves are drawn when no run is live. */
  readonly selectedRunId?: () => RunId | null;
  readonly onSelectRun?: (id: RunId | null) => void;
  /** A new (not resumed) run was stored on this architecture version: the project's head moves to it. */
  readonly onRunVersion?: (id: VersionId) => void;
  /** Writes the project's training settings (autosaved); false when refused. Absent: the form is read-only. */
  readonly onTraining?: (training: TrainingConfig) => boolean;
  /** The open project's analysis (the editor's); absent: the panel analyzes the graph itself. */
  readonly analysis?: () => Analysis;
}

export function TrainingPanel(props: TrainingPanelProps) {
  const client = new TrainerClient();
  const [pref, setPref] = createSignal<BackendPreference>('auto');
  const [initReport, setInitReport] = createSignal<BackendReport | null>(null);
  const [initError, setInitError] = createSignal<string | null>(null);
  const [status, setStatus] = createSignal<PanelStatus>('idle');
  const [epochs, setEpochs] = createSignal('');
  const [batch, setBatch] = createSignal('');
  const [samples, setSamples] = createSignal('');
  const [checkpointSteps, setCheckpointSteps] = createSignal('');
  const [log, setLog] = createSignal<RunLog>(emptyRunLog());
  const [version, setVersion] = createSignal(0);
  const [choice, setChoice] = createSignal<DatasetChoice>({ kind: 'mnist' });
  const [readError, setReadError] = createSignal<string | null>(null);
  const [rows, setRows] = createSignal<readonly RunRow[]>([]);
  const [runsError, setRunsError] = createSignal<string | null>(null);
  const [shown, setShown] = createSignal<RunId | null>(null);
  const bump = () => setVersion((v) => v + 1);
  const [pace, setPace] = createSignal<Pace | null>(null);
  const ownAnalysis = createMemo(() => (props.analysis ? null : analyzeGraph(props.project().graph)));
  const analysis = () => props.analysis?.() ?? ownAnalysis()!;
  /** Samples before the validation split, when known before loading: MNIST's, or the last run's data. */
  const datasetSamples = () => (choice().kind === 'mnist' ? MNIST_TRAIN_SAMPLES : null);

  const projectId = () => props.projectId?.() ?? null;
  const mnistProject = () => props.project().dataset.source === 'builtin' && (props.project().dataset as { name: string }).name === 'mnist';
  // Imported or downloaded data goes with any template: a mismatch fails the run with the trainer's message.
  const trainable = () => {
    const c = choice();
    return c.kind === 'mnist' ? mnistProject() : choiceReady(c);
  };
  const busy = () => status() === 'running' || status() === 'paused' || status() === 'stopping';

  async function init(p: BackendPreference) {
    setInitError(null);
    const r = await client.init(p);
    if (!r) return; // superseded by a newer pick
    if (r.ok) setInitReport(r.report);
    else setInitError(r.error.message);
  }

  onMount(() => void init(pref()));
  onCleanup(() => client.terminate());

  /** Re-reads the project's runs (runs a dead tab left 'running' become 'interrupted'). */
  async function refreshRows() {
    const id = projectId();
    if (!id) return void setRows([]);
    try {
      const r = await loadRunRows(await pageStorage(), id);
      if (projectId() === id) setRows(r);
      setRunsError(null);
    } catch (e) {
      setRunsError(message(e));
    }
  }

  /** Draws a stored run's curves (not while a run is live: its own curves stay). */
  async function showStored(id: RunId | null) {
    if (busy() || id === shown()) return;
    setShown(id);
    if (!id) {
      setLog(emptyRunLog());
      setStatus('idle');
      return bump();
    }
    try {
      const stored = await loadRunLog(await pageStorage(), id);
      if (shown() !== id || busy()) return;
      setLog(stored);
      setStatus('stored');
      bump();
    } catch (e) {
      setRunsError(message(e));
    }
  }

  function select(id: RunId) {
    props.onSelectRun?.(id);
    void showStored(id);
  }

  createEffect(on(projectId, () => void refreshRows()));
  createEffect(on(() => props.selectedRunId?.() ?? null, (id) => void showStored(id)));

  /** Starts a new run, or one continuing `from` (its curves start with the stored points before it). */
  async function start(from?: CheckpointRecord) {
    setReadError(null);
    setStatus('running'); // before reading the file, so a second click cannot start a second run
    let dataset: DatasetRequest | null;
    try {
      dataset = await datasetRequest(choice());
    } catch (err) {
      // The file changed or vanished on disk since it was picked (NotReadableError).
      setReadError(`could not read the file: ${message(err)}`);
      dataset = null;
    }
    if (!dataset) {
      setStatus('idle');
      return;
    }
    const e = intOrNull(epochs());
    const b = intOrNull(batch());
    const n = intOrNull(samples());
    const every = intOrNull(checkpointSteps());
    const hang = hangCheckpointParam();
    let current = emptyRunLog();
    if (from) {
      current = await logBefore(await pageStorage(), from).catch(() => emptyRunLog());
      current.resumedFrom = resumePointOf(from);
      // The earlier rows read "epoch k / the new length" like the rows to come.
      if (e) current.epochRows.forEach((r, i) => (current.epochRows[i] = { ...r, epochs: e }));
    }
    setLog(current);
    bump();
    const push = frameBatcher<TrainerEvent>((events) => {
      let stored = false;
      for (const e of events) {
        applyEvent(current, e);
        stored ||= e.type === 'stored' || e.type === 'checkpoint';
        if (e.type === 'stored' && !from) props.onRunVersion?.(e.record.versionId);
      }
      bump();
      if (stored) void refreshRows();
    });
    const running = client.start(
      {
        project: props.project(),
        projectId: projectId(),
        ...(from ? { resumeFrom: from.id } : {}),
        dataset,
        backend: pref(),
        prewarm: prewarmParam(),
        overrides: { ...(e ? { epochs: e } : {}), ...(b ? { batchSize: b } : {}), ...(n ? { maxTrainSamples: n } : {}) },
        checkpoints: every ? { everySteps: every } : {},
        ...(hang ? { testHangCheckpoint: hang } : {}),
      },
      push,
    );
    const id = client.runId;
    setShown(id);
    if (id && projectId()) props.onSelectRun?.(id);
    const flops = analysis().totals.flops; // the graph this run trains
    const summary = await running;
    if (!summary) return; // a newer run took over
    applySummary(current, summary);
    // This backend's measured pace times the next estimate (it carries over to an edited graph as FLOP/s).
    if (!from && summary.backend) setPace(paceFrom(current.stepStats[3]!, flops, `${summary.backend}, last run`) ?? pace());
    setStatus('done');
    bump();
    void refreshRows();
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

  const view = () => {
    version(); // re-read the mutable log when it changed
    return log();
  };
  const report = () => view().report ?? initReport();

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
              setPace(null); // measured on the other backend
              void init(p);
            }}
          >
            <option value="auto">auto</option>
            <For each={BACKENDS}>{(b) => <option value={b}>{b}</option>}</For>
          </select>
        </label>
        <span class="muted" title="These override the training settings below for the next run only">This run only:</span>
        <label>
          Epochs <input type="number" min="1" size="4" placeholder={String(props.project().training.epochs ?? '')} value={epochs()} disabled={busy()} onInput={(e) => setEpochs(e.currentTarget.value)} data-testid="epochs" />
        </label>
        <label>
          Batch <input type="number" min="1" size="4" placeholder={String(props.project().training.batchSize ?? '')} value={batch()} disabled={busy()} onInput={(e) => setBatch(e.currentTarget.value)} data-testid="batch-size" />
        </label>
        <label>
          Train samples <input type="number" min="1" size="6" placeholder="all" value={samples()} disabled={busy()} onInput={(e) => setSamples(e.currentTarget.value)} data-testid="train-samples" />
        </label>
        <Show when={projectId()}>
          <label title="Checkpoints are also saved after every epoch">
            Checkpoint every <input type="number" min="1" size="4" placeholder="epoch" value={checkpointSteps()} disabled={busy()} onInput={(e) => setCheckpointSteps(e.currentTarget.value)} data-testid="checkpoint-steps" /> steps
          </label>
        </Show>
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
      <TrainingConfigForm training={() => props.project().training} onChange={(t) => props.onTraining?.(t) ?? false} disabled={busy() || !props.onTraining} />
      <EstimateLine
        analysis={analysis}
        training={() => props.project().training}
        epochs={() => intOrNull(epochs())}
        batchSize={() => intOrNull(batch())}
        maxTrainSamples={() => intOrNull(samples())}
        datasetSamples={datasetSamples}
        pace={pace}
      />
      <BackendCard report={report()} pending={!initReport() && !initError()} error={initError()} prewarmMs={view().prewarmMs} />
      <Show when={readError()}>{(m) => <p class="error" data-testid="read-error">{m()}</p>}</Show>
      <DatasetSummary log={view()} />
      <p class="run-status" data-testid="run-status" data-status={status()} data-phase={view().phase ?? ''} data-last-step={view().steps[0].at(-1) ?? 0} data-first-step={view().steps[0][0] ?? 0} data-points={view().steps[0].length} data-run-id={shown() ?? ''}>
        <RunStatusLine status={status()} log={view()} />
      </p>
      <LogConsole lines={view().console} version={version} />
      <Show when={projectId()}>
        <RunsList rows={rows()} selected={shown()} busy={busy()} error={runsError()} onSelect={select} onResume={(c) => void start(c)} />
      </Show>
      <RunCharts view={view} version={version} />
    </section>
  );
}
