// The training session behind the editor's Training dock and the Runs view: the trainer worker,
// the run being shown (live or stored), the "this run only" inputs, the project's runs list and
// the Start/Pause/Resume/Stop actions. It lives as long as the page, so the panels that draw it
// can mount and unmount with their views without stopping a run or losing what it showed.
// Worker events are folded into the run log once per animation frame (frameBatcher), so the
// main thread does a bounded amount of work however fast the worker reports.
import { createEffect, createMemo, createSignal, on, onCleanup, type Accessor, type Setter } from 'solid-js';
import { analyzeGraph, type Analysis } from '../../engine/graph/analyze.js';
import type { BackendPreference, BackendReport } from '../../engine/runtime/backend-types.js';
import type { Project, TrainingConfig } from '../../engine/project/types.js';
import type { CheckpointRecord, ProjectId, RunId, VersionId } from '../../storage/types.js';
import { reproduceRequest, type ReproduceResult } from '../../workers/reproduce.js';
import { reproducesTag } from '../../workers/run-tags.js';
import { runId as toRunId, type DatasetRequest, type StartRequest, type TrainerEvent } from '../../workers/trainer-api.js';
import { choiceReady, datasetRequest, type DatasetChoice } from './dataset-choice.js';
import { paceFrom, type Pace } from './estimate.js';
import { MNIST_TRAIN_SAMPLES } from './EstimateLine.js';
import { loadRunLog, loadRunRows, logBefore, pageStorage, resumePointOf, type RunRow } from './run-history.js';
import { applyEvent, applySummary, emptyRunLog, frameBatcher, type RunLog } from './run-log.js';
import type { PanelStatus } from './RunStatus.js';
import { TrainerClient } from './trainer-client.js';

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
export const intOrNull = (s: string): number | null => {
  const n = Number.parseInt(s, 10);
  return Number.isFinite(n) && n > 0 ? n : null;
};

export interface TrainingSessionOptions {
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
  /** The open project's analysis (the editor's); absent: the session analyzes the graph itself. */
  readonly analysis?: () => Analysis;
  /** A run of this session ended (completed, stopped or failed) and its record is stored. */
  readonly onRunEnded?: (id: RunId) => void;
}

/** What "Reproduce" did: started the run, or why it could not (shown to the person). */
export type ReproduceOutcome = { readonly ok: true } | { readonly ok: false; readonly message: string };

/** A text input's value and its setter. */
type Field = readonly [Accessor<string>, Setter<string>];

export interface TrainingSession {
  readonly options: TrainingSessionOptions;
  readonly pref: Accessor<BackendPreference>;
  /** Picks the backend for the next run and starts it in the worker (its report replaces the last). */
  choosePref(p: BackendPreference): void;
  readonly initReport: Accessor<BackendReport | null>;
  readonly initError: Accessor<string | null>;
  readonly status: Accessor<PanelStatus>;
  /** "This run only" overrides, as typed. */
  readonly epochs: Field;
  readonly batch: Field;
  readonly samples: Field;
  readonly checkpointSteps: Field;
  readonly choice: readonly [Accessor<DatasetChoice>, Setter<DatasetChoice>];
  readonly readError: Accessor<string | null>;
  readonly rows: Accessor<readonly RunRow[]>;
  readonly runsError: Accessor<string | null>;
  /** The run on show (live or stored), or null. */
  readonly shown: Accessor<RunId | null>;
  /** The shown run's log; re-read when `version` changes (the log is mutated in place). */
  readonly view: () => RunLog;
  readonly version: Accessor<number>;
  /** The loss and gradient-norm charts' EMA factor, shared by every view that draws the run. */
  readonly smoothing: readonly [Accessor<number>, Setter<number>];
  readonly pace: Accessor<Pace | null>;
  readonly analysis: () => Analysis;
  readonly projectId: () => ProjectId | null;
  /** Samples before the validation split, when known before loading: MNIST's. */
  readonly datasetSamples: () => number | null;
  readonly trainable: () => boolean;
  readonly busy: () => boolean;
  /** The backend report to show: the shown run's, else the worker's last init. */
  readonly report: () => BackendReport | null;
  /** Starts a new run, or one continuing `from` (its curves start with the stored points before it). */
  start(from?: CheckpointRecord): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
  /** Shows a stored run (and makes it the project's selected run). */
  select(id: RunId): void;
  /** Re-reads the project's runs from storage (after a run's tags or notes were edited). */
  refreshRows(): Promise<void>;
  /** Trains a stored run again exactly as it was (src/workers/reproduce.ts), tagged `reproduces:<runId>`. */
  reproduce(runId: RunId): Promise<ReproduceOutcome>;
}

