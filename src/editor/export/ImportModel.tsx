// Import a model from elsewhere: an ONNX file, or a TF.js model.json picked with its weight
// files. The worker maps it to a project; its unmapped ops and notes are listed here, and it
// opens as the current project (with its weights, for export).
import { createSignal, For, Match, Show, Switch } from 'solid-js';
import type { Project } from '../../engine/project/types.js';
import type { ImportReply, WeightsPayload } from '../../workers/exporter-api.js';
import type { ExporterClient } from './exporter-client.js';

type Imported = Extract<ImportReply, { ok: true }>;

type State =
  | { readonly status: 'idle' }
  | { readonly status: 'importing'; readonly name: string }
  | { readonly status: 'done'; readonly name: string; readonly result: Imported }
  | { readonly status: 'failed'; readonly name: string; readonly message: string };

export interface ImportModelProps {
  readonly client: ExporterClient;
  /** Makes the imported project the current one; its weights go with it. */
  readonly onImported: (project: Project, weights: WeightsPayload) => Promise<void>;
}

/** The model file among the picked ones (.onnx, else the .json), and the rest as its weight files. */
export function pickModel(files: readonly File[]): { model: File; side: File[] } | null {
  const model = files.find((f) => /\.onnx$/i.test(f.name)) ?? files.find((f) => /\.json$/i.test(f.name));
  return model ? { model, side: files.filter((f) => f !== model) } : null;
}

export function ImportModel(props: ImportModelProps) {
  const [state, setState] = createSignal<State>({ status: 'idle' });

  async function choose(list: FileList | null): Promise<void> {
    const picked = pickModel([...(list ?? [])]);
    if (!picked) {
      setState({ status: 'failed', name: '', message: 'Choose an .onnx file, or a TF.js model.json together with its .bin weight files.' });
      return;
    }
    const name = picked.model.name;
    setState({ status: 'importing', name });
    try {
      const reply = await props.client.importModel(picked.model, picked.side);
      if (!reply) return; // a newer import replaced this one
      if (!reply.ok) {
        setState({ status: 'failed', name, message: reply.error.message });
        return;
      }
      await props.onImported(reply.project, { kind: 'nodes', nodes: reply.weights });
      setState({ status: 'done', name, result: reply });
    } catch (e) {
      setState({ status: 'failed', name, message: e instanceof Error ? e.message : String(e) });
    }
  }

  return (
    <section class="import-model" data-testid="import-model">
      <h2>Import a model</h2>
      <label>
        ONNX file, or TF.js model.json with its weight files{' '}
        <input type="file" accept=".onnx,.json,.bin" multiple data-testid="import-file" onChange={(e) => void choose(e.currentTarget.files)} />
      </label>
      <Switch>
        <Match when={state().status === 'importing'}>
          <p class="muted" data-testid="import-busy">Reading {(state() as Extract<State, { status: 'importing' }>).name}…</p>
        </Match>
        <Match when={state().status === 'failed' && (state() as Extract<State, { status: 'failed' }>)}>
          {(s) => (
            <p class="error" role="alert" data-testid="import-error">
              {s().name ? `${s().name}: ` : ''}{s().message}
            </p>
          )}
        </Match>
        <Match when={state().status === 'done' && (state() as Extract<State, { status: 'done' }>)}>
          {(s) => (
            <div data-testid="import-result" data-unmapped={String(s().result.unmapped.length)}>
              <p>
                Opened <strong>{s().result.project.name}</strong> ({s().result.project.graph.nodes.length} layers, from {s().result.source === 'onnx' ? 'ONNX' : 'TF.js'}).
              </p>
              <Show when={s().result.unmapped.length}>
                <p class="error">Not mapped (shown as unknown layers to replace):</p>
                <ul data-testid="import-unmapped">
                  <For each={s().result.unmapped}>{(u) => <li><strong>{u.op}</strong> ×{u.count}: {u.nodes.join(', ')}</li>}</For>
                </ul>
              </Show>
              <Show when={s().result.notes.length}>
                <ul class="muted" data-testid="import-notes">
                  <For each={s().result.notes}>{(n) => <li>{n}</li>}</For>
                </ul>
              </Show>
            </div>
          )}
        </Match>
      </Switch>
    </section>
  );
}
