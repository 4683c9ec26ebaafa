// A run's checkpoints in its table row (kind, epoch, step, the monitored metric of a 'best' one),
// each with "Resume from here"; imported weights carry no optimizer state and say so instead.
import { For, Show } from 'solid-js';
import { isResumable } from '../../storage/imported-weights.js';
import type { CheckpointRecord, RunRecord } from '../../storage/types.js';
import { bytes } from '../format.js';
import { numberText } from './runs-table-view.js';

let savedFormat: Intl.DateTimeFormat | null = null;
const when = (ms: number) => (savedFormat ??= new Intl.DateTimeFormat([], { dateStyle: 'short', timeStyle: 'medium' })).format(ms);

function CheckpointChip(props: { c: CheckpointRecord; busy: boolean; resumable: boolean; onResume: (c: CheckpointRecord) => void }) {
  const c = () => props.c;
  return (
    <li class={`rt-checkpoint ${c().kind}`} data-testid="run-checkpoint" data-kind={c().kind} data-epoch={c().epoch} data-step={c().globalStep} data-checkpoint-id={c().id}>
      <span title={`${bytes(c().bytes)}, saved ${when(c().createdAt)}`}>
        {c().kind} · epoch {c().epoch} · step {c().globalStep}
        {c().metric ? ` · ${c().metric!.name} ${numberText(c().metric!.value)}` : ''}
      </span>{' '}
      <Show when={props.resumable} fallback={<span class="muted" data-testid="not-resumable">imported weights (export only)</span>}>
        <button
          type="button"
          disabled={props.busy}
          title={props.busy ? 'A run is training: resume once it has ended' : 'Continue training from this checkpoint as a new run'}
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

/** The checkpoints of `run`, oldest first. */
export function RunCheckpoints(props: { run: RunRecord; checkpoints: readonly CheckpointRecord[]; busy: boolean; onResume: (c: CheckpointRecord) => void }) {
  return (
    <ul class="rt-checkpoints">
      <For each={props.checkpoints} fallback={<li class="muted">none</li>}>
        {(c) => <CheckpointChip c={c} busy={props.busy} resumable={isResumable(props.run)} onResume={props.onResume} />}
      </For>
    </ul>
  );
}
