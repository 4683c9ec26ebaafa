// The Runs view: the open project's runs kept on this device (each with its checkpoints and
// "Resume from here") and the curves of the run on show: the one picked here, or the live one.
// New runs start in the editor's Training tab; this view draws the same TrainingSession.
import { Show } from 'solid-js';
import { RunCharts } from '../training/RunCharts.js';
import { RunsList } from '../training/RunsList.js';
import { RunStatus } from '../training/RunStatus.js';
import type { TrainingSession } from '../training/training-session.js';
import { routeHash } from '../router.js';

export function RunsView(props: { session: TrainingSession }) {
  const s = props.session;
  return (
    <section class="runs-view" data-testid="runs-view">
      <Show
        when={s.projectId()}
        fallback={<p class="muted">Runs are not kept: nothing can be saved on this device. A run's curves still show here while the tab is open.</p>}
      >
        {/* A box of its own: a run that is stored mid-training adds a row here without moving the curves. */}
        <div class="runs-list-box">
          <RunsList rows={s.rows()} selected={s.shown()} busy={s.busy()} error={s.runsError()} onSelect={(id) => s.select(id)} onResume={(c) => void s.start(c)} />
        </div>
      </Show>
      <p class="muted">
        Start a new run from the <a href={routeHash('editor')}>Editor</a>'s Training tab; pick a run above to see its curves.
      </p>
      <RunStatus session={s} />
      <RunCharts view={s.view} version={s.version} smoothing={s.smoothing} />
    </section>
  );
}
