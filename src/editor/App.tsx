// The first page: the project open in this tab (kept on the device and autosaved), its layers
// with shapes, counts and diagnostics (params editable in place), training in a worker, and
// the project list and storage panel.
import { createMemo, createResource, createSignal, For, Show } from 'solid-js';
import { summarize } from '../engine/graph/summary.js';
import type { Project } from '../engine/project/types.js';
import { TEMPLATES } from '../engine/templates/index.js';
import { bytes, compact } from './format.js';
import { ModelExchange } from './export/ModelExchange.js';
import { LayerTable } from './LayerTable.js';
import { exportProject, importProject } from './storage/nfproj-actions.js';
import { ProjectFields } from './storage/ProjectFields.js';
import { ProjectList } from './storage/ProjectList.js';
import { QuotaBanner } from './storage/QuotaBanner.js';
import { ReadOnlyNotice } from './storage/ReadOnlyNotice.js';
import { SaveStatus } from './storage/SaveStatus.js';
import { StoragePanel } from './storage/StoragePanel.js';
import { openWorkspace, type Workspace } from './storage/workspace.js';
import { TrainingPanel } from './training/TrainingPanel.js';
import { EditorView } from './editor/EditorView.js';
import { TemplatesGallery } from './panels/TemplatesGallery.js';

type Panel = 'none' | 'projects' | 'storage' | 'templates';

export function App() {
  const [workspace] = createResource(openWorkspace);
  return (
    <main class="page">
      <Show
        when={workspace()}
        fallback={
          <Show when={workspace.error} fallback={<p class="muted" data-testid="opening">Opening your projects…</p>}>
            <p class="error" role="alert">Could not open NeuralForge: {String(workspace.error)}</p>
          </Show>
        }
      >
        {(ws) => <Studio ws={ws()} />}
      </Show>
    </main>
  );
}

function Studio(props: { ws: Workspace }) {
  const ws = props.ws;
  const [panel, setPanel] = createSignal<Panel>('none');
  const doc = () => ws.current();
  // The page always has a project once the workspace is open (it creates one on a first visit).
  const project = (): Project => doc()!.record().draft;
  const analysis = () => doc()!.analysis();
  const summary = createMemo(() => (doc() ? summarize(analysis(), project().training) : null));
  const toggle = (p: Panel) => setPanel(panel() === p ? 'none' : p);

  return (
    <>
      <header class="top">
        <h1>NeuralForge</h1>
        <Show when={doc()}>{(d) => <SaveStatus status={d().saveStatus()} mode={d().mode()} />}</Show>
        <nav class="top-actions">
          <label>
            New project from template{' '}
            <select
              data-testid="template-picker"
              onChange={(e) => {
                const id = e.currentTarget.value;
                e.currentTarget.value = ''; // choosing the same template again makes another project
                if (id) void ws.createFromTemplate(id);
              }}
            >
              <option value="" disabled selected>choose…</option>
              <For each={TEMPLATES}>{(t) => <option value={t.id}>{t.name}</option>}</For>
            </select>
          </label>
          <button type="button" data-testid="show-projects" aria-pressed={panel() === 'projects'} onClick={() => toggle('projects')}>Projects</button>
          <button type="button" data-testid="show-templates" aria-pressed={panel() === 'templates'} onClick={() => toggle('templates')}>Templates</button>
          <button type="button" data-testid="show-storage" aria-pressed={panel() === 'storage'} disabled={!ws.session} onClick={() => toggle('storage')}>Storage</button>
        </nav>
      </header>
      <Show when={ws.unavailable}>
        <div class="banner error-banner" role="alert">Nothing can be saved on this device: {ws.unavailable} Your work stays in this tab only.</div>
      </Show>
      <Show when={panel() === 'projects'}>
        <ProjectList workspace={ws} onImport={(f) => importProject(ws, f)} onExport={(id, choice) => exportProject(ws, id, choice)} />
      </Show>
      <Show when={panel() === 'templates'}>
        <TemplatesGallery onOpen={(id) => { setPanel('none'); void ws.createFromTemplate(id); }} />
      </Show>
      <Show when={panel() === 'storage' && ws.session}>
        {(s) => <StoragePanel session={s()} revision={ws.revision()} onChanged={() => void ws.refresh()} />}
      </Show>
      <Show when={doc()}>
        {(d) => (
          <>
            <QuotaBanner status={d().saveStatus()} onFreeSpace={() => setPanel('storage')} onRetry={() => void d().flush()} />
            <ReadOnlyNotice mode={d().mode()} newer={d().record().readOnly === true} refusal={d().refusal()} onTakeOver={() => d().takeOver()} />
            <ProjectFields doc={d()} />
            <section class="totals" data-testid="totals">
              <span>{compact(summary()!.totals.params)} params ({compact(summary()!.totals.nonTrainableParams)} non-trainable)</span>
              <span>{compact(summary()!.totals.flops, 'FLOPs')} per sample</span>
              <span>
                training memory {bytes(summary()!.trainingMemory.totalBytes)} at batch {summary()!.trainingMemory.batchSize} ({summary()!.trainingMemory.optimizer})
              </span>
            </section>
            <Show when={analysis().diagnostics.length > 0}>
              <ul class="diagnostics" data-testid="diagnostics">
                <For each={analysis().diagnostics}>
                  {(diag) => (
                    <li class={diag.severity}>
                      <strong>{diag.nodeId ?? 'graph'}</strong>: {diag.message}. {diag.suggestion}
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </>
        )}
      </Show>
      <Show when={doc()} keyed>{(d) => <EditorView doc={d} batchSize={() => summary()?.trainingMemory.batchSize ?? 32} />}</Show>
      <Show when={doc()}>
        <TrainingPanel project={project} projectId={() => (ws.session ? (doc()?.id ?? null) : null)} selectedRunId={() => doc()?.record().ui.selectedRunId ?? null} onSelectRun={(id) => void doc()?.selectRun(id)} onRunVersion={(v) => void doc()?.setHead(v)} onTraining={(t) => doc()?.setTraining(t) ?? false} analysis={analysis} />
      </Show>
      <Show when={doc()}>
        <ModelExchange ws={ws} project={project} />
      </Show>
      <Show when={doc()}>
        {(d) => (
          <>
            <h2>Layers</h2>
            <LayerTable nodes={project().graph.nodes} analysis={analysis()} readOnly={!d().canEdit()} onParams={(id, params) => d().setParams(id, params)} />
          </>
        )}
      </Show>
    </>
  );
}
