// Diagnostics: what is wrong with a graph, where, and what to do about it. Shape
// inference reports these instead of throwing; exceptions are for broken invariants.
import type { NodeId } from '../ids.js';

export type DiagnosticCode =
  | 'cycle'
  | 'missing-input'
  | 'surplus-input'
  | 'duplicate-input'
  | 'unconnected'
  | 'no-input'
  | 'no-output'
  | 'unknown-kind'
  | 'invalid-param'
  | 'unknown-param'
  | 'missing-param'
  | 'rank-mismatch'
  | 'shape-mismatch'
  | 'invalid-shape'
  | 'unknown-dim'
  | 'dtype-mismatch'
  | 'cannot-train'
  /** Valid but unlikely to be meant: a Dense on a feature map keeps its spatial axes (rank-rules.ts). */
  | 'last-axis-only';

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  /** The node at fault, or null for the graph as a whole. */
  readonly nodeId: NodeId | null;
  readonly message: string;
  readonly suggestion: string;
}

export const hasErrors = (ds: readonly Diagnostic[]): boolean => ds.some((d) => d.severity === 'error');