/** Creates the session under the current reactive owner; the worker ends with that owner. */
export function createTrainingSession(opts: TrainingSessionOptions): TrainingSession {
  const client = new TrainerClient();
  const [pref, setPref] = createSignal<BackendPreference>('auto');
  const [initReport, setInitReport] = createSignal<BackendReport | null>(null);
  const [initError, setInitError] = createSignal<string | null>(null);
  const [status, setStatus] = createSignal<PanelStatus>('idle');
  const epochs = createSignal('');
  const batch = createSignal('');
  const samples = createSignal('');
  const checkpointSteps = createSignal('');
  const [log, setLog] = createSignal<RunLog>(emptyRunLog());
  const [version, setVersion] = createSignal(0);
  const choice = createSignal<DatasetChoice>({ kind: 'mnist' });
  const [readError, setReadError] = createSignal<string | null>(null);
  const [rows, setRows] = createSignal<readonly RunRow[]>([]);
  const [runsError, setRunsError] = createSignal<string | null>(null);
  const [shown, setShown] = createSignal<RunId | null>(null);
  const smoothing = createSignal(0.6);
  const bump = () => setVersion((v) => v + 1);
  const [pace, setPace] = createSignal<Pace | null>(null);
  const ownAnalysis = createMemo(() => (opts.analysis ? null : analyzeGraph(opts.project().graph)));
  const analysis = () => opts.analysis?.() ?? ownAnalysis()!;
  const datasetSamples = () => (choice[0]().kind === 'mnist' ? MNIST_TRAIN_SAMPLES : null);

  const projectId = () => opts.projectId?.() ?? null;
  const mnistProject = () => opts.project().dataset.source === 'builtin' && (opts.project().dataset as { name: string }).name === 'mnist';
  // Imported or downloaded data goes with any template: a mismatch fails the run with the trainer's message.
  const trainable = () => {
    const c = choice[0]();
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
  // The first backend report waits until the page is idle: starting the worker loads and compiles
  // TF.js, which on 2 cores delayed the first paint of whichever view the page opened on.
  const idle = globalThis.requestIdleCallback ?? ((f: () => void) => setTimeout(f, 1));
  let initialised = false;
  idle(() => void (initialised || init(pref())), { timeout: 2_000 });
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

  createEffect(on(projectId, () => void refreshRows()));
  createEffect(on(() => opts.selectedRunId?.() ?? null, (id) => void showStored(id)));

  async function start(from?: CheckpointRecord) {
    setReadError(null);
    setStatus('running'); // before reading the file, so a second click cannot start a second run
    let dataset: DatasetRequest | null;
    try {
      dataset = await datasetRequest(choice[0]());
    } catch (err) {
      // The file changed or vanished on disk since it was picked (NotReadableError).
      setReadError(`could not read the file: ${message(err)}`);
      dataset = null;
    }
    if (!dataset) {
      setStatus('idle');
      return;
    }
    const e = intOrNull(epochs[0]());
    const b = intOrNull(batch[0]());
    const n = intOrNull(samples[0]());
    const every = intOrNull(checkpointSteps[0]());
    const hang = hangCheckpointParam();
    const request = {
      project: opts.project(),
      projectId: projectId(),
      ...(from ? { resumeFrom: from.id } : {}),
      dataset,
      backend: pref(),
      prewarm: prewarmParam(),
      overrides: { ...(e ? { epochs: e } : {}), ...(b ? { batchSize: b } : {}), ...(n ? { maxTrainSamples: n } : {}) },
      checkpoints: every ? { everySteps: every } : {},
      ...(hang ? { testHangCheckpoint: hang } : {}),
    };
    await launch(request, { from, epochs: e, ownGraph: true });
  }

  /**
   * Trains `request` as the run on show: its events fold into the log, its row appears once
   * stored. `from`: the checkpoint it continues (its earlier curve is drawn first); `epochs`:
   * the new length of such a run; `ownGraph`: it trains the open graph (moves the project's
   * head, measures the pace), false for a reproduced run, which trains an older version.
   */
  async function launch(request: Omit<StartRequest, 'runId'>, o: { from?: CheckpointRecord | undefined; epochs: number | null; ownGraph: boolean }) {
    initialised = true; // a run reports its own backend; a late first init would only be refused
    const { from, epochs: e } = o;
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
      for (const ev of events) {
        applyEvent(current, ev);
        stored ||= ev.type === 'stored' || ev.type === 'checkpoint';
        if (ev.type === 'stored' && !from && o.ownGraph) opts.onRunVersion?.(ev.record.versionId);
      }
      bump();
      if (stored) void refreshRows();
    });
    const running = client.start(request, push);
    const id = client.runId;
    setShown(id);
    if (id && projectId()) opts.onSelectRun?.(id);
    const flops = analysis().totals.flops; // the graph this run trains
    const summary = await running;
    if (!summary) return; // a newer run took over
    applySummary(current, summary);
    // This backend's measured pace times the next estimate (it carries over to an edited graph as FLOP/s).
    if (!from && o.ownGraph && summary.backend) setPace(paceFrom(current.stepStats[3]!, flops, `${summary.backend}, last run`) ?? pace());
    setStatus('done');
    bump();
    void refreshRows();
    if (request.projectId) opts.onRunEnded?.(summary.runId);
  }

  async function reproduce(id: RunId): Promise<ReproduceOutcome> {
    if (busy()) return { ok: false, message: 'a run is training: reproduce this one when it has ended' };
    const before = status();
    setStatus('running'); // before reading storage, so a second click cannot start a second run
    let r: ReproduceResult;
    let from: CheckpointRecord | null = null;
    try {
      const db = await pageStorage();
      // The TrainerClient names the new run when it starts it; this id is replaced there.
      r = await reproduceRequest(db, id, toRunId('pending'));
      if (r.ok && r.request.resumeFrom) from = await db.getCheckpoint(r.request.resumeFrom);
    } catch (err) {
      setStatus(before);
      return { ok: false, message: `could not read run ${id} from this device's storage: ${message(err)}` };
    }
    if (!r.ok) {
      setStatus(before);
      return { ok: false, message: r.error.message };
    }
    const { runId: _pending, ...request } = r.request;
    void launch({ ...request, prewarm: prewarmParam(), tags: [reproducesTag(id)] }, { from: from ?? undefined, epochs: request.overrides?.epochs ?? null, ownGraph: false });
    return { ok: true };
  }

  const view = () => {
    version(); // re-read the mutable log when it changed
    return log();
  };

  return {
    options: opts,
    pref,
    choosePref(p) {
      initialised = true;
      setPref(p);
      setPace(null); // measured on the other backend
      void init(p);
    },
    initReport,
    initError,
    status,
    epochs,
    batch,
    samples,
    checkpointSteps,
    choice,
    readError,
    rows,
    runsError,
    shown,
    view,
    version,
    smoothing,
    pace,
    analysis,
    projectId,
    datasetSamples,
    trainable,
    busy,
    report: () => view().report ?? initReport(),
    start,
    async pause() {
      if (await client.pause()) setStatus('paused');
    },
    async resume() {
      if (await client.resume()) setStatus('running');
    },
    async stop() {
      setStatus('stopping');
      if (!(await client.stop())) setStatus('done');
    },
    select(id) {
      opts.onSelectRun?.(id);
      void showStored(id);
    },
    refreshRows,
    reproduce,
  };
}
