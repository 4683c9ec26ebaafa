// Training memory estimate: weights + gradients + optimizer state + activations.
import type { OptimizerName } from '../project/types.js';
import type { Totals } from './analyze.js';

export interface MemoryEstimate {
  readonly weightBytes: number;
  readonly gradientBytes: number;
  readonly optimizerBytes: number;
  readonly activationBytes: number;
  readonly totalBytes: number;
}

export interface OptimizerShape {
  readonly name: OptimizerName;
  readonly momentum?: number;
  readonly centered?: boolean;
}

/** Float32 slots an optimizer keeps per trainable weight (Adam: first and second moments). */
export function optimizerSlots(o: OptimizerShape): number {
  switch (o.name) {
    case 'sgd': return (o.momentum ?? 0) > 0 ? 1 : 0;
    case 'adam':
    case 'adamw': return 2;
    case 'rmsprop': return 1 + ((o.momentum ?? 0) > 0 ? 1 : 0) + (o.centered ? 1 : 0);
    case 'adagrad': return 1;
    default: {
      const never: never = o.name;
      throw new Error(`unknown optimizer ${String(never)}`);
    }
  }
}

/**
 * @example trainingMemory(analysis.totals, 64, { name: 'adam' }).totalBytes
 */
export function trainingMemory(t: Totals, batchSize: number, optimizer: OptimizerShape): MemoryEstimate {
  const weightBytes = t.params * 4;
  const gradientBytes = t.trainableParams * 4;
  const optimizerBytes = t.trainableParams * 4 * optimizerSlots(optimizer);
  const activationBytes = t.activationBytes * batchSize;
  return { weightBytes, gradientBytes, optimizerBytes, activationBytes, totalBytes: weightBytes + gradientBytes + optimizerBytes + activationBytes };
}
