// What the shown run is doing or did, in one line: a live run's phase and step, its summary
// once it ends, or a stored run's record ("completed after 3 epochs on webgpu").
import { Show } from 'solid-js';
import type { RunLog } from './run-log.js';
import type { TrainingSession } from './training-session.js';

/** The panel's state: no run, a live run (running, paused, stopping), a finished live run, or a stored run on show. */
export type PanelStatus = 'idle' | 'running' | 'paused' | 'stopping' | 'done' | 'stored';

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);

/** What the run is doing now, in words: "Paused at step 40 (epoch 1)", "training: …". */
function progressText(status: PanelStatus, log: RunLog): string {
  const step = log.steps[0].at(-1);
  const at = step === undefined ? '' : ` at step ${step}`;
  switch (status) {
    case 'idle':
      return 'Ready.';
    case 'paused':
      return `Paused${at}. Resume or Stop.`;
    case 'stopping':
      return `Stopping after the current step${at}…`;
    case 'stored': {
      const r = log.record;
      if (!r) return 'Stored run.';
      const from = log.resumedFrom ? `, resumed from epoch ${log.resumedFrom.epoch} (step ${log.resumedFrom.globalStep})` : '';
      return `Stored run: ${r.status} after ${r.epochs} epoch${r.epochs === 1 ? '' : 's'}${r.backend ? ` on ${r.backend}` : ''}${from}${r.error ? ` · ${r.error}` : ''}.`;
    }
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

/** The line as plain text (for its tooltip): the summary's words, or the progress. */
function statusTitle(status: PanelStatus, log: RunLog): string {
  const sum = log.summary;
  if (!sum) return progressText(status, log);
  return `Run ${sum.status} after ${sum.epochsCompleted} epoch(s) on ${sum.backend ?? 'no backend'}${sum.error ? ` · ${sum.error.message}` : ''}`;
}

export function RunStatusLine(props: { status: PanelStatus; log: RunLog }) {
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

/** The run status line with the data attributes tests and scripts read; one line, never taller (the whole text is its tooltip). */
export function RunStatus(props: { session: TrainingSession }) {
  const s = props.session;
  const log = () => s.view();
  return (
    <p
      class="run-status"
      data-testid="run-status"
      data-status={s.status()}
      data-phase={log().phase ?? ''}
      data-last-step={log().steps[0].at(-1) ?? 0}
      data-first-step={log().steps[0][0] ?? 0}
      data-points={log().steps[0].length}
      data-run-id={s.shown() ?? ''}
      title={statusTitle(s.status(), log())}
    >
      <RunStatusLine status={s.status()} log={log()} />
    </p>
  );
}
