// Follow-up questions about an evaluation's model: Grad-CAM of one sample at a spatial node, and
// a 2-D projection (PCA or t-SNE) of a node's activations over the first samples of the split.
import { nodeActivations, type Tfjs } from '../engine/eval/activations.js';
import { gradCam } from '../engine/eval/grad-cam.js';
import { pca, tsne, TSNE_MAX_POINTS } from '../engine/eval/index.js';
import { firstSamples } from './eval-data.js';
import { EvalError } from './eval-errors.js';
import { imageDims, imagePreview } from './eval-previews.js';
import { inputBatch } from './eval-scores.js';
import type { EvalSession } from './eval-session.js';
import type { GradCamReply, GradCamRequest, ProjectionReply, ProjectionRequest } from './evaluator-api.js';

/** Points projected when the request does not say. */
export const DEFAULT_PROJECTION_POINTS = 1000;
/** Fewest points a projection accepts (t-SNE needs 4). */
const MIN_POINTS = 4;
/** Samples run through the model at once for their activations. */
const ACTIVATION_CHUNK = 256;

function nodeOf(session: EvalSession, nodeId: unknown) {
  const node = session.nodes.find((n) => n.id === nodeId);
  if (!node) throw new EvalError('bad-request', `there is no node ${JSON.stringify(nodeId)} in this model; its nodes are ${session.nodes.map((n) => n.id).join(', ')}`);
  return node;
}

/** The predicted class of sample i (classification), else output 0. */
const predictedOf = (session: EvalSession, i: number): number => (session.scores.task === 'classification' ? session.scores.report.predicted[i]! : 0);

/**
 * Grad-CAM of sample `index` at a spatial node, for `classIndex` (null: the predicted class).
 * @throws EvalError 'bad-request' for a bad index, class or a node without an [h, w, c] output.
 */
export async function explainSample(tfjs: Tfjs, session: EvalSession, r: GradCamRequest): Promise<Extract<GradCamReply, { ok: true }>> {
  const count = session.split.count;
  if (!Number.isInteger(r.index) || r.index < 0 || r.index >= count) throw new EvalError('bad-request', `index ${r.index} is not a sample of this evaluation (0…${count - 1})`);
  const node = nodeOf(session, r.nodeId);
  if (!node.spatial) {
    const usable = session.nodes.filter((n) => n.spatial).map((n) => `${n.id} (${n.kind})`);
    throw new EvalError('bad-request', `Grad-CAM needs a node with an [height, width, channels] output; "${node.id}" outputs [${node.shape.join(', ')}]. ${usable.length ? `Nodes that can be used: ${usable.join(', ')}` : 'This model has no such node (no convolution or pooling over an image)'}`);
  }
  const dims = imageDims(session.preprocessing, session.inputShape);
  if (!dims) throw new EvalError('bad-request', `Grad-CAM explains image inputs; this model's input is [${session.inputShape.join(', ')}]`);
  const classIndex = r.classIndex ?? predictedOf(session, r.index);
  const image = inputBatch(tfjs, session.split, r.index, r.index + 1, session.inputShape, session.inputDtype);
  try {
    const cam = await gradCam(tfjs, session.model, image, { convNode: node.id, classIndex });
    const per = session.inputShape.reduce((a, b) => a * b, 1);
    const preview = imagePreview(session.split.x.values.subarray(r.index * per, (r.index + 1) * per), dims);
    return { ok: true, index: r.index, nodeId: node.id, classIndex, image: preview, map: cam.map, score: cam.score };
  } finally {
    image.dispose();
  }
}

/**
 * A node's activations for the first `maxPoints` samples, flattened per sample, in 2-D
 * (`chunk`: samples run through the model at once).
 * @throws EvalError 'bad-request' for an unknown node, a bad maxPoints or too few samples.
 */
export async function projectNode(tfjs: Tfjs, session: EvalSession, r: ProjectionRequest, now: () => number = () => performance.now(), chunk = ACTIVATION_CHUNK): Promise<Extract<ProjectionReply, { ok: true }>> {
  const t0 = now();
  const node = nodeOf(session, r.nodeId);
  if (r.method !== 'pca' && r.method !== 'tsne') throw new EvalError('bad-request', `method must be "pca" or "tsne"; got ${JSON.stringify(r.method)}`);
  const asked = r.maxPoints ?? DEFAULT_PROJECTION_POINTS;
  if (!Number.isInteger(asked) || asked < MIN_POINTS) throw new EvalError('bad-request', `maxPoints must be a whole number ≥ ${MIN_POINTS}; got ${asked}`);
  const seed = r.seed ?? 0;
  if (!Number.isInteger(seed)) throw new EvalError('bad-request', `seed must be a whole number; got ${seed}`);
  const n = Math.min(asked, session.split.count, r.method === 'tsne' ? TSNE_MAX_POINTS : Infinity);
  if (n < MIN_POINTS) throw new EvalError('bad-request', `a projection needs at least ${MIN_POINTS} samples; this evaluation has ${session.split.count}`);
  const split = firstSamples(session.split, n);
  // Chunk by chunk: n large images as one input tensor could take gigabytes.
  const chunks: Float32Array[] = [];
  for (let from = 0; from < n; from += chunk) {
    const x = inputBatch(tfjs, split, from, Math.min(n, from + chunk), session.inputShape, session.inputDtype);
    try {
      chunks.push((await nodeActivations(tfjs, session.model, node.id, [x])).values);
    } finally {
      x.dispose();
    }
  }
  const d = chunks[0]!.length / Math.min(n, chunk);
  const activations = new Float32Array(n * d);
  chunks.forEach((c, k) => activations.set(c, k * chunk * d));
  let points: Float32Array;
  let explained: number[] | null = null;
  if (r.method === 'pca') {
    if (d < 2) throw new EvalError('bad-request', `node "${node.id}" outputs ${d} value per sample; PCA to 2-D needs at least 2`);
    const p = pca(activations, n, d, 2, { seed });
    points = p.projected;
    explained = Array.from(p.explainedVarianceRatio);
  } else {
    points = tsne(activations, n, d, { seed });
  }
  const s = session.scores;
  const labels = s.task === 'classification' ? s.labels.slice(0, n) : null;
  const values = s.task === 'regression' ? Float32Array.from({ length: n }, (_, i) => s.actual[i * s.outputs]!) : null;
  return { ok: true, nodeId: node.id, method: r.method, points, indices: Int32Array.from({ length: n }, (_, i) => i), labels, values, explained, ms: now() - t0 };
}
