// The recurrent family: SimpleRNN, LSTM and GRU over [batch, steps, features], optionally
// bidirectional. Built from TF.js's own layers; counts follow TF.js exactly.
import type * as tf from '@tensorflow/tfjs';
import { ACTIVATIONS, activationParam, ok, requireKnown, requireRank, tfActivation } from './common.js';
import { bool, int, oneOf } from '../params.js';
import { product, type TensorInfo } from '../tensor.js';
import { defineLayer, type BuildContext, type InferResult, type InputInfo, type ParamCount } from './spec.js';
import { rng } from '../random.js';

type RnnKind = 'SimpleRNN' | 'LSTM' | 'GRU';

/** Gate blocks per cell: the kernel is [features, gates·units]. */
const GATES: Record<RnnKind, number> = { SimpleRNN: 1, LSTM: 4, GRU: 3 };

const MERGE_MODES = ['concat', 'sum', 'mul', 'ave'] as const;

const common = {
  units: int({ default: 32, min: 1, max: 1 << 14, doc: 'Size of the hidden state.' }),
  activation: activationParam('tanh'),
  useBias: bool({ default: true, doc: 'Add a learned bias to every gate.' }),
  returnSequences: bool({ default: false, doc: 'Output every step [steps, units] instead of only the last [units].' }),
  bidirectional: bool({ default: false, doc: 'Also run the sequence backwards and merge both directions.' }),
  mergeMode: oneOf(MERGE_MODES, { default: 'concat', doc: 'How the two directions are merged (only when bidirectional).' }),
};

// Default 'sigmoid', not TF.js's 'hardSigmoid': Keras 2+ and PyTorch use the exact
// sigmoid, so models built here match them when exported.
const gated = {
  ...common,
  recurrentActivation: oneOf(ACTIVATIONS, { default: 'sigmoid', doc: 'Activation of the gates.' }),
};

interface RnnParams {
  units: number;
  activation: (typeof ACTIVATIONS)[number];
  recurrentActivation?: (typeof ACTIVATIONS)[number];
  useBias: boolean;
  returnSequences: boolean;
  bidirectional: boolean;
  mergeMode: (typeof MERGE_MODES)[number];
}

const directions = (p: RnnParams): number => (p.bidirectional ? 2 : 1);

/** A Reshape that would turn this input into [steps, features], for the rank-mismatch hint. */
function reshapeHint(kind: RnnKind, x: InputInfo): string {
  const dims = x.shape.slice(1);
  if (dims.some((d) => d === null)) return `Insert a Reshape before this ${kind} to make [steps, features].`;
  const known = dims as number[];
  const target = known.length === 1 ? [known[0]!, 1] : [known[0]!, product(known.slice(1))];
  return `Insert a Reshape to [${target.join(', ')}] before this ${kind}: it reads [steps, features].`;
}

function inferRnn(kind: RnnKind, p: RnnParams, x: InputInfo): InferResult {
  const err = requireRank(kind, x, 3, reshapeHint(kind, x)) ?? requireKnown(kind, x, [2]);
  if (err) return err;
  const width = p.bidirectional && p.mergeMode === 'concat' ? 2 * p.units : p.units;
  return ok(p.returnSequences ? [null, x.shape[1]!, width] : [null, width]);
}

/**
 * Per direction: kernel [in, g·u], recurrent kernel [u, g·u], bias [g·u]. TF.js's GRU is
 * reset_after = false (it refuses true): one bias, the reset gate applied before the recurrent
 * product. Keras 2+ defaults to reset_after = true (bias [2, 3u]) and PyTorch's nn.GRU matches
 * that, so an exported GRU must say reset_after=False and has no exact nn.GRU equivalent.
 */
function countRnn(kind: RnnKind, p: RnnParams, x: TensorInfo): ParamCount {
  const g = GATES[kind];
  const features = x.shape[2]!;
  const perDirection = g * p.units * (features + p.units) + (p.useBias ? g * p.units : 0);
  return { trainable: directions(p) * perDirection, nonTrainable: 0 };
}

function flopsRnn(kind: RnnKind, p: RnnParams, x: TensorInfo): number {
  const g = GATES[kind];
  const steps = x.shape[1] ?? 0; // unknown length: no estimate
  // Per step and direction: input and recurrent matmuls (multiply-add = 2), plus the bias adds.
  const perStep = 2 * (x.shape[2]! * g * p.units + p.units * g * p.units) + (p.useBias ? g * p.units : 0);
  return directions(p) * steps * perStep;
}

/** Kept for backward per step and direction: the gate activations and the hidden state (LSTM: also the cell state). */
function activationsRnn(kind: RnnKind, p: RnnParams, x: TensorInfo): number {
  const states = kind === 'LSTM' ? 2 : 1;
  return directions(p) * (x.shape[1] ?? 0) * p.units * (GATES[kind] + states);
}

function rnnLayer(ctx: BuildContext, kind: RnnKind, p: RnnParams, name: string): tf.layers.Layer {
  const { tf } = ctx;
  const args = {
    name,
    units: p.units,
    activation: tfActivation(p.activation) as never,
    useBias: p.useBias,
    returnSequences: p.returnSequences,
    kernelInitializer: tf.initializers.glorotUniform({ seed: ctx.seed('kernel') }),
    // Orthogonal, written after build by initRecurrentWeights (TF.js's Orthogonal is far too slow).
    recurrentInitializer: 'zeros' as const,
    biasInitializer: 'zeros' as const,
  };
  const gate = { recurrentActivation: tfActivation(p.recurrentActivation ?? 'sigmoid') as never };
  switch (kind) {
    case 'SimpleRNN': return tf.layers.simpleRNN(args);
    // unitForgetBias: Keras's default (forget-gate bias starts at 1); TF.js defaults to false.
    case 'LSTM': return tf.layers.lstm({ ...args, ...gate, unitForgetBias: true });
    case 'GRU': return tf.layers.gru({ ...args, ...gate });
    default: {
      const never: never = kind;
      throw new Error(`unhandled recurrent kind ${String(never)}`);
    }
  }
}

