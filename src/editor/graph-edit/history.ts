// Undo/redo as recorded diffs: each step keeps the changes a person made and their inverse,
// computed from the graph before. Consecutive edits of the same thing (typing "6", "64" into
// one field) within a short window coalesce into one step. Selection never enters history.
import type { GraphChange } from '../../engine/graph/changes.js';
import type { Graph } from '../../engine/project/types.js';
import { applyWithInverse } from './inverse.js';

export interface HistoryStep {
  readonly label: string;
  readonly forward: readonly GraphChange[];
  readonly inverse: readonly GraphChange[];
  /** When the step was last extended (ms); coalescing looks at it. */
  readonly at: number;
  /** Steps with the same key recorded within the coalescing window merge into one. */
  readonly key: string | null;
}

/** What is kept of a history: the steps to undo (oldest first) and the steps undone (next redo last). */
export interface HistoryState {
  readonly done: readonly HistoryStep[];
  readonly undone: readonly HistoryStep[];
}

export interface History {
  state(): HistoryState;
  /** Records `changes` applied to `before` (the caller applies them); returns the graph after. */
  record(before: Graph, changes: readonly GraphChange[], label: string): void;
  /** The step undo would revert, without taking it. */
  peekUndo(): HistoryStep | null;
  peekRedo(): HistoryStep | null;
  /** Moves the last step to the redo list after the caller applied its inverse. */
  commitUndo(): void;
  commitRedo(): void;
  clear(): void;
  canUndo(): boolean;
  canRedo(): boolean;
}

export interface HistoryOptions {
  readonly initial?: HistoryState;
  /** Most steps kept; older ones are dropped. */
  readonly limit?: number;
  /** Edits of the same thing closer together than this (ms) coalesce. */
  readonly coalesceMs?: number;
  readonly now?: () => number;
  /** Called after every change of the state (to persist it). */
  readonly onChange?: (s: HistoryState) => void;
}

export const HISTORY_LIMIT = 200;
export const COALESCE_MS = 1000;

/**
 * The coalescing key of an edit: the params or the label of one node (typing "6", "64" is one
 * step). Moves never coalesce: one drag is already one edit, and two drags are two steps.
 */
export function coalesceKey(changes: readonly GraphChange[]): string | null {
  const first = changes[0];
  // Renaming a group, typed letter by letter, is one step too.
  if (first?.type === 'setGroup' && changes.length === 1 && first.patch.collapsed === undefined) return `setGroup:${first.groupId}`;
  if (!first || (first.type !== 'setParams' && first.type !== 'setLabel')) return null;
  return changes.every((c) => c.type === first.type && c.nodeId === first.nodeId) ? `${first.type}:${first.nodeId}` : null;
}

/** A history over recorded steps; it applies nothing itself (the document does). */
export function createHistory(options: HistoryOptions = {}): History {
  const limit = options.limit ?? HISTORY_LIMIT;
  const window = options.coalesceMs ?? COALESCE_MS;
  const now = options.now ?? (() => Date.now());
  let done: HistoryStep[] = [...(options.initial?.done ?? [])];
  let undone: HistoryStep[] = [...(options.initial?.undone ?? [])];
  const changed = () => options.onChange?.({ done, undone });

  return {
    state: () => ({ done, undone }),
    record(before, changes, label) {
      if (changes.length === 0) return;
      const { inverse } = applyWithInverse(before, changes);
      const key = coalesceKey(changes);
      const t = now();
      const last = done.at(-1);
      // Only while nothing was undone since: a redo list means the person went back on purpose.
      if (last && key !== null && last.key === key && undone.length === 0 && t - last.at <= window) {
        done = [...done.slice(0, -1), { label: last.label, forward: [...last.forward, ...changes], inverse: [...inverse, ...last.inverse], at: t, key }];
      } else {
        done = [...done, { label, forward: changes, inverse, at: t, key }].slice(-limit);
      }
      undone = [];
      changed();
    },
    peekUndo: () => done.at(-1) ?? null,
    peekRedo: () => undone.at(-1) ?? null,
    commitUndo() {
      const step = done.at(-1);
      if (!step) return;
      done = done.slice(0, -1);
      // A step undone and redone must not merge with the next edit.
      undone = [...undone, { ...step, key: null }];
      changed();
    },
    commitRedo() {
      const step = undone.at(-1);
      if (!step) return;
      undone = undone.slice(0, -1);
      done = [...done, step];
      changed();
    },
    clear() {
      done = [];
      undone = [];
      changed();
    },
    canUndo: () => done.length > 0,
    canRedo: () => undone.length > 0,
  };
}
