// The projects on this device: start a new empty one, open, rename, delete (asks first), export
// as .nfproj with options, import a .nfproj file, and import a model (ONNX, TF.js) as a new project.
import { createSignal, For, Show } from 'solid-js';
import type { ProjectId, ProjectRecord } from '../../storage/types.js';
import { sharedExporterClient } from '../export/exporter-client.js';
import { importModelAsProject } from '../export/import-project.js';
import { ImportModel } from '../export/ImportModel.js';
import type { Workspace } from './workspace.js';

/** What goes into an exported .nfproj besides the project, its versions, runs and metrics. */
export interface ExportChoice {
  /** 'best': per run its best checkpoint (else its newest). */
  readonly checkpoints: 'none' | 'best' | 'all';
  readonly datasets: boolean;
}

export interface ProjectListProps {
  readonly workspace: Workspace;
  readonly onImport: (file: File) => Promise<void>;
  readonly onExport: (id: ProjectId, choice: ExportChoice) => Promise<void>;
}

const when = (ms: number) => new Date(ms).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

function ProjectRow(props: { p: ProjectRecord; open: boolean; list: ProjectListProps; fail: (m: string) => void }) {
  const ws = props.list.workspace;
  const [renaming, setRenaming] = createSignal(false);
  const [confirming, setConfirming] = createSignal(false);
  const [exporting, setExporting] = createSignal(false);
  const [choice, setChoice] = createSignal<ExportChoice>({ checkpoints: 'best', datasets: false });
  const act = (f: () => Promise<void>) => void f().catch((e: unknown) => props.fail(errorText(e)));

  return (
    <li class="project-row" classList={{ open: props.open }} data-testid="project-row" data-project-id={props.p.id}>
      <Show
        when={renaming()}
        fallback={
          <button type="button" class="link project-open" data-testid="project-open" onClick={() => act(() => ws.open(props.p.id))}>
            {props.p.name || 'Untitled'}
          </button>
        }
      >
        <form
          class="rename"
          onSubmit={(e) => {
            e.preventDefault();
            const name = new FormData(e.currentTarget).get('name');
            act(async () => {
              await ws.rename(props.p.id, String(name ?? ''));
              setRenaming(false);
            });
          }}
        >
          <input name="name" data-testid="rename-input" maxLength={200} value={props.p.name} aria-label="New name" />
          <button type="submit">Save</button>
          <button type="button" onClick={() => setRenaming(false)}>Cancel</button>
        </form>
      </Show>
      <span class="muted"> {props.open ? 'open here · ' : ''}edited {when(props.p.updatedAt)} · {props.p.draft.graph.nodes.length} {props.p.draft.graph.nodes.length === 1 ? 'layer' : 'layers'}</span>
      <span class="row-actions">
        <button type="button" data-testid="project-rename" onClick={() => setRenaming(true)}>Rename</button>
        <button type="button" data-testid="project-export" onClick={() => setExporting(!exporting())}>Export…</button>
        <Show when={!confirming()} fallback={
          <span class="confirm">
            Delete "{props.p.name}" with its runs and checkpoints?{' '}
            <button type="button" class="danger" data-testid="project-delete-confirm" onClick={() => act(async () => { setConfirming(false); await ws.remove(props.p.id); })}>Delete</button>
            <button type="button" onClick={() => setConfirming(false)}>Keep</button>
          </span>
        }>
          <button type="button" data-testid="project-delete" onClick={() => setConfirming(true)}>Delete</button>
        </Show>
      </span>
      <Show when={exporting()}>
        <div class="export-options" data-testid="export-options">
          The file holds the project, its versions, and its runs with their metrics.{' '}
          <label>
            Checkpoints{' '}
            <select data-testid="export-checkpoints" value={choice().checkpoints} onChange={(e) => setChoice({ ...choice(), checkpoints: e.currentTarget.value as ExportChoice['checkpoints'] })}>
              <option value="none">none</option>
              <option value="best">the best of each run</option>
              <option value="all">all</option>
            </select>
          </label>{' '}
          <label>
            <input type="checkbox" data-testid="export-datasets" checked={choice().datasets} onChange={(e) => setChoice({ ...choice(), datasets: e.currentTarget.checked })} /> the datasets it trained on
          </label>{' '}
          <button type="button" data-testid="export-download" onClick={() => act(async () => { await props.list.onExport(props.p.id, choice()); setExporting(false); })}>
            Download .nfproj
          </button>
        </div>
      </Show>
    </li>
  );
}

export function ProjectList(props: ProjectListProps) {
  const [error, setError] = createSignal<string | null>(null);
  const [importing, setImporting] = createSignal(false);
  const [creating, setCreating] = createSignal(false);
  let fileInput: HTMLInputElement | undefined;

  async function importChosen() {
    const file = fileInput?.files?.[0];
    if (!file) return;
    setError(null);
    setImporting(true);
    try {
      await props.onImport(file);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setImporting(false);
      if (fileInput) fileInput.value = '';
    }
  }

  return (
    <section class="project-list" data-testid="project-list">
      <h2>Projects on this device</h2>
      {/* `project-open`: the page shows the editor when a project is opened from this list (App.tsx). */}
      <p class="project-new">
        <button
          type="button"
          class="project-open"
          data-testid="project-new-empty"
          disabled={creating()}
          title="A project with only an Input [28, 28, 1]; add layers from the palette"
          onClick={() => {
            setError(null);
            setCreating(true);
            props.workspace.createEmpty().catch((e: unknown) => setError(errorText(e))).finally(() => setCreating(false));
          }}
        >
          New empty project
        </button>{' '}
        <span class="muted">or start from a template below.</span>
      </p>
      <Show when={error()}>
        <p class="error" data-testid="project-list-error" role="alert">{error()}</p>
      </Show>
      <ul>
        <For each={props.workspace.projects()}>
          {(p) => <ProjectRow p={p} open={props.workspace.current()?.id === p.id} list={props} fail={setError} />}
        </For>
      </ul>
      <label class="import">
        Import a .nfproj file{' '}
        <input type="file" accept=".nfproj,application/zip" data-testid="import-nfproj" ref={fileInput} disabled={importing()} onChange={() => void importChosen()} />
      </label>
      <Show when={importing()}>
        <span class="muted"> Importing…</span>
      </Show>
      <ImportModel client={sharedExporterClient()} onConfirm={(result) => importModelAsProject(props.workspace, result)} />
    </section>
  );
}
