// An EditorContext over a project that is only looked at (a shared link, an embed): the canvas
// draws it with its shapes, selection works, and every edit is refused.
import { createMemo, createSignal } from 'solid-js';
import { analyzeGraph } from '../../engine/graph/analyze.js';
import type { NodeId } from '../../engine/ids.js';
import type { Project } from '../../engine/project/types.js';
import type { EditorContext } from '../editor/context.js';

/**
 * A context whose `apply` always refuses and `canEdit` is false; analysis runs once per project.
 * Call inside a Solid owner (a component).
 */
export function readOnlyEditorContext(project: () => Project): EditorContext {
  const [selection, setSelection] = createSignal<readonly NodeId[]>([]);
  const graph = () => project().graph;
  const analysis = createMemo(() => analyzeGraph(graph()));
  const no = () => false;
  return {
    graph,
    analysis,
    canEdit: no,
    selection,
    select: (ids) => setSelection(ids),
    apply: () => false,
    undo: () => undefined,
    redo: () => undefined,
    canUndo: no,
    canRedo: no,
    insertPosition: () => ({ x: 0, y: 0 }),
    view: { fitView: () => undefined, focusNode: () => undefined, centre: () => ({ x: 0, y: 0 }) },
    batchSize: () => project().training.batchSize ?? 32,
  };
}
