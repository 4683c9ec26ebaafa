// Undo history attached to an open project document: every accepted graph edit is recorded
// (the editor's own, and the layer table's), undo/redo apply the recorded inverse through the
// document, and the history is kept in localStorage per project so it survives a reload.
import { createSignal, type Accessor } from 'solid-js';
import type { GraphChange } from '../../engine/graph/changes.js';
import type { Graph } from '../../engine/project/types.js';
import type { ProjectDoc } from '../storage/project-doc.js';
import { createHistory, type HistoryStep } from './history.js';
import { historyStore, type KeyValueStore } from './history-store.js';
import { autoLayoutChanges, needsLayout } from './layout.js';

export interface EditorHistory {
  readonly canUndo: Accessor<boolean>;
  readonly canRedo: Accessor<boolean>;
  /** Labels of the steps undo and redo would take ("Delete 2 layers"), for tooltips. */
  readonly undoLabel: Accessor<string | null>;
  readonly redoLabel: Accessor<string | null>;
  /** Applies `changes` through the document as one step named `label`. */
  apply(changes: readonly GraphChange[], label: string): boolean;
  undo(): boolean;
  redo(): boolean;
  /** Writes a pending save now (the page is going away). */
  flush(): void;
  dispose(): void;
}

export type HistoryDoc = Pick<ProjectDoc, 'id' | 'record' | 'applyChanges' | 'onGraphEdit' | 'canEdit'>;

export interface EditorHistoryOptions {
  /** Where the history is kept (localStorage in the page); none keeps it in memory only. */
  readonly storage?: KeyValueStore;
  readonly now?: () => number;
  /** Saves are batched this long (ms) so a burst of edits writes once; 0 writes at once. */
  readonly saveDelayMs?: number;
}

/** Names an edit made outside the editor's own commands (the layer table). */
function defaultLabel(changes: readonly GraphChange[]): string {
  const c = changes[0];
  if (changes.length === 1 && c?.type === 'setParams') return `Set ${c.nodeId} params`;
  return changes.length === 1 ? `Edit ${c?.type ?? 'graph'}` : `Edit (${changes.length} changes)`;
}

/**
 * Lays out a graph whose nodes have no positions (imported or hand-written files) once, when it
 * is opened in an editing tab. Not an undo step: undoing it would leave nodes nowhere on the canvas.
 */
export function layoutIfUnplaced(doc: Pick<ProjectDoc, 'record' | 'applyChanges' | 'canEdit'>): boolean {
  const graph = doc.record().draft.graph;
  return needsLayout(graph) && doc.canEdit() && doc.applyChanges(autoLayoutChanges(graph));
}

/** Attaches undo history to `doc`; call dispose when the editor closes. */
export function attachHistory(doc: HistoryDoc, options: EditorHistoryOptions = {}): EditorHistory {
  const graph = () => doc.record().draft.graph;
  const store = historyStore(options.storage, doc.id);
  const [version, setVersion] = createSignal(0);
  const delay = options.saveDelayMs ?? 250;
  let timer: ReturnType<typeof setTimeout> | null = null;
  // The graph the history's last step leads to. Any other graph means someone else changed it
  // (another tab's save was loaded): the recorded inverses no longer fit, so history restarts.
  let expected: Graph = graph();

  const save = () => {
    timer = null;
    store.save(history.state(), expected);
  };
  const history = createHistory({
    initial: store.load(expected) ?? undefined,
    now: options.now,
    onChange: () => {
      setVersion((v) => v + 1);
      if (delay === 0) save();
      else timer ??= setTimeout(save, delay);
    },
  });

  let pendingLabel: string | null = null;
  let replaying = false;
  const unsubscribe = doc.onGraphEdit((changes, before) => {
    if (replaying) return;
    if (before !== expected) history.clear();
    expected = graph(); // before recording: the save that follows fingerprints it
    history.record(before, changes, pendingLabel ?? defaultLabel(changes));
  });

  /** Applies a recorded step's changes; a step that no longer fits clears the history. */
  function replay(step: HistoryStep | null, changes: (s: HistoryStep) => readonly GraphChange[], commit: () => void): boolean {
    if (!step || !doc.canEdit()) return false;
    if (graph() !== expected) {
      history.clear();
      expected = graph();
      return false;
    }
    replaying = true;
    try {
      if (!doc.applyChanges(changes(step))) {
        history.clear();
        return false;
      }
    } finally {
      replaying = false;
    }
    expected = graph();
    commit();
    return true;
  }

  return {
    canUndo: () => (version(), history.canUndo()),
    canRedo: () => (version(), history.canRedo()),
    undoLabel: () => (version(), history.peekUndo()?.label ?? null),
    redoLabel: () => (version(), history.peekRedo()?.label ?? null),
    apply(changes, label) {
      pendingLabel = label;
      try {
        return doc.applyChanges(changes);
      } finally {
        pendingLabel = null;
      }
    },
    undo: () => replay(history.peekUndo(), (s) => s.inverse, () => history.commitUndo()),
    redo: () => replay(history.peekRedo(), (s) => s.forward, () => history.commitRedo()),
    flush() {
      if (timer !== null) clearTimeout(timer);
      save();
    },
    dispose() {
      if (timer !== null) {
        clearTimeout(timer);
        save();
      }
      unsubscribe();
    },
  };
}
