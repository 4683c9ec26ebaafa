// What every part of the graph editor (canvas, palette, properties, status bar, commands) reads
// and how it edits: one object, made by EditorView from the open project document. Parts never
// touch storage; edits go through `apply`, which records one undo step per call.
import type { Accessor } from 'solid-js';
import type { Analysis } from '../../engine/graph/analyze.js';
import type { GraphChange } from '../../engine/graph/changes.js';
import type { NodeId } from '../../engine/ids.js';
import type { Graph, Position } from '../../engine/project/types.js';

export interface EditorContext {
  readonly graph: Accessor<Graph>;
  readonly analysis: Accessor<Analysis>;
  /** False in a read-only tab: parts disable editing and say why once (the page shows the notice). */
  readonly canEdit: Accessor<boolean>;

  readonly selection: Accessor<readonly NodeId[]>;
  /** Selection never enters undo history. */
  select(ids: readonly NodeId[]): void;

  /**
   * Applies `changes` as ONE undo step named `label` ("Move 3 layers", "Set units"); false when
   * refused (read-only) or when a change does not fit the graph (nothing is applied then).
   * A drag applies once, at its end; live positions during a drag stay local to the canvas.
   * Edits of one node's params (or label, or moving one set of nodes) within a second of each
   * other coalesce into one step, so typing "64" is one undo.
   */
  apply(changes: readonly GraphChange[], label: string): boolean;
  undo(): void;
  redo(): void;
  readonly canUndo: Accessor<boolean>;
  readonly canRedo: Accessor<boolean>;

  /** Where a newly inserted node goes when the person did not drop it somewhere (canvas centre). */
  readonly insertPosition: Accessor<Position>;
  /** The canvas registers its view actions here (fit view, focus a node) so commands can call them. */
  readonly view: ViewActions;
  /** Batch size the status bar's memory estimate uses (the training panel's, or the project's). */
  readonly batchSize: Accessor<number>;
}

export interface ViewActions {
  fitView(): void;
  /** Pans so the node is visible and selects it (status bar: jump to a diagnostic). */
  focusNode(id: NodeId): void;
  /** The canvas's current centre in graph coordinates. */
  centre(): Position;
  /** Zoom steps, where the canvas offers them (the zoom commands are disabled otherwise). */
  zoomIn?(): void;
  zoomOut?(): void;
}
