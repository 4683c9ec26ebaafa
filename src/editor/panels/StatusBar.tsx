// The status bar: parameter totals, FLOPs, activation and training memory at the chosen batch
// size, and error/warning counts; clicking a count selects and shows the next node with one.
import { createMemo, createSignal } from 'solid-js';
import type { Diagnostic, Severity } from '../../engine/graph/diagnostics.js';
import { trainingMemory } from '../../engine/graph/memory.js';
import type { NodeId } from '../../engine/ids.js';
import type { EditorContext } from '../editor/context.js';
import { bytes, compact } from '../format.js';
import './panels.css';

/** The optimizer the training-memory estimate assumes (the summary's default too). */
const ESTIMATE_OPTIMIZER = { name: 'adam' } as const;

/** Distinct nodes with a diagnostic of `severity`, in diagnostic order (graph-wide ones have no node to show). */
export function nodesWith(diagnostics: readonly Diagnostic[], severity: Severity): NodeId[] {
  const ids = diagnostics.filter((d) => d.severity === severity && d.nodeId !== null).map((d) => d.nodeId!);
  return [...new Set(ids)];
}

export function StatusBar(props: { ctx: EditorContext }) {
  const ctx = props.ctx;
  const totals = () => ctx.analysis().totals;
  const memory = createMemo(() => trainingMemory(totals(), ctx.batchSize(), ESTIMATE_OPTIMIZER));
  const count = (s: Severity) => ctx.analysis().diagnostics.filter((d) => d.severity === s).length;
  const [cursor, setCursor] = createSignal<Record<Severity, number>>({ error: -1, warning: -1, info: -1 });

  const jump = (s: Severity) => {
    const ids = nodesWith(ctx.analysis().diagnostics, s);
    if (ids.length === 0) return;
    const next = (cursor()[s] + 1) % ids.length;
    setCursor({ ...cursor(), [s]: next });
    ctx.select([ids[next]!]);
    ctx.view.focusNode(ids[next]!);
  };

  return (
    <div class="status-bar" data-testid="status-bar">
      <span data-testid="status-params" title={`${totals().params.toLocaleString('en')} parameters`}>
        {compact(totals().trainableParams)} trainable · {compact(totals().nonTrainableParams)} non-trainable params
      </span>
      <span data-testid="status-flops" title="Forward FLOPs per sample">{compact(totals().flops, 'FLOPs')}</span>
      <span data-testid="status-activations" title="Activations kept for the backward pass, whole batch">
        activations {bytes(memory().activationBytes)}
      </span>
      <span data-testid="status-training-memory" title="Weights, gradients, Adam state and activations">
        training {bytes(memory().totalBytes)} at batch {ctx.batchSize()}
      </span>
      <span class="status-spacer" />
      <button type="button" class="status-count error" data-testid="status-errors" data-count={count('error')} disabled={count('error') === 0}
        title="Show the next layer with an error" onClick={() => jump('error')}>
        {count('error')} {count('error') === 1 ? 'error' : 'errors'}
      </button>
      <button type="button" class="status-count warning" data-testid="status-warnings" data-count={count('warning')} disabled={count('warning') === 0}
        title="Show the next layer with a warning" onClick={() => jump('warning')}>
        {count('warning')} {count('warning') === 1 ? 'warning' : 'warnings'}
      </button>
    </div>
  );
}
