// The graph editor: a toolbar, then palette | canvas | dock with the status bar below; the dock's
// tabs are Properties and whatever the page adds (Training, Layers).
// Builds the one EditorContext the parts share from the open project document, with undo
// history (kept per project in localStorage) and the keyboard shortcuts of the command table.
import { createSignal, onCleanup, onMount, Show } from 'solid-js';
import type { NodeId } from '../../engine/ids.js';
import type { Position } from '../../engine/project/types.js';
import { Canvas } from '../canvas/Canvas.js';
import { downloadDiagram } from '../canvas/diagram-export.js';
import { COMMANDS, type CommandEnv, type CommandId, type DiagramExport } from '../graph-edit/commands.js';
import { attachHistory, layoutIfUnplaced, type EditorHistory } from '../graph-edit/editor-history.js';
import { EditorToolbar } from '../graph-edit/EditorToolbar.js';
import { HelpOverlay } from '../graph-edit/HelpOverlay.js';
import type { KeyValueStore } from '../graph-edit/history-store.js';
import { shortcutHandler } from '../graph-edit/shortcuts.js';
import { systemClipboard } from '../graph-edit/system-clipboard.js';
import { Palette } from '../panels/Palette.js';
import { Properties } from '../panels/Properties.js';
import { StatusBar } from '../panels/StatusBar.js';
import type { ProjectDoc } from '../storage/project-doc.js';
import { Dock, dockWidth, type DockTab } from '../views/Dock.js';
import type { EditorContext, ViewActions } from './context.js';
import '../graph-edit/graph-edit.css';
import './editor.css';

/** View actions the canvas fills in when it mounts; harmless no-ops before that. */
function viewRegistry(): { view: ViewActions; register(impl: ViewActions): void; registered(): ViewActions | null } {
  let impl: ViewActions | null = null;
  return {
    view: {
      fitView: () => impl?.fitView(),
      focusNode: (id: NodeId) => impl?.focusNode(id),
      centre: (): Position => impl?.centre() ?? { x: 0, y: 0 },
      zoomIn: () => impl?.zoomIn?.(),
      zoomOut: () => impl?.zoomOut?.(),
    },
    register: (v) => (impl = v),
    registered: () => impl,
  };
}

/** localStorage, or undefined where the page may not use it (sandboxed frames throw on access). */
function pageStorage(): KeyValueStore | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

export type EditorContextHandle = EditorContext & {
  registerView(v: ViewActions): void;
  /** The canvas's own view actions once it has mounted. */
  registeredView(): ViewActions | null;
  readonly history: EditorHistory;
};

/**
 * The editor's context over `doc`. A graph whose nodes have no positions (an imported file) is
 * laid out first, outside the undo history; then every graph edit of the document is recorded.
 */
export function createEditorContext(doc: ProjectDoc, batchSize: () => number, options: { storage?: KeyValueStore } = {}): EditorContextHandle {
  const [selection, setSelection] = createSignal<readonly NodeId[]>([]);
  const views = viewRegistry();
  layoutIfUnplaced(doc);
  const history = attachHistory(doc, { storage: 'storage' in options ? options.storage : pageStorage() });
  const graph = () => doc.record().draft.graph;
  const select = (ids: readonly NodeId[]) => setSelection(ids);
  // Undo may remove selected nodes: keep the selection to nodes that still exist.
  const prune = () => {
    const present = new Set(graph().nodes.map((n) => n.id));
    if (selection().some((id) => !present.has(id))) setSelection(selection().filter((id) => present.has(id)));
  };
  return {
    graph,
    analysis: doc.analysis,
    canEdit: () => doc.canEdit(),
    selection,
    select,
    apply: (changes, label) => history.apply(changes, label),
    undo: () => void (history.undo() && prune()),
    redo: () => void (history.redo() && prune()),
    canUndo: history.canUndo,
    canRedo: history.canRedo,
    insertPosition: () => views.view.centre(),
    view: views.view,
    batchSize,
    registerView: views.register,
    registeredView: views.registered,
    history,
  };
}

