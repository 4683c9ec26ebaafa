// What the Training panel shows of a run, folded from worker events: metric columns laid
// out the way uPlot wants them (x array + one array per series), the epoch log, the
// backend report, warnings and the log console's lines. Plain data, no DOM: the panel applies
// events once per frame.
import type { BackendReport } from '../../engine/runtime/backend-types.js';
import type { CheckpointRecord, RunRecord } from '../../storage/types.js';
import type { DatasetInfo, EpochPoint, ResumePoint, RunPhase, RunSummary, TrainerEvent } from '../../workers/trainer-api.js';

/** uPlot's data layout: [x, ...series]; null leaves a gap. */
export type Columns = [number[], ...(number | null)[][]];

export interface RunLog {
  phase: RunPhase | null;
  phaseDetail: string;
  report: BackendReport | null;
  prewarmMs: number | null;
  dataset: DatasetInfo | null;
  /** A remote dataset's download: bytes so far and the total when the server said it. */
  download: { loaded: number; total: number | null; cached: boolean } | null;
  /** [step, loss, accuracy] */
  readonly steps: Columns;
  /** [step, learningRate, gradNorm, samplesPerSec]: the optimizer's side of each step. */
  readonly stepStats: Columns;
  /** [epoch, loss, valLoss, accuracy, valAccuracy] */
  readonly epochs: Columns;
  readonly epochRows: EpochPoint[];
  readonly warnings: string[];
  /** The log console's lines, oldest first, at most MAX_CONSOLE_LINES. */
  readonly console: ConsoleLine[];
  summary: RunSummary | null;
  /** The run's stored record, as last written (null when the run is not kept). */
  record: RunRecord | null;
  /** Checkpoints whose manifests were written during this run. */
  readonly checkpoints: CheckpointRecord[];
  /** The stored checkpoint this run continues; the columns then start with that run's points. */
  resumedFrom: ResumePoint | null;
}

export type ConsoleLevel = 'info' | 'warning' | 'error';

export interface ConsoleLine {
  readonly level: ConsoleLevel;
  readonly text: string;
}

/** Older lines are dropped past this, so a long run's console stays cheap to render. */
export const MAX_CONSOLE_LINES = 200;

/** Appends a console line, dropping the oldest past the cap. */
export function logLine(log: RunLog, level: ConsoleLevel, text: string): void {
  log.console.push({ level, text });
  if (log.console.length > MAX_CONSOLE_LINES) log.console.splice(0, log.console.length - MAX_CONSOLE_LINES);
}

/** The backend line: "backend wasm on CPU (no GPU adapter)", with the adapter when there is one. */
export function backendLine(r: BackendReport): string {
  const a = r.adapter;
  const on = a ? [a.vendor, a.architecture, a.description].filter(Boolean).join(' · ') : 'CPU (no GPU adapter)';
  return `backend ${r.backend} on ${on}${r.softwareAdapter ? ' (software adapter: slow)' : ''}`;
}

/** A run's end in the console: an error line when it failed. */
export function applySummary(log: RunLog, s: RunSummary): void {
  log.summary = s;
  if (s.error) logLine(log, 'error', `run failed: ${s.error.message}`);
  else logLine(log, 'info', `run ${s.status} after ${s.epochsCompleted} epoch${s.epochsCompleted === 1 ? '' : 's'} (${(s.totalMs / 1000).toFixed(1)} s)`);
}

/** A finite number or a gap (a NaN gradient norm is a gap, not a point at 0). */
const finite = (v: number | undefined): number | null => (v !== undefined && Number.isFinite(v) ? v : null);

/** Appends one step to the step columns: live events and stored points alike. A stat the point lacks is a gap, so columns stay aligned. */
export function pushStep(
  log: RunLog,
  step: number,
  loss: number | null,
  accuracy: number | null,
  stats: { readonly learningRate?: number | undefined; readonly gradNorm?: number | undefined; readonly samplesPerSec?: number | undefined },
): void {
  const [x, lossCol, accCol] = log.steps;
  const [sx, lr, norm, speed] = log.stepStats;
  x.push(step);
  lossCol!.push(loss);
  accCol!.push(accuracy);
  sx.push(step);
  lr!.push(finite(stats.learningRate));
  norm!.push(finite(stats.gradNorm));
  speed!.push(finite(stats.samplesPerSec));
}

/** Appends one epoch to the epoch columns and the epoch table. */
export function pushEpoch(log: RunLog, p: EpochPoint): void {
  const [x, loss, valLoss, acc, valAcc] = log.epochs;
  x.push(p.epoch);
  loss!.push(p.loss);
  valLoss!.push(p.valLoss);
  acc!.push(p.accuracy);
  valAcc!.push(p.valAccuracy);
  log.epochRows.push(p);
}

export function emptyRunLog(): RunLog {
  return {
    phase: null,
    phaseDetail: '',
    report: null,
    prewarmMs: null,
    dataset: null,
    download: null,
    steps: [[], [], []],
    stepStats: [[], [], [], []],
    epochs: [[], [], [], [], []],
    epochRows: [],
    warnings: [],
    console: [],
    summary: null,
    record: null,
    checkpoints: [],
    resumedFrom: null,
  };
}

/** A software adapter is worth a warning line; any other backend is news. */
const backendLevel = (r: BackendReport): ConsoleLevel => (r.softwareAdapter ? 'warning' : 'info');

/** Folds one event into the log (mutating it: the columns grow by thousands of points). */
export function applyEvent(log: RunLog, e: TrainerEvent): void {
  switch (e.type) {
    case 'phase':
      log.phase = e.phase;
      log.phaseDetail = e.detail;
      logLine(log, 'info', `${e.phase}${e.detail ? `: ${e.detail}` : ''}`);
      return;
    case 'backend':
      log.report = e.report;
      log.prewarmMs = e.prewarmMs;
      logLine(log, backendLevel(e.report), backendLine(e.report));
      return;
    case 'dataset':
      log.dataset = e.info;
      return;
    case 'download': {
      const d = e.event;
      if (d.kind === 'start') log.download = { loaded: 0, total: d.total, cached: false };
      else if (d.kind === 'progress') log.download = { loaded: d.loaded, total: d.total, cached: false };
      else if (d.kind === 'cached') log.download = { loaded: d.bytes, total: d.bytes, cached: true };
      return; // 'verified' changes nothing on screen
    }
    case 'steps':
      for (const p of e.points) pushStep(log, p.step, p.loss, p.accuracy, p);
      return;
    case 'epoch':
      pushEpoch(log, e.epoch);
      return;
    case 'warning':
      log.warnings.push(e.message);
      logLine(log, 'warning', e.message);
      return;
    case 'stored':
      log.record = e.record;
      return;
    case 'checkpoint':
      log.checkpoints.push(e.checkpoint);
      return;
    case 'resumed':
      log.resumedFrom = e.from;
      return;
    default: {
      const never: never = e;
      throw new Error(`unknown trainer event ${JSON.stringify(never)}`);
    }
  }
}

/**
 * Collects items and hands them over once per animation frame, so a burst of worker
 * messages costs one render. `schedule` is requestAnimationFrame in the page.
 */
export function frameBatcher<T>(flush: (items: T[]) => void, schedule: (cb: () => void) => unknown = requestAnimationFrame): (item: T) => void {
  let pending: T[] = [];
  let scheduled = false;
  return (item) => {
    pending.push(item);
    if (scheduled) return;
    scheduled = true;
    schedule(() => {
      scheduled = false;
      const items = pending;
      pending = [];
      flush(items);
    });
  };
}
