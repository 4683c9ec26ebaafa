// Stored curves of runs for the Compare chart, read without blocking the page: a run's series in
// pages (one IndexedDB read, and so one task, each), the runs it continues first,
// each metric cut to a fixed number of points that keep the extremes, and cached per run.
import { downsampleMinMax } from '../../engine/tracking/downsample.js';
import type { MetricPoint, RunId, RunRecord, StorageDb } from '../../storage/types.js';
import { continuedPointOf } from '../../workers/run-tags.js';

/** Points drawn per run and metric at most: 200 runs stay a few hundred thousand points. */
export const POINTS_PER_RUN = 1000;
/** Points per IndexedDB read: decoding and validating one page stays well under 50 ms. */
const PAGE = 2000;

/** One metric of one run, downsampled: x as step (or epoch), as seconds since the start, and y. */
export interface SeriesData {
  readonly index: Float64Array;
  readonly seconds: Float64Array;
  readonly y: Float64Array;
  /** Points stored before downsampling. */
  readonly stored: number;
}

export interface RunCurves {
  readonly step: ReadonlyMap<string, SeriesData>;
  readonly epoch: ReadonlyMap<string, SeriesData>;
  /** The runs whose points come first (a resumed run continues them), oldest first; their records may be gone. */
  readonly continues: readonly RunId[];
  /** A run it continues is no longer stored: its part of the curve is missing. */
  readonly missingParent: RunId | null;
}

/** Gives the page a turn (input, paint) before the next slice of work. */
export const yieldToPage = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

interface Columns {
  index: number[];
  time: number[];
  values: Map<string, number[]>;
}

/** Appends one page of points as columns; a metric a point lacks is NaN there. */
function addPoints(cols: Columns, points: readonly MetricPoint[]): void {
  for (const p of points) {
    const at = cols.index.length;
    cols.index.push(p.index);
    cols.time.push(p.time);
    for (const [k, v] of Object.entries(p.values)) {
      let col = cols.values.get(k);
      if (!col) cols.values.set(k, (col = new Array<number>(at).fill(Number.NaN)));
      col.push(v);
    }
    for (const col of cols.values.values()) if (col.length === at) col.push(Number.NaN);
  }
}

/** One series of one run, up to `upTo` (inclusive) when another run continues from there. */
async function readSeries(db: StorageDb, runId: RunId, scope: MetricPoint['scope'], upTo: number, cols: Columns): Promise<void> {
  for (let from = 0; ; ) {
    const page = await db.readMetricsPage(runId, scope, from, PAGE);
    addPoints(cols, page.filter((p) => p.index <= upTo));
    if (page.length < PAGE || page.at(-1)!.index >= upTo) return;
    from = page.at(-1)!.index + 1;
    // No explicit yield: each page arrives in an IndexedDB event task of its own, so the page
    // gets its turn between pages anyway.
  }
}

/** Index of the first element ≥ v in an ascending array. */
function lowerBound(a: readonly number[], v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Each metric downsampled on the index axis; the kept points' times follow (same points). */
function toSeries(cols: Columns): Map<string, SeriesData> {
  const t0 = cols.time.length > 0 ? Math.min(...cols.time.slice(0, 64)) : 0;
  const out = new Map<string, SeriesData>();
  for (const [k, y] of cols.values) {
    const d = downsampleMinMax({ x: cols.index, y }, POINTS_PER_RUN);
    if (d.x.length === 0) continue;
    const seconds = d.x.map((x) => (cols.time[lowerBound(cols.index, x)]! - t0) / 1000);
    out.set(k, { index: Float64Array.from(d.x), seconds: Float64Array.from(seconds), y: Float64Array.from(d.y), stored: y.filter(Number.isFinite).length });
  }
  return out;
}

/** The runs `run` continues, oldest first, each with the last step and epoch of its that count. */
async function lineageOf(db: StorageDb, run: RunRecord): Promise<{ chain: { id: RunId; step: number; epoch: number }[]; missing: RunId | null }> {
  const chain: { id: RunId; step: number; epoch: number }[] = [{ id: run.id, step: Infinity, epoch: Infinity }];
  const seen = new Set<string>([run.id]);
  let from = continuedPointOf(run);
  while (from && !seen.has(from.runId)) {
    seen.add(from.runId);
    const parent = await db.getRun(from.runId);
    if (!parent) return { chain, missing: from.runId };
    chain.unshift({ id: parent.id, step: from.globalStep, epoch: from.epoch });
    from = continuedPointOf(parent);
  }
  return { chain, missing: null };
}

async function readRunCurves(db: StorageDb, run: RunRecord): Promise<RunCurves> {
  const { chain, missing } = await lineageOf(db, run);
  const step: Columns = { index: [], time: [], values: new Map() };
  const epoch: Columns = { index: [], time: [], values: new Map() };
  for (const part of chain) {
    await readSeries(db, part.id, 'step', part.step, step);
    await readSeries(db, part.id, 'epoch', part.epoch, epoch);
  }
  // Downsampling is a task of its own (a few ms per run), after the last read's.
  await yieldToPage();
  return { step: toSeries(step), epoch: toSeries(epoch), continues: chain.slice(0, -1).map((c) => c.id), missingParent: missing };
}

// Keyed by run id and how far it got: a run still training is read again once it has more epochs.
const cache = new Map<string, Promise<RunCurves>>();
const keyOf = (run: RunRecord) => `${run.id}|${run.status}|${run.epochs}|${run.endedAt ?? ''}`;

/** A run's curves, from the cache when this state of the run was read before. A failed read is not kept. */
export function runCurves(db: StorageDb, run: RunRecord): Promise<RunCurves> {
  const key = keyOf(run);
  let p = cache.get(key);
  if (!p) {
    p = readRunCurves(db, run);
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

/** Forgets every cached curve (tests, or after runs were deleted). */
export function clearCurveCache(): void {
  cache.clear();
}
