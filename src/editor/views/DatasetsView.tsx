// The Datasets view: built-in MNIST and the datasets kept on this device (read from storage),
// each with an Explore button; the explorer opens below the list for the chosen one. Picking
// a dataset for training happens in the editor's Training tab.
import { createResource, createSignal, For, Show } from 'solid-js';
import type { StorageSession } from '../../storage/session.js';
import type { DatasetId } from '../../storage/types.js';
import type { DatasetRequest } from '../../workers/trainer-api.js';
import { DatasetExplorer } from '../datasets/DatasetExplorer.js';
import { bytes } from '../format.js';
import { routeHash } from '../router.js';

/** The project's settings that decide the split view (absent: 0.1 and seed 0). */
export interface ExplorerTraining {
  readonly seed?: number;
  readonly validationSplit?: number;
}

interface Choice {
  readonly key: string;
  readonly label: string;
  readonly request: DatasetRequest;
}

const MNIST: Choice = { key: 'builtin:mnist', label: 'MNIST (built in)', request: { source: 'builtin', name: 'mnist' } };

/** Lists stored datasets; `revision` changes when storage changes, which re-reads the list. */
export function DatasetsView(props: { session: StorageSession | null; revision: number; training?: ExplorerTraining }) {
  const [usage] = createResource(
    () => (props.session ? { session: props.session, rev: props.revision } : false),
    ({ session }) => session.usage(),
  );
  const datasets = () => usage()?.items.filter((i) => i.kind === 'dataset') ?? [];
  const [chosen, setChosen] = createSignal<Choice | null>(null);
  const choose = (c: Choice) => setChosen((prev) => (prev?.key === c.key ? prev : c));
  const stored = (id: string, label: string): Choice => ({ key: `stored:${id}`, label, request: { source: 'stored', datasetId: id as DatasetId, name: label } });
  const exploreButton = (c: Choice) => (
    <button type="button" class="explore-button" data-testid="explore-button" aria-pressed={chosen()?.key === c.key} onClick={() => choose(c)}>
      Explore
    </button>
  );
  return (
    <section class="datasets-view" data-testid="datasets-view">
      <h2>Datasets</h2>
      <p class="muted">
        Built-in MNIST is always available. Pick, import or download a dataset for a run in the{' '}
        <a href={routeHash('editor')}>Editor</a>'s Training tab; imported and downloaded datasets are kept here. Explore one to see its
        classes, splits, samples and quality checks.
      </p>
      <table class="storage-items datasets-table">
        <thead>
          <tr><th scope="col">dataset</th><th scope="col" class="num">size</th><th scope="col"><span class="visually-hidden">actions</span></th></tr>
        </thead>
        <tbody>
          <tr data-testid="dataset-builtin" data-id="mnist">
            <td>{MNIST.label}</td>
            <td class="num muted">in the app</td>
            <td class="actions">{exploreButton(MNIST)}</td>
          </tr>
          <For each={datasets()}>
            {(d) => (
              <tr data-testid="dataset-item" data-id={d.id}>
                <td>{d.label}</td>
                <td class="num">{bytes(d.bytes)}</td>
                <td class="actions">{exploreButton(stored(d.id, d.label))}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <Show when={props.session} fallback={<p class="muted">Nothing can be kept on this device, so no datasets are stored.</p>}>
        <Show when={usage() && datasets().length === 0}>
          <p class="muted" data-testid="datasets-empty">No datasets are stored on this device yet.</p>
        </Show>
      </Show>
      <Show when={chosen()} keyed>
        {(c) => <DatasetExplorer request={c.request} label={c.label} options={props.training ?? {}} />}
      </Show>
    </section>
  );
}