/** Seeded standard normals (Box–Muller over the engine's PRNG). */
function normals(n: number, seed: number): Float64Array {
  const uniform = rng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - uniform()));
    const a = 2 * Math.PI * uniform();
    out[i] = r * Math.cos(a);
    if (i + 1 < n) out[i + 1] = r * Math.sin(a);
  }
  return out;
}

/**
 * A [rows, cols] matrix whose shorter side is orthonormal (Keras Orthogonal, gain 1), by
 * Gram–Schmidt on Gaussian vectors in plain JS. TF.js's own Orthogonal runs a QR op by op:
 * about 11 s for LSTM(128) and 110 s for LSTM(256) on the cpu backend; this takes milliseconds.
 */
export function orthogonalMatrix(rows: number, cols: number, seed: number): Float32Array {
  const n = Math.min(rows, cols);
  const len = Math.max(rows, cols);
  const g = normals(n * len, seed); // vector v occupies g[v·len, (v+1)·len)
  for (let v = 0; v < n; v++) {
    const at = v * len;
    for (let u = 0; u < v; u++) {
      let dot = 0;
      for (let i = 0; i < len; i++) dot += g[at + i]! * g[u * len + i]!;
      for (let i = 0; i < len; i++) g[at + i]! -= dot * g[u * len + i]!;
    }
    let norm = 0;
    for (let i = 0; i < len; i++) norm += g[at + i]! ** 2;
    for (let i = 0; i < len; i++) g[at + i]! /= Math.sqrt(norm);
  }
  const out = new Float32Array(rows * cols);
  for (let v = 0; v < n; v++) for (let i = 0; i < len; i++) out[rows <= cols ? v * cols + i : i * cols + v] = g[v * len + i]!;
  return out;
}

/**
 * Sets each direction's recurrent kernel to a seeded orthogonal matrix (built with zeros, see
 * above). TF.js clones the backward layer from the forward layer's config, seeds included, so
 * both directions would start identical: the backward input kernel gets its own seed too.
 * Weights per direction: kernel, recurrent_kernel[, bias].
 */
function initRecurrentWeights(ctx: BuildContext, layer: tf.layers.Layer, bidirectional: boolean): void {
  const { tf } = ctx;
  const ws = layer.weights;
  const orthogonal = (w: tf.LayerVariable, slot: string) => {
    const [rows, cols] = w.shape as [number, number];
    return tf.tensor2d(orthogonalMatrix(rows, cols, ctx.seed(slot)), [rows, cols]);
  };
  tf.tidy(() => {
    ws[1]!.write(orthogonal(ws[1]!, 'recurrent_kernel'));
    if (!bidirectional) return;
    const half = ws.length / 2;
    ws[half]!.write(tf.initializers.glorotUniform({ seed: ctx.seed('backward_kernel') }).apply(ws[half]!.shape));
    ws[half + 1]!.write(orthogonal(ws[half + 1]!, 'backward_recurrent_kernel'));
  });
}

function buildRnn(ctx: BuildContext, kind: RnnKind, p: RnnParams, x: tf.SymbolicTensor): tf.SymbolicTensor {
  // Bidirectional: only the wrapper joins the model; its copies are forward_lstm and backward_lstm,
  // so weights read L/forward_lstm/kernel, as in Keras.
  const inner = rnnLayer(ctx, kind, p, p.bidirectional ? kind.toLowerCase() : ctx.name());
  const layer = p.bidirectional ? ctx.tf.layers.bidirectional({ name: ctx.name(), layer: inner as never, mergeMode: p.mergeMode }) : inner;
  const y = layer.apply(x) as tf.SymbolicTensor;
  initRecurrentWeights(ctx, layer, p.bidirectional);
  return y;
}

const summaries: Record<RnnKind, string> = {
  SimpleRNN: 'A fully connected recurrent layer over [steps, features].',
  LSTM: 'Long short-term memory over [steps, features].',
  GRU: 'Gated recurrent unit over [steps, features] (reset gate before the recurrent product, as TF.js).',
};

function defineRnn<const K extends RnnKind>(kind: K) {
  const spec = {
    kind,
    category: 'recurrent',
    summary: summaries[kind],
    inputs: { min: 1, max: 1 },
    infer: (p: RnnParams, [x]: readonly InputInfo[]) => inferRnn(kind, p, x!),
    countParams: (p: RnnParams, [x]: readonly TensorInfo[]) => countRnn(kind, p, x!),
    flops: (p: RnnParams, [x]: readonly TensorInfo[]) => flopsRnn(kind, p, x!),
    activationElements: (p: RnnParams, [x]: readonly TensorInfo[]) => activationsRnn(kind, p, x!),
    build: (ctx: BuildContext, p: RnnParams, [x]: tf.SymbolicTensor[]) => buildRnn(ctx, kind, p, x!),
  } as const;
  return kind === 'SimpleRNN' ? defineLayer({ ...spec, params: common }) : defineLayer({ ...spec, params: gated });
}

export const recurrentLayers = {
  SimpleRNN: defineRnn('SimpleRNN'),
  LSTM: defineRnn('LSTM'),
  GRU: defineRnn('GRU'),
};
