// Which data a run trains on: built-in MNIST, a file the person imports (a zip of images, one
// class per sub-folder; a CSV table with a label column; JSONL text; a TXT corpus), a folder
// of images (one class per sub-folder), or a file the worker downloads from a URL (optionally
// checked against a SHA-256). The choice and its worker request live in dataset-choice.ts.
import { Show } from 'solid-js';
import { emptyChoice, folderName, sha256Problem, urlProblem, type DatasetChoice, type DatasetKind } from './dataset-choice.js';

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

export function DatasetPicker(props: Props) {
  const file = () => (props.choice.kind === 'file' ? props.choice : null);
  const folder = () => (props.choice.kind === 'folder' ? props.choice : null);
  const remote = () => (props.choice.kind === 'remote' ? props.choice : null);
  return (
    <>
      <label>
        Dataset{' '}
        <select value={props.choice.kind} disabled={props.disabled} data-testid="dataset-picker" onChange={(e) => props.onChange(emptyChoice(e.currentTarget.value as DatasetKind))}>
          <option value="mnist">MNIST (built-in, 8,000 train / 2,000 test)</option>
          <option value="file">Import a file…</option>
          <option value="folder">Import a folder…</option>
          <option value="remote">Download from a URL…</option>
        </select>
      </label>
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
