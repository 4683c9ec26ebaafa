// The editor's one command table: every action a person can take from the keyboard, the
// toolbar or the help overlay, each a small record { id, label, keys, run, unavailable }.
import type { EditorContext, ViewActions } from '../editor/context.js';
import { copyGroup, deleteChanges, duplicateChanges, parseGroup, pasteChanges, serializeGroup } from './clipboard.js';
import { autoLayoutChanges } from './layout.js';
import { ungroup } from '../../engine/blocks/index.js';
import type { NodeId } from '../../engine/ids.js';
import { groupsTouched } from '../blocks/selection.js';

/** Text in and out of the clipboard (the system one where the browser allows it). */
export interface ClipboardPort {
  write(text: string): Promise<void>;
  read(): Promise<string>;
}

/** Diagram export, from src/editor/canvas/diagram-export.ts once the canvas provides it. */
export interface DiagramExport {
  exportSvg(): void | Promise<void>;
  exportPng(): void | Promise<void>;
}

/** Zoom steps the canvas may offer besides the view actions every canvas has. */
export interface ZoomActions {
  zoomIn(): void;
  zoomOut(): void;
}

/** Block actions the canvas offers (it owns the "Group into block" dialog). */
export interface BlockActions {
  openGroupDialog(ids: readonly NodeId[]): void;
}

/** Everything a command may use. */
export interface CommandEnv {
  readonly editor: EditorContext;
  readonly clipboard: ClipboardPort;
  /** The mounted canvas's view actions; null before it mounts. */
  readonly canvas: () => (ViewActions & Partial<ZoomActions & BlockActions>) | null;
  readonly diagram: DiagramExport | null;
  readonly ui: {
    toggleHelp(): void;
    /** Focuses the palette's search box; false when there is none. */
    focusPaletteSearch(): boolean;
    /** Tells the person something (a refused command, a bad paste). */
    notify(message: string): void;
  };
}

export type CommandId =
  | 'undo'
  | 'redo'
  | 'delete'
  | 'duplicate'
  | 'copy'
  | 'cut'
  | 'paste'
  | 'selectAll'
  | 'deselect'
  | 'fitView'
  | 'autoLayout'
  | 'insertLayer'
  | 'zoomIn'
  | 'zoomOut'
  | 'exportSvg'
  | 'exportPng'
  | 'groupIntoBlock'
  | 'toggleBlock'
  | 'ungroup'
  | 'help';

export interface Command {
  readonly id: CommandId;
  readonly label: string;
  /** Key specs such as "Mod+Shift+Z" (see shortcuts.ts); empty when only a button runs it. */
  readonly keys: readonly string[];
  run(env: CommandEnv): void | Promise<void>;
  /** Why the command cannot run now, or null when it can. */
  unavailable?(env: CommandEnv): string | null;
}

const READ_ONLY = 'This tab is read-only, so the graph cannot be edited here.';
const count = (n: number) => `${n} layer${n === 1 ? '' : 's'}`;
const selected = (env: CommandEnv) => env.editor.selection();

const editing = (env: CommandEnv): string | null => (env.editor.canEdit() ? null : READ_ONLY);
const needsSelection = (env: CommandEnv): string | null => editing(env) ?? (selected(env).length === 0 ? 'Select one or more layers first.' : null);
const needsCanvas = (env: CommandEnv): string | null => (env.canvas() ? null : 'The canvas is not ready yet.');
const touched = (env: CommandEnv) => groupsTouched(env.editor.graph(), selected(env));
const needsGroup = (env: CommandEnv): string | null => needsSelection(env) ?? (touched(env).length === 0 ? 'Select a block (or a layer in a group) first.' : null);
const needsDiagram = (env: CommandEnv): string | null => (env.diagram ? null : 'Diagram export is not available in this build yet.');

async function copy(env: CommandEnv): Promise<void> {
  await env.clipboard.write(serializeGroup(copyGroup(env.editor.graph(), selected(env))));
}

function remove(env: CommandEnv, label: string): void {
  const ids = selected(env);
  if (env.editor.apply(deleteChanges(env.editor.graph(), ids), `${label} ${count(ids.length)}`)) env.editor.select([]);
}

