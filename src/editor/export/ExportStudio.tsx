// The export studio: pick a format, export the open project in the exporter worker (ONNX and the
// serving bundle are validated there with onnxruntime-web), see the validation report and the
// size, and download the files.
import { createSignal, For, Match, Show, Switch } from 'solid-js';
import type { ExportFile, ExportFormat, UnsupportedNode, ValidationReport as Report } from '../../engine/export/types.js';
import { EXPORT_FORMATS } from '../../engine/export/types.js';
import type { Project } from '../../engine/project/types.js';
import type { WeightsPayload } from '../../workers/exporter-api.js';
import { bytes } from '../format.js';
import { packFiles, saveAs } from './download.js';
import type { ExporterClient } from './exporter-client.js';
import { ValidationReport } from './ValidationReport.js';

/** What each format gives, in the picker. */
export const FORMAT_LABELS: Readonly<Record<ExportFormat, string>> = {
  onnx: 'ONNX (opset 17), validated with onnxruntime-web',
  tfjs: 'TF.js layers model (model.json + weights)',
  pytorch: 'PyTorch (model.py + weights)',
  keras: 'Keras (Python code + weights)',
  notebook: 'Jupyter notebook',
  bundle: 'Serving bundle: ONNX + FastAPI + Dockerfile (zip)',
};

type State =
  | { readonly status: 'idle' }
  | { readonly status: 'exporting'; readonly format: ExportFormat }
  | { readonly status: 'done'; readonly format: ExportFormat; readonly source: Project; readonly projectName: string; readonly files: readonly ExportFile[]; readonly report: Report | null; readonly bytes: number; readonly ms: number }
  | { readonly status: 'failed'; readonly message: string; readonly unsupported: readonly UnsupportedNode[] };

export interface ExportStudioProps {
  readonly project: () => Project;
  /** Weights to export; null exports the project's seeded initial weights. */
  readonly weights: () => WeightsPayload | null;
  readonly client: ExporterClient;
}

export function ExportStudio(props: ExportStudioProps) {
  const [format, setFormat] = createSignal<ExportFormat>('onnx');
  const [state, setState] = createSignal<State>({ status: 'idle' });

  async function run(): Promise<void> {
    const f = format();
    const project = props.project();
    setState({ status: 'exporting', format: f });
    try {
      const reply = await props.client.export(project, props.weights(), f);
      if (!reply) return; // a newer export replaced this one
      setState(reply.ok ? { status: 'done', format: f, source: project, projectName: project.name, files: reply.files, report: reply.report, bytes: reply.bytes, ms: reply.ms } : { status: 'failed', message: reply.error.message, unsupported: reply.unsupported });
    } catch (e) {
      setState({ status: 'failed', message: e instanceof Error ? e.message : String(e), unsupported: [] });
    }
  }

  async function download(s: Extract<State, { status: 'done' }>): Promise<void> {
    const { name, bytes: data } = await packFiles(s.files, s.projectName, s.format);
    saveAs(data, name);
  }

  return (
    <section class="export-studio" data-testid="export-studio">
      <h2>Export</h2>
      <div class="controls">
        <label>
          Format{' '}
          <select data-testid="export-format" value={format()} onChange={(e) => setFormat(e.currentTarget.value as ExportFormat)}>
            <For each={EXPORT_FORMATS}>{(f) => <option value={f}>{FORMAT_LABELS[f]}</option>}</For>
          </select>
        </label>
        <button type="button" class="primary" data-testid="export-run" disabled={state().status === 'exporting'} onClick={() => void run()}>
          Export
        </button>
        <span class="muted" data-testid="export-weights">{props.weights() ? 'with imported weights' : 'with the initial (seeded) weights'}</span>
      </div>
      <Switch>
        <Match when={state().status === 'exporting'}>
          <p class="muted" data-testid="export-busy">Exporting to {FORMAT_LABELS[format()]}…</p>
        </Match>
        <Match when={state().status === 'failed' && (state() as Extract<State, { status: 'failed' }>)}>
          {(s) => (
            <div class="export-error" role="alert" data-testid="export-error">
              <p class="error">{s().message}</p>
              <Show when={s().unsupported.length}>
                <ul>
                  <For each={s().unsupported}>{(u) => <li><strong>{u.nodeId}</strong> ({u.kind}): {u.reason}</li>}</For>
                </ul>
              </Show>
            </div>
          )}
        </Match>
        <Match when={state().status === 'done' && (state() as Extract<State, { status: 'done' }>)}>
          {(s) => (
            <div class="export-result" data-testid="export-result" data-format={s().format}>
              <p data-testid="export-size">
                {s().files.length} file{s().files.length === 1 ? '' : 's'}, {bytes(s().bytes)} ({(s().ms / 1000).toFixed(1)} s):{' '}
                <span class="muted">{s().files.map((f) => f.path).join(', ')}</span>
              </p>
              <Show when={props.project() !== s().source}>
                <p class="muted" data-testid="export-stale">The project changed after this export; export again to include the changes.</p>
              </Show>
              <Show when={s().report}>{(r) => <ValidationReport report={r()} />}</Show>
              <button type="button" class="primary" data-testid="export-download" onClick={() => void download(s())}>
                Download
              </button>
            </div>
          )}
        </Match>
      </Switch>
    </section>
  );
}
