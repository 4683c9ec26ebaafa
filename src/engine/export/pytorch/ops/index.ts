// Every layer kind's PyTorch emitter, in one table: a kind without one is a compile error.
import type { LayerKind } from '../../../layers/kinds.js';
import type { TorchEmitter } from '../emitter.js';
import { activationOps } from './activations.js';
import { attentionOps } from './attention.js';
import { convOps } from './conv.js';
import { coreOps } from './core.js';
import { mergeOps } from './merge.js';
import { normalizationOps } from './normalization.js';
import { poolingOps } from './pooling.js';
import { recurrentOps } from './recurrent.js';

export const TORCH_OPS = {
  ...coreOps,
  ...convOps,
  ...poolingOps,
  ...recurrentOps,
  ...attentionOps,
  ...normalizationOps,
  ...activationOps,
  ...mergeOps,
} satisfies Record<LayerKind, TorchEmitter<never>>;

/**
 * The emitter of `kind` with its params type erased: analyzeGraph resolved the params
 * against the kind's schema, which each emitter's params interface mirrors.
 */
export function torchOp(kind: LayerKind): TorchEmitter<unknown> {
  return TORCH_OPS[kind] as TorchEmitter<unknown>;
}
