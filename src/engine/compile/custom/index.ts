// NeuralForge's own TF.js layers, for kinds TF.js lacks or cannot train. Listed here
// once: the compiler hands them to builders and registers them for (de)serialisation.
import * as tf from '@tensorflow/tfjs';
import { DropoutLayer } from './dropout.js';
import { SubtractLayer } from './merge.js';
import { GroupNormalizationLayer } from './normalization.js';
import { MultiHeadAttentionLayer, PositionalEmbeddingLayer, TransformerEncoderLayer } from './attention.js';

export const CUSTOM_LAYERS = {
  Dropout: DropoutLayer,
  Subtract: SubtractLayer,
  GroupNormalization: GroupNormalizationLayer,
  MultiHeadAttention: MultiHeadAttentionLayer,
  PositionalEmbedding: PositionalEmbeddingLayer,
  TransformerEncoder: TransformerEncoderLayer,
} as const;

export type CustomLayerClasses = typeof CUSTOM_LAYERS;

let registered = false;
/** Makes the classes known to tf.loadLayersModel; idempotent. */
export function registerCustomLayers(): void {
  if (registered) return;
  for (const cls of Object.values(CUSTOM_LAYERS)) tf.serialization.registerClass(cls as unknown as tf.serialization.SerializableConstructor<tf.layers.Layer>);
  registered = true;
}
