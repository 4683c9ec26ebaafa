// The export studio: pick a format and the weights (initial, or any stored checkpoint: the
// selected run's best by default), export in the exporter worker (ONNX and the serving bundle
// are validated there with onnxruntime-web), see the validation report and the size, download
// the files; every export is recorded in the project's history, shown below.
import { createEffect, createSignal, For, Match, on, Show, Switch } from 'solid-js';
import type { ExportFile, ExportFormat, UnsupportedNode, ValidationReport as Report } from '../../engine/export/types.js';
import { EXPORT_FORMATS } from '../../engine/export/types.js';
import type { Project } from '../../engine/project/types.js';
import { recordExport, versionOfGraph } from '../../storage/export-history.js';
import type { ProjectId, RunId, StorageDb } from '../../storage/types.js';
import type { ExportReply, WeightsPayload } from '../../workers/exporter-api.js';
import { bytes } from '../format.js';
import { downloadName, packFiles, saveAs } from './download.js';
import type { ExporterClient } from './exporter-client.js';
import { ExportHistory } from './ExportHistory.js';
import { ValidationReport } from './ValidationReport.js';
import { loadRunCheckpoints, resolveSelection, type RunCheckpoints, type WeightsSelection } from './weight-choices.js';
import { WeightsPicker } from './WeightsPicker.js';

/** What each format gives, in the picker. */
export const FORMAT_LABELS: Readonly<Record<ExportFormat, string>> = {
  onnx: 'ONNX (opset 17), validated with onnxruntime-web',
  tfjs: 'TF.js layers model (model.json + weights)',
  pytorch: 'PyTorch (model.py + weights)',
  keras: 'Keras (Python code + weights)',
  notebook: 'Jupyter notebook',
  bundle: 'Serving bundle: ONNX + FastAPI + Dockerfile (zip)',
};

type Done = Extract<ExportReply, { ok: true }> & { readonly format: ExportFormat; readonly source: Project; readonly weightsKey: string; readonly projectName: string };

type State =
  | { readonly status: 'idle' }
  | { readonly status: 'exporting'; readonly format: ExportFormat }
  | ({ readonly status: 'done' } & Done)
  | { readonly status: 'failed'; readonly message: string; readonly unsupported: readonly UnsupportedNode[] };

export interface ExportStudioProps {
  readonly project: () => Project;
  readonly projectId: ProjectId;
  /** The run selected in the training panel: its best checkpoint is the default weights. */
  readonly selectedRunId: () => RunId | null;
  /** Changes when storage changed here or in another tab: the stored runs are re-read. */
  readonly revision: () => number;
  /** Null when nothing is stored on this device: only the initial weights, and no history. */
  readonly db: StorageDb | null;
  readonly client: ExporterClient;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function ExportStudio(props: ExportStudioProps) {
  const [format, setFormat] = createSignal<ExportFormat>('onnx');
  const [state, setState] = createSignal<State>({ status: 'idle' });
  const [rows, setRows] = createSignal<readonly RunCheckpoints[]>([]);
  const [selection, setSelection] = createSignal<WeightsSelection>({ kind: 'default' });
  const [notice, setNotice] = createSignal<string | null>(null);
  const [recorded, setRecorded] = createSignal(0);
  const chosen = () => resolveSelection(selection(), rows(), props.selectedRunId());
  const weightsKey = () => chosen()?.checkpoint.id ?? 'initial';
  let reads = 0;

  /** Re-reads the project's runs and checkpoints (a run may have finished since). */
  async function refreshRows(): Promise<void> {
    if (!props.db) return;
    const n = ++reads;
    try {
      const r = await loadRunCheckpoints(props.db, props.projectId);
      if (n === reads) setRows(r);
    } catch (e) {
      setNotice(`could not read the stored runs: ${errorText(e)}`);
    }
  }
  createEffect(on([props.revision, props.selectedRunId], () => void refreshRows()));

  async function record(reply: Done): Promise<void> {
    const db = props.db;
    if (!db) return;
    try {
      const versionId = reply.versionId ?? (await versionOfGraph(db, props.projectId, reply.source.graph));
      const fileName = downloadName(reply.files, reply.projectName, reply.format);
      await recordExport(db, { projectId: props.projectId, format: reply.format, versionId, weights: reply.weights, validation: reply.report, bytes: reply.bytes, fileName });
      setRecorded((n) => n + 1);
    } catch (e) {
      setNotice(`The export worked but was not added to the history: ${errorText(e)}`);
    }
  }

  async function run(): Promise<void> {
    const f = format();
    setNotice(null);
    setState({ status: 'exporting', format: f });
    await refreshRows(); // the default follows a run that finished since the last read
    const project = props.project();
    const c = chosen();
    const payload: WeightsPayload | null = c ? { kind: 'checkpoint', checkpointId: c.checkpoint.id } : null;
    try {
      const reply = await props.client.export(project, payload, f);
      if (!reply) return; // a newer export replaced this one
      if (!reply.ok) return void setState({ status: 'failed', message: reply.error.message, unsupported: reply.unsupported });
      const done: Done = { ...reply, format: f, source: project, weightsKey: c?.checkpoint.id ?? 'initial', projectName: project.name };
      setState({ status: 'done', ...done });
      await record(done);
    } catch (e) {
      setState({ status: 'failed', message: errorText(e), unsupported: [] });
    }
  }

  async function download(s: Done): Promise<void> {
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
      </div>
      <WeightsPicker rows={rows()} chosen={chosen()} onSelect={setSelection} onFocus={() => void refreshRows()} db={props.db} graph={() => props.project().graph} />
      <Show when={notice()}>{(m) => <p class="error" role="alert" data-testid="export-notice">{m()}</p>}</Show>
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
            <div class="export-result" data-testid="export-result" data-format={s().format} data-weights={s().weights.kind} data-version-id={s().versionId ?? ''}>
              <p data-testid="export-size">
                {s().files.length} file{s().files.length === 1 ? '' : 's'}, {bytes(s().bytes)} ({(s().ms / 1000).toFixed(1)} s):{' '}
                <span class="muted">{s().files.map((f: ExportFile) => f.path).join(', ')}</span>
              </p>
              <Show when={props.project() !== s().source || weightsKey() !== s().weightsKey}>
                <p class="muted" data-testid="export-stale">The project or the weights changed after this export; export again to include the changes.</p>
              </Show>
              <Show when={s().report}>{(r: () => Report) => <ValidationReport report={r()} />}</Show>
              <button type="button" class="primary" data-testid="export-download" onClick={() => void download(s())}>
                Download
              </button>
            </div>
          )}
        </Match>
      </Switch>
      <Show when={props.db}>{(db) => <ExportHistory db={db()} projectId={props.projectId} revision={() => recorded() + props.revision()} />}</Show>
    </section>
  );
}
