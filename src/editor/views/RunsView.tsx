// The Runs view: the open project's runs kept on this device as a table (search, tags, notes,
// sort, best values, CSV/JSON, Reproduce, MLflow), and below it one of three panels: the curves
// of the run on show (the picked one or the live one), the comparison of the ticked runs, or the
// evaluation of the shown run's model on held-out data. New runs start in the editor's Training
// tab; this view draws the same TrainingSession. Compare and Evaluate load on first use.
import { createMemo, createSignal, lazy, Match, Show, Suspense, Switch } from 'solid-js';
import type { RunId, RunRecord } from '../../storage/types.js';
import { RunsTablePanel } from '../runs/RunsTablePanel.js';
import { RunActions } from '../tracking/RunActions.js';
import { TrackingSettings } from '../tracking/TrackingSettings.js';
import { RunCharts } from '../training/RunCharts.js';
import { RunStatus } from '../training/RunStatus.js';
import type { TrainingSession } from '../training/training-session.js';
import { routeHash } from '../router.js';

const ComparePanel = lazy(() => import('../compare/ComparePanel.js').then((m) => ({ default: m.ComparePanel })));
const EvaluatePanel = lazy(() => import('../evaluate/EvaluatePanel.js').then((m) => ({ default: m.EvaluatePanel })));

export type RunsPanel = 'curves' | 'compare' | 'evaluate';
const PANELS: readonly { id: RunsPanel; label: string }[] = [
  { id: 'curves', label: 'Curves' },
  { id: 'compare', label: 'Compare' },
  { id: 'evaluate', label: 'Evaluate' },
];

// Kept across visits to the view (it unmounts when another view opens).
const [panel, setPanel] = createSignal<RunsPanel>('curves');
const [picked, setPicked] = createSignal<readonly RunId[]>([]);

export function RunsView(props: { session: TrainingSession }) {
  const s = props.session;
  const byId = createMemo(() => new Map(s.rows().map((r) => [r.run.id, r] as const)));
  // Ticked runs that are still stored, in the order they were ticked.
  const pickedRuns = createMemo((): RunRecord[] => picked().flatMap((id) => byId().get(id)?.run ?? []));
  const shownRow = () => {
    const id = s.shown();
    return id ? (byId().get(id) ?? null) : null;
  };
  return (
    <section class="runs-view" data-testid="runs-view">
      <Show
        when={s.projectId()}
        fallback={<p class="muted">Runs are not kept: nothing can be saved on this device. A run's curves still show here while the tab is open.</p>}
      >
        {/* A box of its own: a run that is stored mid-training adds a row here without moving the panels below. */}
        <div class="runs-list-box">
          <RunsTablePanel
            session={s}
            picked={picked()}
            onPick={setPicked}
            onCompare={() => setPanel('compare')}
            rowActions={(run) => <RunActions session={s} run={run} />}
          />
        </div>
        <TrackingSettings />
      </Show>
      <p class="muted">
        Start a new run from the <a href={routeHash('editor')}>Editor</a>'s Training tab; pick a run above to see its curves, tick runs to compare them.
      </p>
      <div class="runs-panels" role="tablist" aria-label="Run panels">
        {PANELS.map((p) => (
          <button
            type="button"
            role="tab"
            data-testid={`runs-panel-${p.id}`}
            aria-selected={panel() === p.id}
            classList={{ active: panel() === p.id }}
            onClick={() => setPanel(p.id)}
          >
            {p.label}
            {p.id === 'compare' && picked().length > 0 ? ` (${pickedRuns().length})` : ''}
          </button>
        ))}
      </div>
      <Suspense fallback={<p class="muted">Loading…</p>}>
        <Switch>
          <Match when={panel() === 'curves'}>
            <RunStatus session={s} />
            <RunCharts view={s.view} version={s.version} smoothing={s.smoothing} />
          </Match>
          <Match when={panel() === 'compare'}>
            <ComparePanel runs={pickedRuns()} onPick={setPicked} />
          </Match>
          <Match when={panel() === 'evaluate'}>
            <EvaluatePanel run={shownRow()?.run ?? null} checkpoints={shownRow()?.checkpoints ?? []} busy={s.busy()} />
          </Match>
        </Switch>
      </Suspense>
    </section>
  );
}
