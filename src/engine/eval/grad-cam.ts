// Grad-CAM (Selvaraju et al. 2017) for convolutional models: which parts of one image made the
// model score a class. The conv node's output A is found by the node-id naming rule; its gradient
// comes from running the model with A + δ (δ = 0) and differentiating with respect to δ.
import type * as tf from '@tensorflow/tfjs';
import { nodeLayer, type Tfjs } from './activations.js';
import { EvalInputError, checkCount } from './input.js';

export interface GradCamOptions {
  /** A node whose output is [batch, h, w, channels] (a Conv2D, its activation, a pooling, …). */
  readonly convNode: string;
  /** The class whose score is explained. */
  readonly classIndex: number;
  /** Which model output holds the class scores (default 0). */
  readonly outputIndex?: number;
}

export interface GradCam {
  /** Input height × width, row-major, in [0, 1] (all 0 when nothing speaks for the class). */
  readonly map: Float32Array;
  readonly height: number;
  readonly width: number;
  /** ReLU(Σ_k α_k A_k) at the conv node's resolution, before upsampling and normalising. */
  readonly raw: Float32Array;
  readonly rawHeight: number;
  readonly rawWidth: number;
  /** α_k: the spatial mean of ∂score/∂A_k per channel. */
  readonly channelWeights: Float32Array;
  /** The model's output for the class (after its activation, e.g. the softmax probability). */
  readonly score: number;
}

/**
 * Bilinear resize with half-pixel centres and edge clamping (PyTorch's align_corners=False,
 * TF's half_pixel_centers=True), of a single-channel h×w map to H×W.
 */
export function resizeBilinear(src: Float32Array, h: number, w: number, H: number, W: number): Float32Array {
  const out = new Float32Array(H * W);
  const axis = (dst: number, n: number, N: number) => {
    const s = Math.max(0, ((dst + 0.5) * n) / N - 0.5);
    const i0 = Math.min(Math.floor(s), n - 1);
    return [i0, Math.min(i0 + 1, n - 1), s - i0] as const;
  };
  for (let y = 0; y < H; y++) {
    const [y0, y1, fy] = axis(y, h, H);
    for (let x = 0; x < W; x++) {
      const [x0, x1, fx] = axis(x, w, W);
      const top = src[y0 * w + x0]! * (1 - fx) + src[y0 * w + x1]! * fx;
      const bottom = src[y1 * w + x0]! * (1 - fx) + src[y1 * w + x1]! * fx;
      out[y * W + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

/**
 * Grad-CAM of `image` ([H, W, C] or [1, H, W, C]) for one class at one conv node: channel weights
 * α_k = mean over (h, w) of ∂score/∂A_k, map = ReLU(Σ_k α_k A_k), upsampled bilinearly to H×W,
 * then scaled to [0, 1] by its min and max.
 * @example const cam = await gradCam(tf, model, image, { convNode: 'c3', classIndex: 7 }); // cam.map: 28×28
 */
export async function gradCam(tfjs: Tfjs, model: tf.LayersModel, image: tf.Tensor, options: GradCamOptions): Promise<GradCam> {
  if (model.inputs.length !== 1) throw new EvalInputError(`Grad-CAM needs a model with one image input; this one has ${model.inputs.length}`, 'model');
  const layer = nodeLayer(model, options.convNode);
  const outShape = (layer.output as tf.SymbolicTensor).shape;
  const [, h, w, k] = outShape;
  if (outShape.length !== 4 || !h || !w || !k) throw new EvalInputError(`node "${options.convNode}" outputs [${outShape.slice(1).join(', ')}]; Grad-CAM needs a convolutional node with an [h, w, channels] output of fixed size`, 'convNode');
  const outputIndex = options.outputIndex ?? 0;
  if (!(outputIndex >= 0 && outputIndex < model.outputs.length)) throw new EvalInputError(`is ${outputIndex}; the model has ${model.outputs.length} outputs`, 'outputIndex');
  const classes = model.outputs[outputIndex]!.shape[model.outputs[outputIndex]!.shape.length - 1]!;
  checkCount(options.classIndex, 0, 'classIndex');
  if (options.classIndex >= classes) throw new EvalInputError(`is ${options.classIndex}; the output has ${classes} classes`, 'classIndex');
  const inShape = model.inputs[0]!.shape;
  const fits = (s: readonly number[]) => s.length === 4 && s[0] === 1 && inShape.slice(1).every((d, i) => d === null || d === s[i + 1]);
  const batched = image.rank === inShape.length - 1 ? [1, ...image.shape] : image.shape;
  if (!fits(batched)) throw new EvalInputError(`shape [${image.shape.join(', ')}] is not one image of the model input [${inShape.slice(1).join(', ')}]`, 'image');
  const x = image.rank === 4 ? image : image.expandDims(0);

  const target = layer as unknown as { call: (inputs: tf.Tensor | tf.Tensor[], kwargs: object) => tf.Tensor | tf.Tensor[] };
  const original = target.call;
  let activation: tf.Tensor | null = null;
  let delta: tf.Tensor | null = null;
  const [grad, act, scoreT] = tfjs.tidy(() => {
    // Within this one synchronous call, the layer returns A + δ and keeps A: ∂score/∂δ = ∂score/∂A.
    target.call = function (this: unknown, inputs, kwargs) {
      const out = original.call(this, inputs, kwargs) as tf.Tensor;
      activation = tfjs.keep(out);
      return tfjs.add(out, delta!);
    };
    try {
      const { value, grad } = tfjs.valueAndGrad((d: tf.Tensor) => {
        delta = d;
        const out = model.apply(x, { training: false }) as tf.Tensor | tf.Tensor[];
        const y = Array.isArray(out) ? out[outputIndex]! : out;
        return y.reshape([-1]).slice(options.classIndex, 1).sum() as tf.Scalar;
      })(tfjs.zeros([1, h, w, k]));
      if (!activation) throw new Error(`node "${options.convNode}" did not run when the model was applied`);
      return [grad, activation as tf.Tensor, value];
    } finally {
      target.call = original;
    }
  });
  if (x !== image) x.dispose();
  const [g, a, s] = await Promise.all([grad.data(), act.data(), scoreT.data()]);
  tfjs.dispose([grad, act, scoreT]);
  const score = s[0]!;
  const channelWeights = new Float32Array(k); // α_k = mean over (h, w) of ∂score/∂A_k
  for (let p = 0; p < h * w; p++) for (let c = 0; c < k; c++) channelWeights[c]! += g[p * k + c]! / (h * w);
  const raw = new Float32Array(h * w); // ReLU(Σ_k α_k A_k), (h, w)
  for (let p = 0; p < h * w; p++) {
    let sum = 0;
    for (let c = 0; c < k; c++) sum += channelWeights[c]! * a[p * k + c]!;
    raw[p] = Math.max(0, sum);
  }
  const [H, W] = [batched[1]!, batched[2]!];
  const map = resizeBilinear(raw, h, w, H, W);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of map) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  for (let p = 0; p < map.length; p++) map[p] = hi > lo ? (map[p]! - lo) / (hi - lo) : 0;
  return { map, height: H, width: W, raw, rawHeight: h, rawWidth: w, channelWeights, score };
}
