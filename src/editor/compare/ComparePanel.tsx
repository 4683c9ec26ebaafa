// The Compare panel of the Runs view: for the runs ticked in the table (in tick order), their
// curves overlaid, what differs between two of them, and parallel coordinates whose brushes
// filter the curves and can narrow the ticked runs.
import { createMemo, createResource, createSignal, Match, Switch } from 'solid-js';
import { keptRuns, type Brush } from '../../engine/tracking/parallel-coords.js';
import type { RunId, RunRecord } from '../../storage/types.js';
import { pageStorage } from '../training/run-history.js';
import { CompareCurves } from './CompareCurves.js';
import { axesOf, axisRuns, ParallelCoords } from './ParallelCoords.js';
import { RunDiffView } from './RunDiffView.js';
import { runColor, runLabels } from './run-labels.js';
import './compare.css';

export interface ComparePanelProps {
  /** The runs ticked in the table, in the order they were ticked. */
  readonly runs: readonly RunRecord[];
  /** Replaces the table's ticked runs ("Tick only these" after brushing). */
  readonly onPick?: (ids: readonly RunId[]) => void;
}

// Kept across visits to the panel.
const [brushes, setBrushes] = createSignal<readonly Brush[]>([]);
const [finalMetric, setFinalMetric] = createSignal<string | null>(null);

/** The final metric for the last axis: the picked one when the runs have it, else valLoss, loss, or the first. */
function pickMetric(all: readonly string[], picked: string | null): string | null {
  if (picked && all.includes(picked)) return picked;
  return ['valLoss', 'loss'].find((m) => all.includes(m)) ?? all[0] ?? null;
}

/** Overlaid curves, the diff of two runs and parallel coordinates, for the picked runs. */
export function ComparePanel(props: ComparePanelProps) {
  const [db] = createResource(() => pageStorage());
  const labels = createMemo(() => runLabels(props.runs));
  const colors = createMemo(() => new Map(props.runs.map((r, i) => [r.id as string, runColor(i)])));
  const metrics = createMemo(() => [...new Set(props.runs.flatMap((r) => Object.keys(r.finalMetrics)))].sort());
  const metric = () => pickMetric(metrics(), finalMetric());
  const kept = createMemo(() => keptRuns(axisRuns(props.runs, metric()), axesOf(props.runs, metric()), brushes()));

  return (
    <div class="compare-panel" data-testid="compare-panel">
      <Switch>
        <Match when={props.runs.length < 2}>
          <p class="muted compare-empty" data-testid="compare-empty">
            {props.runs.length === 0 ? 'No runs ticked.' : 'One run ticked.'} Tick two or more runs with the boxes at the start of their rows in the table above (or tick all with the box in its header), then open Compare.
          </p>
        </Match>
        <Match when={db.error}>
          <p class="error">Runs cannot be read on this device: {(db.error as Error).message}</p>
        </Match>
        <Match when={db()}>
          {(store) => (
            <>
              <CompareCurves runs={props.runs} db={store()} labels={labels()} colors={colors()} kept={kept()} />
              <ParallelCoords
                runs={props.runs}
                labels={labels()}
                brushes={brushes()}
                onBrushes={setBrushes}
                kept={kept()}
                metric={metric()}
                metrics={metrics()}
                onMetric={setFinalMetric}
                onPick={props.onPick ? (ids) => { setBrushes([]); props.onPick!(ids as RunId[]); } : undefined}
              />
              <RunDiffView runs={props.runs} db={store()} labels={labels()} />
            </>
          )}
        </Match>
      </Switch>
    </div>
  );
}
