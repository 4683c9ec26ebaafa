// STUB: to be implemented (custom TF.js layers for the attention family).
import * as tf from '@tensorflow/tfjs';

export class MultiHeadAttentionLayer extends tf.layers.Layer {
  static readonly className = 'NFMultiHeadAttention';
  constructor(args: Record<string, unknown>) {
    super({ name: args['name'] as string | undefined });
    throw new Error('MultiHeadAttentionLayer is not implemented yet');
  }
}

export class PositionalEmbeddingLayer extends tf.layers.Layer {
  static readonly className = 'NFPositionalEmbedding';
  constructor(args: Record<string, unknown>) {
    super({ name: args['name'] as string | undefined });
    throw new Error('PositionalEmbeddingLayer is not implemented yet');
  }
}

export class TransformerEncoderLayer extends tf.layers.Layer {
  static readonly className = 'NFTransformerEncoder';
  constructor(args: Record<string, unknown>) {
    super({ name: args['name'] as string | undefined });
    throw new Error('TransformerEncoderLayer is not implemented yet');
  }
}
