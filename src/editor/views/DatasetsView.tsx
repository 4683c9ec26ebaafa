// The Datasets view: the datasets kept on this device (read from storage) and where to pick one
// for training. The picker itself lives in the editor's Training tab.
import { createResource, For, Show } from 'solid-js';
import type { StorageSession } from '../../storage/session.js';
import { bytes } from '../format.js';
import { routeHash } from '../router.js';

/** Lists stored datasets; `revision` changes when storage changes, which re-reads the list. */
export function DatasetsView(props: { session: StorageSession | null; revision: number }) {
  const [usage] = createResource(
    () => (props.session ? { session: props.session, rev: props.revision } : false),
    ({ session }) => session.usage(),
  );
  const datasets = () => usage()?.items.filter((i) => i.kind === 'dataset') ?? [];
  return (
    <section class="datasets-view" data-testid="datasets-view">
      <h2>Datasets</h2>
      <p class="muted">
        Built-in MNIST is always available. Pick, import or download a dataset for a run in the{' '}
        <a href={routeHash('editor')}>Editor</a>'s Training tab; imported and downloaded datasets are kept here.
      </p>
      <Show when={props.session} fallback={<p class="muted">Nothing can be kept on this device, so no datasets are stored.</p>}>
        <Show when={datasets().length > 0} fallback={<p class="muted" data-testid="datasets-empty">No datasets are stored on this device yet.</p>}>
          <table class="storage-items">
            <thead>
              <tr><th>dataset</th><th class="num">size</th></tr>
            </thead>
            <tbody>
              <For each={datasets()}>
                {(d) => (
                  <tr data-testid="dataset-item" data-id={d.id}>
                    <td>{d.label}</td>
                    <td class="num">{bytes(d.bytes)}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </Show>
      </Show>
    </section>
  );
}
