// One ONNX emitter per layer kind; `satisfies Record<LayerKind, OnnxEmitter>` makes a kind
// without an emitter a compile error.
import type { LayerKind } from '../../../layers/kinds.js';
import type { OnnxEmitter } from '../emit-context.js';
import { activationEmitters } from './activations.js';
import { attentionEmitters } from './attention.js';
import { convEmitters } from './conv.js';
import { coreEmitters } from './core.js';
import { mergeEmitters } from './merge.js';
import { normalizationEmitters } from './normalization.js';
import { poolingEmitters } from './pooling.js';
import { recurrentEmitters } from './recurrent.js';

export const ONNX_EMITTERS = {
  ...coreEmitters,
  ...convEmitters,
  ...poolingEmitters,
  ...recurrentEmitters,
  ...attentionEmitters,
  ...normalizationEmitters,
  ...activationEmitters,
  ...mergeEmitters,
} satisfies Record<LayerKind, OnnxEmitter>;
