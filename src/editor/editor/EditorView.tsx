// The graph editor: palette | canvas | properties, with the status bar below. Builds the one
// EditorContext the parts share from the open project document.
import { createSignal } from 'solid-js';
import type { NodeId } from '../../engine/ids.js';
import type { Position } from '../../engine/project/types.js';
import { Canvas } from '../canvas/Canvas.js';
import { Palette } from '../panels/Palette.js';
import { Properties } from '../panels/Properties.js';
import { StatusBar } from '../panels/StatusBar.js';
import type { ProjectDoc } from '../storage/project-doc.js';
import type { EditorContext, ViewActions } from './context.js';
import './editor.css';

/** View actions the canvas fills in when it mounts; harmless no-ops before that. */
function viewRegistry(): { view: ViewActions; register(impl: ViewActions): void } {
  let impl: ViewActions | null = null;
  return {
    view: {
      fitView: () => impl?.fitView(),
      focusNode: (id: NodeId) => impl?.focusNode(id),
      centre: (): Position => impl?.centre() ?? { x: 0, y: 0 },
    },
    register: (v) => (impl = v),
  };
}

export function createEditorContext(doc: ProjectDoc, batchSize: () => number): EditorContext & { registerView(v: ViewActions): void } {
  const [selection, setSelection] = createSignal<readonly NodeId[]>([]);
  const views = viewRegistry();
  return {
    graph: () => doc.record().draft.graph,
    analysis: doc.analysis,
    canEdit: () => doc.canEdit(),
    selection,
    select: (ids) => setSelection(ids),
    apply: (changes, _label) => doc.applyChanges(changes),
    undo: () => {},
    redo: () => {},
    canUndo: () => false,
    canRedo: () => false,
    insertPosition: () => views.view.centre(),
    view: views.view,
    batchSize,
    registerView: views.register,
  };
}

export function EditorView(props: { doc: ProjectDoc; batchSize: () => number }) {
  const ctx = createEditorContext(props.doc, props.batchSize);
  return (
    <section class="editor" data-testid="editor">
      <aside class="editor-palette"><Palette ctx={ctx} /></aside>
      <div class="editor-canvas"><Canvas ctx={ctx} /></div>
      <aside class="editor-properties"><Properties ctx={ctx} /></aside>
      <footer class="editor-status"><StatusBar ctx={ctx} /></footer>
    </section>
  );
}