/** The diagram of the open graph as a download named after the project. */
function diagramExport(ctx: EditorContext, name: () => string): DiagramExport {
  const base = () => name().replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '') || 'model-diagram';
  return {
    exportSvg: () => downloadDiagram(ctx.graph(), ctx.analysis(), 'svg', base()),
    exportPng: () => downloadDiagram(ctx.graph(), ctx.analysis(), 'png', base()),
  };
}

export interface EditorViewProps {
  readonly doc: ProjectDoc;
  readonly batchSize: () => number;
  /** Dock tabs after Properties. */
  readonly dockTabs?: readonly DockTab[];
  /** The open dock tab, when the page keeps it (so it outlives this view); else the view keeps its own. */
  readonly dockTab?: () => string;
  readonly onDockTab?: (id: string) => void;
}

export function EditorView(props: EditorViewProps) {
  const ctx = createEditorContext(props.doc, props.batchSize);
  const [ownTab, setOwnTab] = createSignal('properties');
  const tabs: readonly DockTab[] = [{ id: 'properties', label: 'Properties', width: 280, render: () => <Properties ctx={ctx} /> }, ...(props.dockTabs ?? [])];
  const tab = () => props.dockTab?.() ?? ownTab();
  const selectTab = (id: string) => (props.onDockTab ? props.onDockTab(id) : setOwnTab(id));
  const [help, setHelp] = createSignal(false);
  const [notice, setNotice] = createSignal<string | null>(null);
  let shell: HTMLDivElement | undefined;
  let noticeTimer: ReturnType<typeof setTimeout> | undefined;
  const env: CommandEnv = {
    editor: ctx,
    clipboard: systemClipboard(typeof navigator === 'undefined' ? undefined : navigator.clipboard),
    canvas: ctx.registeredView,
    diagram: diagramExport(ctx, () => props.doc.record().name),
    ui: {
      toggleHelp: () => setHelp(!help()),
      focusPaletteSearch() {
        const search = shell?.querySelector<HTMLInputElement>('[data-testid=palette-search]');
        search?.focus();
        return search !== undefined && search !== null;
      },
      notify(message) {
        setNotice(message);
        clearTimeout(noticeTimer);
        noticeTimer = setTimeout(() => setNotice(null), 6000);
      },
    },
  };
  const onKey = shortcutHandler(COMMANDS, env);
  const flush = () => ctx.history.flush();
  onMount(() => {
    shell?.addEventListener('keydown', onKey);
    window.addEventListener('pagehide', flush);
  });
  onCleanup(() => {
    shell?.removeEventListener('keydown', onKey);
    window.removeEventListener('pagehide', flush);
    clearTimeout(noticeTimer);
    ctx.history.dispose();
  });
  // "Undo Delete 2 layers": what the undo and redo buttons would do.
  const detail = (id: CommandId): string | null => {
    const label = id === 'undo' ? ctx.history.undoLabel() : id === 'redo' ? ctx.history.redoLabel() : null;
    return label === null ? null : `${id === 'undo' ? 'Undo' : 'Redo'} ${label}`;
  };
  return (
    // Focusable, so a click anywhere in the editor gives it the keyboard.
    <div class="editor-shell" tabindex="0" ref={shell} data-testid="editor-shell">
      <EditorToolbar env={env} notice={notice()} detail={detail} />
      <section class="editor" style={{ 'grid-template-columns': `220px minmax(0, 1fr) ${dockWidth(tabs, tab())}px` }} data-testid="editor">
        <aside class="editor-palette"><Palette ctx={ctx} /></aside>
        <div class="editor-canvas"><Canvas ctx={ctx} registerView={ctx.registerView} /></div>
        <aside class="editor-properties"><Dock tabs={tabs} selected={tab()} onSelect={selectTab} /></aside>
        <footer class="editor-status"><StatusBar ctx={ctx} /></footer>
      </section>
      <Show when={help()}>
        <HelpOverlay commands={COMMANDS} env={env} onClose={() => {
          setHelp(false);
          shell?.focus();
        }} />
      </Show>
    </div>
  );
}
