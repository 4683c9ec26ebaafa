// Storage: usage against the browser's estimate, whether the browser promised to keep the data
// (and a button to ask), and every run, checkpoint, dataset and export with its size and Delete.
import { createResource, createSignal, For, Show } from 'solid-js';
import { bytes } from '../format.js';
import type { Persistence, StorageSession } from '../../storage/session.js';
import { deleteStorageItem, type StorageItem } from './storage-items.js';

const KIND_LABEL: Record<StorageItem['kind'], string> = { run: 'Run', checkpoint: 'Checkpoint', dataset: 'Dataset', export: 'Export' };

function persistenceText(p: Persistence): string {
  if (p.persisted === true) return 'Persistent: the browser will not clear this data to make room.';
  if (p.persisted === false) return 'Not persistent: the browser may clear this data when the disk runs low.';
  return 'This browser cannot say whether it keeps this data.';
}

export function StoragePanel(props: { session: StorageSession; revision: number; onChanged: () => void }) {
  const [persistence, setPersistence] = createSignal<Persistence>(props.session.persistence());
  const [local, setLocal] = createSignal(0);
  const [error, setError] = createSignal<string | null>(null);
  const [usage] = createResource(() => ({ rev: props.revision, local: local() }), () => props.session.usage());
  const fraction = () => {
    const u = usage();
    return u && u.usage !== null && u.quota ? Math.min(1, u.usage / u.quota) : null;
  };

  async function ask() {
    setPersistence(await props.session.requestPersistence());
  }
  async function remove(item: StorageItem) {
    setError(null);
    try {
      await deleteStorageItem(props.session, item);
    } catch (e) {
      setError(`Could not delete ${item.label}: ${e instanceof Error ? e.message : String(e)}`);
    }
    setLocal((n) => n + 1);
    props.onChanged();
  }

  return (
    <section class="storage-panel" id="storage" data-testid="storage-panel">
      <h2>Storage on this device</h2>
      <Show when={usage()} fallback={<p class="muted">Measuring…</p>}>
        {(u) => (
          <div class="usage" data-testid="storage-usage" data-usage={u().usage ?? ''} data-quota={u().quota ?? ''}>
            <Show when={fraction() !== null} fallback={<p class="muted">This browser does not estimate its storage.</p>}>
              <div class="usage-bar" role="meter" aria-valuemin={0} aria-valuemax={u().quota!} aria-valuenow={u().usage!} aria-label="Storage used">
                <div class="usage-fill" style={{ width: `${(fraction()! * 100).toFixed(2)}%` }} />
              </div>
              <p>
                {bytes(u().usage!)} used of about {bytes(u().quota!)} available to this site ({(fraction()! * 100).toFixed(fraction()! < 0.01 ? 3 : 1)}%).
              </p>
            </Show>
          </div>
        )}
      </Show>
      <p class="persistence" data-testid="persisted-state" data-persisted={String(persistence().persisted)}>
        {persistenceText(persistence())}{' '}
        <Show when={persistence().persisted !== true}>
          <button type="button" data-testid="persist-button" onClick={() => void ask()}>Ask the browser to keep it</button>
        </Show>
        <Show when={persistence().error}>
          <span class="error"> Asking failed: {persistence().error}</span>
        </Show>
      </p>
      <Show when={props.session.blobsError}>
        <p class="warning-box">Large files cannot be kept on this device: {props.session.blobsError}</p>
      </Show>
      <Show when={error()}>
        <p class="error" data-testid="storage-error">{error()}</p>
      </Show>
      <Show when={(usage()?.items.length ?? 0) > 0} fallback={<p class="muted" data-testid="storage-empty">No runs, checkpoints, datasets or exports are stored yet.</p>}>
        <table class="storage-items">
          <thead>
            <tr><th>what</th><th /><th class="num">size</th><th /></tr>
          </thead>
          <tbody>
            <For each={usage()!.items}>
              {(item) => (
                <tr data-testid="storage-item" data-kind={item.kind} data-id={item.id} data-bytes={item.bytes}>
                  <td>{KIND_LABEL[item.kind]}</td>
                  <td>{item.label}</td>
                  <td class="num">{bytes(item.bytes)}</td>
                  <td>
                    <button type="button" data-testid="delete-item" onClick={() => void remove(item)}>Delete</button>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>
    </section>
  );
}
