// Which data a run trains on: built-in MNIST or a file the person imports (a zip of images,
// one class per sub-folder; a CSV table with a label column; JSONL text; a TXT corpus). The
// file is read only when a run starts, and its bytes are then transferred to the worker.
import { Show } from 'solid-js';
import type { DatasetRequest } from '../../workers/trainer-api.js';

export type DatasetChoice = { readonly kind: 'mnist' } | { readonly kind: 'file'; readonly file: File | null; readonly label: string };

export const IMPORT_ACCEPT = '.zip,.csv,.tsv,.jsonl,.ndjson,.txt';

/** Files whose reader needs a label column/field name. */
const needsLabel = (name: string) => /\.(csv|tsv|jsonl|ndjson)$/i.test(name);

/** The worker request for a choice; null while "Import a file…" has no file yet. */
export async function datasetRequest(choice: DatasetChoice): Promise<DatasetRequest | null> {
  if (choice.kind === 'mnist') return { source: 'builtin', name: 'mnist' };
  if (!choice.file) return null;
  // A fresh buffer per run: the previous one was transferred (detached) to the worker.
  const bytes = await choice.file.arrayBuffer();
  const label = choice.label.trim();
  return { source: 'file', name: choice.file.name, bytes, ...(label ? { label } : {}) };
}

export function DatasetPicker(props: { choice: DatasetChoice; onChange: (c: DatasetChoice) => void; disabled: boolean }) {
  const file = () => (props.choice.kind === 'file' ? props.choice : null);
  return (
    <>
      <label>
        Dataset{' '}
        <select
          value={props.choice.kind}
          disabled={props.disabled}
          data-testid="dataset-picker"
          onChange={(e) => props.onChange(e.currentTarget.value === 'file' ? { kind: 'file', file: null, label: '' } : { kind: 'mnist' })}
        >
          <option value="mnist">MNIST (built-in, 8,000 train / 2,000 test)</option>
          <option value="file">Import a file…</option>
        </select>
      </label>
      <Show when={file()}>
        {(f) => (
          <>
            <input
              type="file"
              accept={IMPORT_ACCEPT}
              disabled={props.disabled}
              data-testid="dataset-file"
              onChange={(e) => props.onChange({ kind: 'file', file: e.currentTarget.files?.[0] ?? null, label: f().label })}
            />
            <Show when={f().file && needsLabel(f().file!.name)}>
              <label>
                Label column{' '}
                <input type="text" size="10" value={f().label} disabled={props.disabled} data-testid="label-column" onInput={(e) => props.onChange({ kind: 'file', file: f().file, label: e.currentTarget.value })} />
              </label>
            </Show>
          </>
        )}
      </Show>
    </>
  );
}
