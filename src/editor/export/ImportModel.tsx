// Import a model from elsewhere as a new project: an ONNX file, or a TF.js model.json picked with
// its weight files. The worker maps it to a project; what it could not map (ops by name), its
// notes and whether its weights can be kept are shown first, and the project is created only
// when the person confirms. A file the importer refuses shows the importer's message.
import { createSignal, For, Match, Show, Switch } from 'solid-js';
import type { SavedImport } from '../../storage/imported-weights.js';
import type { ExporterClient } from './exporter-client.js';
import type { ImportedModelReply } from './import-project.js';
import './export.css';

type State =
  | { readonly status: 'idle' }
  | { readonly status: 'reading'; readonly name: string }
  | { readonly status: 'preview'; readonly result: ImportedModelReply }
  | { readonly status: 'saving'; readonly result: ImportedModelReply }
  | { readonly status: 'done'; readonly result: ImportedModelReply; readonly saved: SavedImport }
  | { readonly status: 'failed'; readonly name: string; readonly message: string };

export interface ImportModelProps {
  readonly client: ExporterClient;
  /** Creates the project (and opens it); rejects with a message for the person. */
  readonly onConfirm: (result: ImportedModelReply) => Promise<SavedImport>;
}

/** The model file among the picked ones (.onnx, else the .json), and the rest as its weight files. */
export function pickModel(files: readonly File[]): { model: File; side: File[] } | null {
  const model = files.find((f) => /\.onnx$/i.test(f.name)) ?? files.find((f) => /\.json$/i.test(f.name));
  return model ? { model, side: files.filter((f) => f !== model) } : null;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

function Preview(props: { result: ImportedModelReply }) {
  const r = () => props.result;
  return (
    <>
      <p>
        <strong>{r().fileName}</strong>: {r().project.graph.nodes.length} layers from {r().source === 'onnx' ? 'ONNX' : 'TF.js'}, becomes the project "{r().project.name}"
        {r().weights ? ' with its weights.' : '.'}
      </p>
      <Show when={r().unmapped.length}>
        <p class="error">Not mapped (shown as unknown layers to replace):</p>
        <ul data-testid="import-unmapped">
          <For each={r().unmapped}>{(u) => <li data-op={u.op}><strong>{u.op}</strong> ×{u.count}: {u.nodes.join(', ')}</li>}</For>
        </ul>
      </Show>
      <Show when={r().weightsError}>{(m) => <p class="error" data-testid="import-weights-error">Its weights will not be kept: {m()}.</p>}</Show>
      <Show when={r().notes.length}>
        <ul class="muted" data-testid="import-notes">
          <For each={r().notes}>{(n) => <li>{n}</li>}</For>
        </ul>
      </Show>
    </>
  );
}

export function ImportModel(props: ImportModelProps) {
  const [state, setState] = createSignal<State>({ status: 'idle' });
  let input: HTMLInputElement | undefined;

  async function choose(list: FileList | null): Promise<void> {
    const picked = pickModel([...(list ?? [])]);
    if (input) input.value = ''; // picking the same file again reads it again
    if (!picked) return void setState({ status: 'failed', name: '', message: 'Choose an .onnx file, or a TF.js model.json together with its .bin weight files.' });
    const name = picked.model.name;
    setState({ status: 'reading', name });
    try {
      const reply = await props.client.importModel(picked.model, picked.side);
      if (!reply) return; // a newer import replaced this one
      setState(reply.ok ? { status: 'preview', result: reply } : { status: 'failed', name, message: reply.error.message });
    } catch (e) {
      setState({ status: 'failed', name, message: errorText(e) });
    }
  }

  async function confirm(result: ImportedModelReply): Promise<void> {
    setState({ status: 'saving', result });
    try {
      setState({ status: 'done', result, saved: await props.onConfirm(result) });
    } catch (e) {
      setState({ status: 'failed', name: result.fileName, message: errorText(e) });
    }
  }

  const st = <K extends State['status']>(k: K) => (state().status === k ? (state() as Extract<State, { status: K }>) : false);

  return (
    <div class="import-model" data-testid="import-model">
      <label>
        Import model (.onnx, model.json)…{' '}
        <input type="file" accept=".onnx,.json,.bin" multiple data-testid="import-file" ref={input} disabled={state().status === 'reading' || state().status === 'saving'} onChange={(e) => void choose(e.currentTarget.files)} />
      </label>
      <Switch>
        <Match when={st('reading')}>{(s) => <p class="muted" data-testid="import-busy">Reading {s().name}…</p>}</Match>
        <Match when={st('failed')}>
          {(s) => (
            <p class="error" role="alert" data-testid="import-error">
              {s().name ? `${s().name}: ` : ''}{s().message}
            </p>
          )}
        </Match>
        <Match when={st('preview') || st('saving')}>
          {(s) => (
            <div data-testid="import-preview" data-unmapped={String(s().result.unmapped.length)} data-layers={String(s().result.project.graph.nodes.length)}>
              <Preview result={s().result} />
              <button type="button" class="primary" data-testid="import-confirm" disabled={s().status === 'saving'} onClick={() => void confirm(s().result)}>
                Create project "{s().result.project.name}"
              </button>{' '}
              <button type="button" data-testid="import-cancel" disabled={s().status === 'saving'} onClick={() => setState({ status: 'idle' })}>
                Cancel
              </button>
            </div>
          )}
        </Match>
        <Match when={st('done')}>
          {(s) => (
            <p data-testid="import-result" data-project-id={s().saved.project.id} data-weights-kept={String(s().saved.checkpoint !== null)}>
              Opened <strong>{s().saved.project.name}</strong> ({s().result.project.graph.nodes.length} layers){s().saved.checkpoint ? ', its weights kept as an imported run' : ''}.
              <Show when={s().saved.weightsNotKept}>{(m) => <span class="error"> Its weights were not kept: {m()}.</span>}</Show>
            </p>
          )}
        </Match>
      </Switch>
    </div>
  );
}
