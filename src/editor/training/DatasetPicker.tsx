// Which data a run trains on: built-in MNIST, a file the person imports (a zip of images, one
// class per sub-folder; a CSV table with a label column; JSONL text; a TXT corpus), a folder
// of images (one class per sub-folder), a file the worker downloads from a URL (optionally
// checked against a SHA-256), or a dataset an earlier run kept on the device (listed with its
// format, size, classes, samples and version; deletable). The choice and its worker request
// live in dataset-choice.ts; the kept datasets in dataset-library.ts.
import { createEffect, createSignal, For, on, onMount, Show } from 'solid-js';
import { emptyChoice, folderName, sha256Problem, urlProblem, type DatasetChoice, type DatasetKind } from './dataset-choice.js';
import { deleteKeptDataset, deleteWarning, formatBytes, listKeptDatasets, pageBlobs, runsTrainedOn, shortVersion, type KeptDataset } from './dataset-library.js';
import { pageStorage } from './run-history.js';

export { datasetRequest, type DatasetChoice } from './dataset-choice.js';

export const IMPORT_ACCEPT = '.zip,.csv,.tsv,.jsonl,.ndjson,.txt';

/** Files whose reader needs a label column/field name. */
const needsLabel = (name: string) => /\.(csv|tsv|jsonl|ndjson)(?:[?#]|$)/i.test(name);

type Props = { choice: DatasetChoice; onChange: (c: DatasetChoice) => void; disabled: boolean };

function LabelField(props: { value: string; disabled: boolean; onInput: (v: string) => void }) {
  return (
    <label>
      Label column{' '}
      <input type="text" size="10" value={props.value} disabled={props.disabled} data-testid="label-column" onInput={(e) => props.onInput(e.currentTarget.value)} />
    </label>
  );
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** A kept dataset's facts, its label field (tables and text), and Delete with a confirmation that says what runs lose. */
function KeptDetails(props: { dataset: KeptDataset; label: string; disabled: boolean; onLabel: (label: string) => void; onDeleted: () => void }) {
  const [confirm, setConfirm] = createSignal<string | null>(null);
  const [problem, setProblem] = createSignal<string | null>(null);
  const d = () => props.dataset;
  async function ask() {
    setProblem(null);
    try {
      setConfirm(deleteWarning(d(), await runsTrainedOn(await pageStorage(), d().version)));
    } catch (e) {
      setProblem(message(e));
    }
  }
  async function remove() {
    setConfirm(null);
    try {
      const db = await pageStorage();
      const files = await pageBlobs().catch(() => null); // no OPFS: the record goes, the next start collects
      await deleteKeptDataset(db, files?.blobs ?? null, d().id, files?.collect ?? (async () => ({ freedBytes: 0, skipped: true })));
      props.onDeleted();
    } catch (e) {
      setProblem(`could not delete "${d().name}": ${message(e)}`);
    }
  }
  return (
    <>
      <span class="muted" data-testid="kept-dataset" data-dataset-id={d().id} data-version={d().version} data-format={d().format} data-samples={d().samples}>
        {d().format} · {formatBytes(d().bytes)}
        {d().classes !== null ? ` · ${d().classes} classes` : ''} · {d().samples} samples · version {shortVersion(d().version)}
      </span>
      <Show when={d().format === 'csv' || d().format === 'jsonl'}>
        <LabelField value={props.label} disabled={props.disabled} onInput={props.onLabel} />
      </Show>
      <button disabled={props.disabled || d().readOnly || confirm() !== null} data-testid="dataset-delete" onClick={() => void ask()}>Delete…</button>
      <Show when={confirm()}>
        {(text) => (
          <span class="confirm" data-testid="dataset-delete-confirm">
            {text()} <button data-testid="dataset-delete-yes" onClick={() => void remove()}>Delete</button>{' '}
            <button data-testid="dataset-delete-no" onClick={() => setConfirm(null)}>Keep</button>
          </span>
        )}
      </Show>
      <Show when={problem()}>{(m) => <span class="error" data-testid="dataset-delete-error">{m()}</span>}</Show>
    </>
  );
}

export function DatasetPicker(props: Props) {
  const file = () => (props.choice.kind === 'file' ? props.choice : null);
  const folder = () => (props.choice.kind === 'folder' ? props.choice : null);
  const remote = () => (props.choice.kind === 'remote' ? props.choice : null);
  const stored = () => (props.choice.kind === 'stored' ? props.choice : null);
  const [kept, setKept] = createSignal<readonly KeptDataset[]>([]);
  const [listError, setListError] = createSignal<string | null>(null);
  /** Re-reads the kept datasets: at start, and when a run ends (it may have kept a new one). */
  async function refresh() {
    try {
      setKept(await listKeptDatasets(await pageStorage()));
      setListError(null);
    } catch (e) {
      setListError(`the datasets kept on this device cannot be listed: ${message(e)}`);
    }
  }
  onMount(() => void refresh());
  createEffect(on(() => props.disabled, (busy) => void (busy || refresh()), { defer: true }));
  const keptChoice = () => {
    const s = stored();
    return s?.id ? kept().find((d) => d.id === s.id) ?? null : null;
  };
  const value = () => (props.choice.kind === 'stored' && props.choice.id ? `stored:${props.choice.id}` : props.choice.kind);
  function pick(v: string) {
    const d = v.startsWith('stored:') ? kept().find((k) => `stored:${k.id}` === v) : undefined;
    props.onChange(d ? { kind: 'stored', id: d.id, name: d.name, label: d.label } : emptyChoice(v as DatasetKind));
  }
  return (
    <>
      <label>
        Dataset{' '}
        <select value={value()} disabled={props.disabled} data-testid="dataset-picker" onChange={(e) => pick(e.currentTarget.value)}>
          <option value="mnist">MNIST (built-in, 8,000 train / 2,000 test)</option>
          <option value="file">Import a file…</option>
          <option value="folder">Import a folder…</option>
          <option value="remote">Download from a URL…</option>
          <Show when={kept().length > 0}>
            <optgroup label="Kept on this device" data-testid="kept-datasets">
              <For each={kept()}>
                {(d) => (
                  <option value={`stored:${d.id}`} data-testid="kept-option" data-version={d.version}>
                    {d.name} · {formatBytes(d.bytes)} · {shortVersion(d.version)}
                  </option>
                )}
              </For>
            </optgroup>
          </Show>
        </select>
      </label>
      <Show when={listError()}>{(m) => <span class="error" data-testid="kept-list-error">{m()}</span>}</Show>
      <Show when={keptChoice()}>
        {(d) => (
          <KeptDetails
            dataset={d()}
            label={stored()?.label ?? ''}
            disabled={props.disabled}
            onLabel={(label) => props.onChange({ ...stored()!, label })}
            onDeleted={() => {
              props.onChange({ kind: 'mnist' });
              void refresh();
            }}
          />
        )}
      </Show>
      <Show when={file()}>
        {(f) => (
          <>
            <input type="file" accept={IMPORT_ACCEPT} disabled={props.disabled} data-testid="dataset-file" onChange={(e) => props.onChange({ kind: 'file', file: e.currentTarget.files?.[0] ?? null, label: f().label })} />
            <Show when={f().file && needsLabel(f().file!.name)}>
              <LabelField value={f().label} disabled={props.disabled} onInput={(label) => props.onChange({ kind: 'file', file: f().file, label })} />
            </Show>
          </>
        )}
      </Show>
      <Show when={folder()}>
        {(f) => (
          <>
            {/* webkitdirectory (set through the property: Solid's JSX types lack it) picks a whole folder. */}
            <input type="file" multiple ref={(el) => (el.webkitdirectory = true)} disabled={props.disabled} data-testid="dataset-folder" onChange={(e) => props.onChange({ kind: 'folder', files: Array.from(e.currentTarget.files ?? []) })} />
            <Show when={f().files.length > 0}>
              <span class="muted" data-testid="folder-info">
                {folderName(f().files)}/ · {f().files.length} files
              </span>
            </Show>
          </>
        )}
      </Show>
      <Show when={remote()}>
        {(r) => (
          <>
            <label>
              URL{' '}
              <input type="url" size="40" placeholder="https://…/data.csv" value={r().url} disabled={props.disabled} data-testid="dataset-url" onInput={(e) => props.onChange({ ...r(), url: e.currentTarget.value })} />
            </label>
            <label>
              SHA-256 (optional){' '}
              <input type="text" size="20" spellcheck={false} placeholder="64 hex digits" value={r().sha256} disabled={props.disabled} data-testid="dataset-sha256" onInput={(e) => props.onChange({ ...r(), sha256: e.currentTarget.value })} />
            </label>
            <Show when={needsLabel(r().url.trim())}>
              <LabelField value={r().label} disabled={props.disabled} onInput={(label) => props.onChange({ ...r(), label })} />
            </Show>
            <Show when={(r().url.trim() && urlProblem(r().url)) || sha256Problem(r().sha256)}>
              {(m) => <span class="error" data-testid="remote-problem">{m()}</span>}
            </Show>
          </>
        )}
      </Show>
    </>
  );
}
