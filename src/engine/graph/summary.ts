// The JSON report of an analysis, as `npm run cli -- inspect` prints it.
import type { Dim } from '../tensor.js';
import type { TrainingConfig } from '../project/types.js';
import type { Analysis } from './analyze.js';
import type { Diagnostic } from './diagnostics.js';
import { trainingMemory, type MemoryEstimate } from './memory.js';

export interface NodeSummary {
  readonly outputShape: readonly Dim[] | null;
  readonly params: number;
  readonly trainableParams: number;
  readonly flops: number;
}

export interface GraphSummary {
  readonly valid: boolean;
  readonly nodes: Record<string, NodeSummary>;
  readonly totals: {
    readonly params: number;
    readonly trainableParams: number;
    readonly nonTrainableParams: number;
    readonly flops: number;
    readonly activationBytes: number;
  };
  /** Training memory at the project's batch size and optimizer (defaults: 32, Adam). */
  readonly trainingMemory: MemoryEstimate & { readonly batchSize: number; readonly optimizer: string };
  readonly diagnostics: readonly Diagnostic[];
}

export function summarize(a: Analysis, training: TrainingConfig = {}): GraphSummary {
  const nodes: Record<string, NodeSummary> = Object.create(null) as Record<string, NodeSummary>;
  for (const n of a.graph.nodes) {
    const x = a.nodes.get(n.id)!;
    nodes[n.id] = {
      outputShape: x.output ? [...x.output.shape] : null,
      params: x.paramCount.trainable + x.paramCount.nonTrainable,
      trainableParams: x.paramCount.trainable,
      flops: x.flops,
    };
  }
  const batchSize = training.batchSize ?? 32;
  const optimizer = training.optimizer ?? { name: 'adam' as const };
  return {
    valid: a.valid,
    nodes,
    totals: { ...a.totals },
    trainingMemory: { batchSize, optimizer: optimizer.name, ...trainingMemory(a.totals, batchSize, optimizer) },
    diagnostics: a.diagnostics,
  };
}
