// Sequence templates: an LSTM text classifier, a mini-BERT encoder classifier, GPT-mini.
import type { NodeId } from '../ids.js';
import { GraphBuilder, project, type TemplateInfo } from './builder.js';

export const lstmText: TemplateInfo = {
  id: 'lstm-text',
  name: 'LSTM text classifier',
  task: 'classification',
  summary: 'Token ids → embeddings → a bidirectional LSTM → a sentiment probability.',
  project() {
    const g = new GraphBuilder();
    g.chain(g.input('tokens', [100], 'int32'), [
      ['embed', 'Embedding', { inputDim: 10000, outputDim: 64 }],
      ['lstm', 'LSTM', { units: 64, bidirectional: true }],
      ['dropout', 'Dropout', { rate: 0.3 }],
      ['output', 'Dense', { units: 1, activation: 'sigmoid' }],
    ]);
    return project('LSTM text classifier', this.summary, g.build(), {
      optimizer: { name: 'adam', learningRate: 0.001 },
      loss: 'binaryCrossentropy',
      metrics: ['accuracy'],
      batchSize: 64,
      epochs: 5,
      seed: 1,
      validationSplit: 0.1,
    });
  },
};

/** Token embedding plus learned positions, shared by the two transformer templates. */
function embed(g: GraphBuilder, vocab: number, steps: number, dim: number): NodeId {
  return g.chain(g.input('tokens', [steps], 'int32'), [
    ['embed', 'Embedding', { inputDim: vocab, outputDim: dim }],
    ['positions', 'PositionalEmbedding', { maxLength: steps }],
  ]);
}

export const miniBert: TemplateInfo = {
  id: 'mini-bert',
  name: 'Mini-BERT classifier',
  task: 'classification',
  summary: 'A two-block post-LN Transformer encoder (BERT-style) over 128 tokens, mean-pooled into a 2-way classifier.',
  project() {
    const g = new GraphBuilder();
    let x = embed(g, 8000, 128, 128);
    for (let i = 1; i <= 2; i++) x = g.layer(`encoder${i}`, 'TransformerEncoder', { intermediateDim: 512, numHeads: 4, dropout: 0.1, activation: 'gelu' }, [x]);
    g.chain(x, [
      ['pool', 'GlobalAveragePooling1D', {}],
      ['output', 'Dense', { units: 2, activation: 'softmax' }],
    ]);
    return project('Mini-BERT classifier', this.summary, g.build(), {
      optimizer: { name: 'adamw', learningRate: 0.0003 },
      loss: 'sparseCategoricalCrossentropy',
      metrics: ['accuracy'],
      batchSize: 32,
      epochs: 4,
      seed: 1,
      validationSplit: 0.1,
    });
  },
};

export const gptMini: TemplateInfo = {
  id: 'gpt-mini',
  name: 'GPT-mini',
  task: 'language-modeling',
  summary: 'A decoder-only, character-level language model: four causal pre-LN blocks over 64 tokens, next-token logits at every position.',
  project() {
    const g = new GraphBuilder();
    let x = embed(g, 256, 64, 128);
    for (let i = 1; i <= 4; i++) {
      x = g.layer(`block${i}`, 'TransformerEncoder', { intermediateDim: 512, numHeads: 4, dropout: 0.1, activation: 'gelu', normalizeFirst: true, useCausalMask: true }, [x]);
    }
    g.chain(x, [
      ['norm', 'LayerNormalization', { epsilon: 1e-5 }],
      ['logits', 'Dense', { units: 256 }], // (64, 256): unnormalised next-token scores
    ]);
    return project('GPT-mini', this.summary, g.build(), {
      optimizer: { name: 'adamw', learningRate: 0.0003 },
      loss: 'nextTokenCrossentropy',
      metrics: ['accuracy'],
      batchSize: 32,
      epochs: 10,
      seed: 1,
      validationSplit: 0.1,
    });
  },
};