export const COMMANDS: readonly Command[] = [
  { id: 'undo', label: 'Undo', keys: ['Mod+Z'], run: (env) => env.editor.undo(), unavailable: (env) => editing(env) ?? (env.editor.canUndo() ? null : 'Nothing to undo.') },
  { id: 'redo', label: 'Redo', keys: ['Mod+Shift+Z', 'Mod+Y'], run: (env) => env.editor.redo(), unavailable: (env) => editing(env) ?? (env.editor.canRedo() ? null : 'Nothing to redo.') },
  { id: 'delete', label: 'Delete selected layers', keys: ['Delete', 'Backspace'], run: (env) => remove(env, 'Delete'), unavailable: needsSelection },
  {
    id: 'duplicate',
    label: 'Duplicate selected layers',
    keys: ['Mod+D'],
    run(env) {
      const { changes, ids } = duplicateChanges(env.editor.graph(), selected(env));
      if (env.editor.apply(changes, `Duplicate ${count(ids.length)}`)) env.editor.select(ids);
    },
    unavailable: needsSelection,
  },
  { id: 'copy', label: 'Copy selected layers', keys: ['Mod+C'], run: copy, unavailable: (env) => (selected(env).length === 0 ? 'Select one or more layers first.' : null) },
  {
    id: 'cut',
    label: 'Cut selected layers',
    keys: ['Mod+X'],
    async run(env) {
      await copy(env);
      remove(env, 'Cut');
    },
    unavailable: needsSelection,
  },
  {
    id: 'paste',
    label: 'Paste layers',
    keys: ['Mod+V'],
    async run(env) {
      const parsed = parseGroup(await env.clipboard.read());
      if (!parsed.ok) return env.ui.notify(parsed.reason);
      const { changes, ids } = pasteChanges(env.editor.graph(), parsed.group);
      if (env.editor.apply(changes, `Paste ${count(ids.length)}`)) env.editor.select(ids);
    },
    unavailable: editing,
  },
  { id: 'selectAll', label: 'Select all layers', keys: ['Mod+A'], run: (env) => env.editor.select(env.editor.graph().nodes.map((n) => n.id)) },
  { id: 'deselect', label: 'Clear the selection', keys: ['Escape'], run: (env) => env.editor.select([]) },
  { id: 'fitView', label: 'Fit the graph in view', keys: ['Shift+1'], run: (env) => env.canvas()?.fitView(), unavailable: needsCanvas },
  {
    id: 'autoLayout',
    label: 'Auto-layout the graph',
    keys: ['Shift+L'],
    run(env) {
      const changes = autoLayoutChanges(env.editor.graph());
      if (changes.length > 0 && env.editor.apply(changes, 'Auto-layout')) env.canvas()?.fitView();
    },
    unavailable: editing,
  },
  {
    id: 'insertLayer',
    label: 'Insert a layer (search the palette)',
    keys: ['/'],
    run(env) {
      if (!env.ui.focusPaletteSearch()) env.ui.notify('The palette has no search box yet.');
    },
    unavailable: editing,
  },
  { id: 'zoomIn', label: 'Zoom in', keys: ['+', '='], run: (env) => env.canvas()?.zoomIn?.(), unavailable: (env) => (env.canvas()?.zoomIn ? null : 'The canvas cannot zoom yet.') },
  { id: 'zoomOut', label: 'Zoom out', keys: ['-'], run: (env) => env.canvas()?.zoomOut?.(), unavailable: (env) => (env.canvas()?.zoomOut ? null : 'The canvas cannot zoom yet.') },
  { id: 'exportSvg', label: 'Export the diagram as SVG', keys: [], run: (env) => env.diagram?.exportSvg(), unavailable: needsDiagram },
  { id: 'exportPng', label: 'Export the diagram as PNG', keys: [], run: (env) => env.diagram?.exportPng(), unavailable: needsDiagram },
  {
    id: 'groupIntoBlock',
    label: 'Group selected layers into a block',
    keys: ['Mod+G'],
    run: (env) => env.canvas()?.openGroupDialog?.(selected(env)),
    unavailable: (env) =>
      needsSelection(env) ??
      (touched(env).length > 0 ? `“${touched(env)[0]!.name}” is already a group: ungroup it first (Ctrl/⌘+Shift+G).` : null) ??
      (env.canvas()?.openGroupDialog ? null : 'The canvas is not ready yet.'),
  },
  {
    id: 'toggleBlock',
    label: 'Expand or collapse the selected block',
    keys: ['Mod+E'],
    run(env) {
      const groups = touched(env);
      const collapse = !groups[0]!.collapsed;
      const changes = groups.map((x) => ({ type: 'setGroup' as const, groupId: x.id, patch: { collapsed: collapse } }));
      env.editor.apply(changes, `${collapse ? 'Collapse' : 'Expand'} ${groups.map((x) => x.name).join(', ')}`);
    },
    unavailable: needsGroup,
  },
  {
    id: 'ungroup',
    label: 'Ungroup the selected block (keeps its layers)',
    keys: ['Mod+Shift+G'],
    run(env) {
      const groups = touched(env);
      env.editor.apply(groups.flatMap((x) => ungroup(env.editor.graph(), x.id)), `Ungroup ${groups.map((x) => x.name).join(', ')}`);
    },
    unavailable: needsGroup,
  },
  { id: 'help', label: 'Show keyboard shortcuts', keys: ['?'], run: (env) => env.ui.toggleHelp() },
];

/** Whether `command` can run now, and if not, why. */
export function commandState(command: Command, env: CommandEnv): { enabled: true } | { enabled: false; reason: string } {
  const reason = command.unavailable?.(env) ?? null;
  return reason === null ? { enabled: true } : { enabled: false, reason };
}

/** The command with `id` (the table has every CommandId). */
export function command(id: CommandId): Command {
  const c = COMMANDS.find((x) => x.id === id);
  if (!c) throw new Error(`no command "${id}"`);
  return c;
}
