// The project's runs kept on the device: status, start, epochs and final metrics per run, and
// its checkpoints (kind, epoch, step) each with "Resume from here". Clicking a run shows its
// stored curves.
import { For, Show } from 'solid-js';
import { isResumable } from '../../storage/imported-weights.js';
import type { CheckpointRecord, RunId, RunRecord } from '../../storage/types.js';
import { bytes } from '../format.js';
import type { RunRow } from './run-history.js';
import './runs.css';

const when = (ms: number) => new Date(ms).toLocaleString([], { dateStyle: 'short', timeStyle: 'medium' });
const fixed = (v: number | undefined, d = 4) => (v === undefined ? '—' : v.toFixed(d));
const pct = (v: number | undefined) => (v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);

export interface RunsListProps {
  readonly rows: readonly RunRow[];
  readonly selected: RunId | null;
  /** While a run trains, nothing else can be started or shown. */
  readonly busy: boolean;
  readonly error: string | null;
  readonly onSelect: (id: RunId) => void;
  readonly onResume: (checkpoint: CheckpointRecord) => void;
}

function CheckpointChip(props: { c: CheckpointRecord; busy: boolean; resumable: boolean; onResume: (c: CheckpointRecord) => void }) {
  const c = () => props.c;
  return (
    <li class={`checkpoint ${c().kind}`} data-testid="run-checkpoint" data-kind={c().kind} data-epoch={c().epoch} data-step={c().globalStep} data-checkpoint-id={c().id}>
      <span title={`${bytes(c().bytes)}, saved ${when(c().createdAt)}`}>
        {c().kind} · epoch {c().epoch} · step {c().globalStep}
        {c().metric ? ` · ${c().metric!.name} ${fixed(c().metric!.value)}` : ''}
      </span>{' '}
      {/* Imported weights come without optimizer state: there is nothing to resume. */}
      <Show when={props.resumable} fallback={<span class="muted" data-testid="not-resumable">imported weights (export only)</span>}>
        <button
          type="button"
          disabled={props.busy}
          data-testid="resume-from"
          onClick={(e) => {
            e.stopPropagation(); // not also a click on the row
            props.onResume(c());
          }}
        >
          Resume from here
        </button>
      </Show>
    </li>
  );
}

function RunRowView(props: { row: RunRow; selected: boolean; busy: boolean; onSelect: (id: RunId) => void; onResume: (c: CheckpointRecord) => void }) {
  const run = (): RunRecord => props.row.run;
  const m = () => run().finalMetrics;
  return (
    <tr
      classList={{ selected: props.selected }}
      data-testid="run-row"
      data-run-id={run().id}
      data-status={run().status}
      data-selected={props.selected ? 'true' : 'false'}
      onClick={() => !props.busy && props.onSelect(run().id)}
    >
      <td>{when(run().startedAt)}</td>
      <td class={`status ${run().status}`} title={run().error ?? ''}>
        {run().status}
        {run().resumedFrom ? ' (resumed)' : ''}
      </td>
      <td class="num">{run().epochs} / {run().config.epochs ?? '?'}</td>
      <td class="num">{fixed(m()['loss'])}</td>
      <td class="num">{fixed(m()['valLoss'])}</td>
      <td class="num">{pct(m()['valAccuracy'])}</td>
      <td>{run().backend ?? '—'}</td>
      <td>
        <ul class="checkpoints">
          <For each={props.row.checkpoints} fallback={<li class="muted">none</li>}>
            {(c) => <CheckpointChip c={c} busy={props.busy} resumable={isResumable(run())} onResume={props.onResume} />}
          </For>
        </ul>
      </td>
    </tr>
  );
}

export function RunsList(props: RunsListProps) {
  return (
    <section class="runs" data-testid="runs-list">
      <h3>Runs</h3>
      <Show when={props.error}>{(e) => <p class="error">Stored runs cannot be shown: {e()}</p>}</Show>
      <Show when={props.rows.length > 0} fallback={<p class="muted">No runs of this project yet: Start trains one and keeps it on this device.</p>}>
        <table class="runs-table">
          <thead>
            <tr><th>started</th><th>status</th><th class="num">epochs</th><th class="num">loss</th><th class="num">val loss</th><th class="num">val accuracy</th><th>backend</th><th>checkpoints</th></tr>
          </thead>
          <tbody>
            <For each={props.rows}>
              {(row) => <RunRowView row={row} selected={row.run.id === props.selected} busy={props.busy} onSelect={props.onSelect} onResume={props.onResume} />}
            </For>
          </tbody>
        </table>
      </Show>
    </section>
  );
}
