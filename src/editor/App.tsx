// The page: a header with the open project's name, save status and the view links, then one
// view per route (projects, editor, runs, datasets, export, storage), each shown alone. The
// editor holds the model and its training (a dock tab), the Runs view the stored runs' curves;
// both draw one TrainingSession that lives as long as the page, so switching views never stops a
// run. The editor and export views stay mounted and are only hidden; the others mount when shown.
import { createMemo, createResource, createSignal, For, onCleanup, Show, type JSX } from 'solid-js';
import { summarize } from '../engine/graph/summary.js';
import type { Project } from '../engine/project/types.js';
import { TEMPLATES } from '../engine/templates/index.js';
import { ModelExchange } from './export/ModelExchange.js';
import { NavBar } from './NavBar.js';
import { ProjectShare } from './share/ProjectShare.js';
import { createHashRouter, type Route } from './router.js';
import { exportProject, importProject } from './storage/nfproj-actions.js';
import { saveBeforeUpdate, trackTraining } from './pwa/app-activity.js';
import { ProjectFields } from './storage/ProjectFields.js';
import type { ProjectDoc } from './storage/project-doc.js';
import { ProjectList } from './storage/ProjectList.js';
import { QuotaBanner } from './storage/QuotaBanner.js';
import { ReadOnlyNotice } from './storage/ReadOnlyNotice.js';
import { SaveStatus } from './storage/SaveStatus.js';
import { StoragePanel } from './storage/StoragePanel.js';
import { openWorkspace, type Workspace } from './storage/workspace.js';
import { createTrainingSession } from './training/training-session.js';
import { autoLogEndedRun } from './tracking/mlflow-store.js';
import { TrainingPanel } from './training/TrainingPanel.js';
import { EditorView } from './editor/EditorView.js';
import { TemplatesGallery } from './panels/TemplatesGallery.js';
import { DatasetsView } from './views/DatasetsView.js';
import type { DockTab } from './views/Dock.js';
import { LayersPanel } from './views/LayersPanel.js';
import { RunsView } from './views/RunsView.js';

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

/** One route's view; hidden (display: none) unless its route is open. */
function View(props: { route: Route; current: Route; children: JSX.Element }) {
  return (
    <div class={`view view-${props.route}`} data-testid={`view-${props.route}`} hidden={props.current !== props.route}>
      {props.children}
    </div>
  );
}

