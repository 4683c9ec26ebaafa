// The export studio's weights picker: the seeded initial weights or any stored checkpoint, by
// run; with a checkpoint it says which architecture version goes out (the run's own, which may
// differ from the canvas) and whether the checkpoint can be trained on further.
import { createResource, For, Show } from 'solid-js';
import type { Graph } from '../../engine/project/types.js';
import { isResumable } from '../../storage/imported-weights.js';
import type { RunRecord, CheckpointRecord, StorageDb, VersionId } from '../../storage/types.js';
import { graphHash } from '../../storage/versioning.js';
import { checkpointLabel, runLabel, type RunCheckpoints, type WeightsSelection } from './weight-choices.js';

export interface WeightsPickerProps {
  readonly rows: readonly RunCheckpoints[];
  /** What the selection resolves to now (null: initial weights). */
  readonly chosen: { readonly checkpoint: CheckpointRecord; readonly run: RunRecord } | null;
  readonly onSelect: (s: WeightsSelection) => void;
  /** The picker gets focus: the caller re-reads the stored runs. */
  readonly onFocus: () => void;
  readonly db: StorageDb | null;
  /** The canvas's graph, to say when the run's architecture differs from it. */
  readonly graph: () => Graph;
}

export function WeightsPicker(props: WeightsPickerProps) {
  // Whether the run's version computes what the canvas computes (positions and labels aside).
  const [differs] = createResource(
    () => (props.chosen && props.db ? { versionId: props.chosen.run.versionId, graph: props.graph(), db: props.db } : null),
    async ({ versionId, graph, db }: { versionId: VersionId; graph: Graph; db: StorageDb }) => {
      const version = await db.getVersion(versionId);
      return version ? version.graphHash !== (await graphHash(graph)) : null;
    },
  );

  return (
    <div class="weights-picker">
      <label>
        Weights{' '}
        <select
          data-testid="export-weights-picker"
          value={props.chosen?.checkpoint.id ?? 'initial'}
          onFocus={() => props.onFocus()}
          onChange={(e) => {
            const v = e.currentTarget.value;
            props.onSelect(v === 'initial' ? { kind: 'initial' } : { kind: 'checkpoint', id: v as CheckpointRecord['id'] });
          }}
        >
          <option value="initial">initial (seeded) weights</option>
          <For each={props.rows}>
            {(row) => (
              <optgroup label={runLabel(row.run)}>
                <For each={row.checkpoints}>{(c) => <option value={c.id}>{checkpointLabel(row.run, c)}</option>}</For>
              </optgroup>
            )}
          </For>
        </select>
      </label>
      <span
        class="muted"
        data-testid="export-weights"
        data-kind={props.chosen ? 'checkpoint' : 'initial'}
        data-checkpoint-id={props.chosen?.checkpoint.id ?? ''}
        data-run-id={props.chosen?.run.id ?? ''}
        data-imported={String(props.chosen ? !isResumable(props.chosen.run) : false)}
      >
        {props.chosen ? `${runLabel(props.chosen.run)}: ${checkpointLabel(props.chosen.run, props.chosen.checkpoint)}` : 'the initial (seeded) weights of the canvas'}
      </span>
      <Show when={props.chosen}>
        {(c) => (
          <p class="muted" data-testid="export-architecture" data-version-id={c().run.versionId}>
            Exports the architecture this run trained: version {c().run.versionId.slice(0, 8)}
            {differs() === true ? ' (it differs from the canvas, which is not exported)' : differs() === false ? ' (the same as the canvas)' : ''}.
            <Show when={!isResumable(c().run)}>
              {' '}Imported weights have no optimizer state: they export, but training cannot resume from them.
            </Show>
          </p>
        )}
      </Show>
    </div>
  );
}