function Studio(props: { ws: Workspace }) {
  const ws = props.ws;
  const router = createHashRouter(window);
  onCleanup(router.dispose);
  const route = router.route;
  const doc = () => ws.current();
  // The page always has a project once the workspace is open (it creates one on a first visit).
  const project = (): Project => doc()!.record().draft;
  const analysis = () => doc()!.analysis();
  const summary = createMemo(() => (doc() ? summarize(analysis(), project().training) : null));
  // The canvas fits the graph to its size when it mounts, so it mounts only while the editor is
  // shown (a hidden pane measures 0×0); once mounted it stays, hidden, when other views open.
  const editorDoc = createMemo<ProjectDoc | null>((prev) => {
    const d = doc() ?? null;
    return route() === 'editor' || prev === d ? d : null;
  }, null);
  const session = createTrainingSession({
    project,
    projectId: () => (ws.session ? (doc()?.id ?? null) : null),
    selectedRunId: () => doc()?.record().ui.selectedRunId ?? null,
    onSelectRun: (id) => void doc()?.selectRun(id),
    onRunVersion: (v) => void doc()?.setHead(v),
    onTraining: (t) => doc()?.setTraining(t) ?? false,
    analysis,
    onRunEnded: autoLogEndedRun,
  });
  // The update prompt (src/editor/pwa/) waits while a run is live, and saves the open project before reloading.
  trackTraining(session.busy);
  onCleanup(saveBeforeUpdate(async () => (await doc()?.flush()) ?? true));
  // The open dock tab outlives the editor view, which is rebuilt for each project.
  const [dockTab, setDockTab] = createSignal('properties');
  const dockTabs = (d: ProjectDoc): DockTab[] => [
    // Mounted only while the editor is shown: the Runs view draws the same run with the same test ids.
    { id: 'training', label: 'Training', width: 480, render: () => <Show when={route() === 'editor'}><TrainingPanel session={session} /></Show> },
    { id: 'layers', label: 'Layers', width: 600, render: () => <Show when={summary()}>{(sm) => <LayersPanel doc={d} summary={sm()} />}</Show> },
  ];
  /** A new project opens in the editor. */
  const openTemplate = (id: string) => {
    void ws.createFromTemplate(id);
    router.go('editor');
  };

  return (
    <div class="studio" data-route={route()}>
      <header class="top">
        <h1>NeuralForge</h1>
        <Show when={doc()}>{(d) => <SaveStatus status={d().saveStatus()} mode={d().mode()} />}</Show>
        <NavBar route={route()} disabled={ws.session ? [] : ['storage']} />
        <div class="top-actions">
          <label>
            New from template{' '}
            <select
              data-testid="template-picker"
              onChange={(e) => {
                const id = e.currentTarget.value;
                e.currentTarget.value = ''; // choosing the same template again makes another project
                if (id) openTemplate(id);
              }}
            >
              <option value="" disabled selected>choose…</option>
              <For each={TEMPLATES}>{(t) => <option value={t.id}>{t.name}</option>}</For>
            </select>
          </label>
          <button type="button" data-testid="show-templates" onClick={() => {
            router.go('projects');
            queueMicrotask(() => document.getElementById('templates')?.scrollIntoView());
          }}>Templates</button>
        </div>
      </header>
      <Show when={ws.unavailable}>
        <div class="banner error-banner" role="alert">Nothing can be saved on this device: {ws.unavailable} Your work stays in this tab only.</div>
      </Show>
      <Show when={doc()}>
        {(d) => (
          <>
            <QuotaBanner status={d().saveStatus()} onFreeSpace={() => router.go('storage')} onRetry={() => void d().flush()} />
            <ReadOnlyNotice mode={d().mode()} newer={d().record().readOnly === true} refusal={d().refusal()} onTakeOver={() => d().takeOver()} />
          </>
        )}
      </Show>

      {/* The open project's name and description, editable from every view. */}
      {/* Share sits with the project it shares (the header row has no width to spare at 1280 px). */}
      <Show when={doc()}>
        {(d) => (
          <div class="open-project-bar">
            <ProjectFields doc={d()} />
            <ProjectShare ws={ws} />
          </div>
        )}
      </Show>
      {/* On the editor route the views fill the rest of the viewport exactly; other routes scroll the page. */}
      <div class="views">
        <View route="projects" current={route()}>
          {/* Opening a project from the list shows it in the editor; an import stays here, with its report. */}
          <Show when={route() === 'projects'}>
            <div class="projects-view" onClick={(e) => {
              if (e.target instanceof Element && e.target.closest('.project-open')) router.go('editor');
            }}>
              <ProjectList workspace={ws} onImport={(f) => importProject(ws, f)} onExport={(id, choice) => exportProject(ws, id, choice)} />
              <div id="templates">
                <TemplatesGallery onOpen={openTemplate} />
              </div>
            </div>
          </Show>
        </View>

        <View route="editor" current={route()}>
          {/* Exactly the view's height, so the canvas fills the space between header and status bar. */}
          <div class="editor-main">
            <Show when={editorDoc()} keyed>
              {(d) => <EditorView doc={d} batchSize={() => summary()?.trainingMemory.batchSize ?? 32} dockTabs={dockTabs(d)} dockTab={dockTab} onDockTab={setDockTab} />}
            </Show>
          </div>
        </View>

        <View route="runs" current={route()}>
          <Show when={route() === 'runs' && doc()}>
            <RunsView session={session} />
          </Show>
        </View>

        <View route="datasets" current={route()}>
          <Show when={route() === 'datasets'}>
            <DatasetsView session={ws.session ?? null} revision={ws.revision()} training={doc() ? project().training : undefined} />
          </Show>
        </View>

        <View route="export" current={route()}>
          <Show when={doc()}>
            <ModelExchange ws={ws} project={project} />
          </Show>
        </View>

        <View route="storage" current={route()}>
          <Show when={route() === 'storage' && ws.session}>
            {(s) => <StoragePanel session={s()} revision={ws.revision()} onChanged={() => void ws.refresh()} />}
          </Show>
        </View>
      </div>
    </div>
  );
}
