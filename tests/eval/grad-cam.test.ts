// Layer activations and Grad-CAM against PyTorch: the same small CNN (compiled from a graph,
// weights copied into torch with layout conversions), Grad-CAM computed there with autograd.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../src/engine/compile/compile.js';
import { nodeActivations } from '../../src/engine/eval/activations.js';
import { gradCam, resizeBilinear } from '../../src/engine/eval/grad-cam.js';
import { nodeWeights, setNodeWeights } from '../../src/engine/export/weights.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import type { NodeId } from '../../src/engine/ids.js';
import { rng } from '../../src/engine/random.js';
import { GraphBuilder } from '../../src/engine/templates/builder.js';
import { PY_PRELUDE, list, sklearn } from './fixtures.js';

const [H, W, C, B] = [12, 10, 3, 4];

function buildModel(): tf.LayersModel {
  const g = new GraphBuilder();
  g.chain(g.input('image', [H, W, C]), [
    ['c1', 'Conv2D', { filters: 4, kernelSize: [3, 3], padding: 'same', activation: 'relu' }],
    ['c2', 'Conv2D', { filters: 6, kernelSize: [3, 3], activation: 'relu' }], // [10, 8, 6]
    ['pool', 'MaxPooling2D', { poolSize: [2, 2] }], // [5, 4, 6]
    ['flatten', 'Flatten', {}],
    ['out', 'Dense', { units: 5, activation: 'softmax' }],
  ]);
  const { model } = compileGraph(analyzeGraph(g.build()), { seed: 5 });
  // Non-zero biases and larger weights than the initialiser gives, so every term matters.
  const r = rng(9);
  const weights = new Map<NodeId, Float32Array[]>([...nodeWeights(model)].map(([id, ws]) => [id, ws.map((w) => Float32Array.from(w.values, () => (r() - 0.45) * (w.name === 'bias' ? 0.2 : 0.6)))]));
  setNodeWeights(tf, model, weights);
  return model;
}

const SCRIPT = `${PY_PRELUDE}
import torch
import torch.nn.functional as F
torch.set_default_dtype(torch.float64)
w = {k: torch.tensor(v['values']).reshape(v['shape']) for k, v in data['weights'].items()}
H, W, C = data['H'], data['W'], data['C']
def forward(x):  # x: NCHW
    acts = {}
    k = lambda name: w[name + '/kernel'].permute(3, 2, 0, 1)  # TF [kh, kw, in, out] → torch [out, in, kh, kw]
    acts['c1'] = F.relu(F.conv2d(x, k('c1'), w['c1/bias'], padding=1))
    acts['c2'] = F.relu(F.conv2d(acts['c1'], k('c2'), w['c2/bias']))
    acts['pool'] = F.max_pool2d(acts['c2'], 2)
    flat = acts['pool'].permute(0, 2, 3, 1).reshape(x.shape[0], -1)  # TF flattens channels-last
    probs = torch.softmax(flat @ w['out/kernel'] + w['out/bias'], dim=1)
    return acts, probs
x = torch.tensor(data['images']).reshape(-1, H, W, C).permute(0, 3, 1, 2)
acts, probs = forward(x)
res = {'probs': probs.detach().ravel().numpy(), 'c2': acts['c2'].detach().permute(0, 2, 3, 1).ravel().numpy(), 'cams': []}
for case in data['cams']:
    acts, probs = forward(x[case['image']:case['image'] + 1].clone().requires_grad_(True))
    A = acts[case['node']]; A.retain_grad()
    score = probs[0, case['cls']]; score.backward()
    alpha = A.grad.mean(dim=(2, 3))  # (1, k)
    raw = F.relu((alpha[:, :, None, None] * A).sum(dim=1))  # (1, h, w)
    up = F.interpolate(raw[None], size=(H, W), mode='bilinear', align_corners=False)[0, 0]
    lo, hi = up.min(), up.max()
    m = (up - lo) / (hi - lo) if hi > lo else torch.zeros_like(up)
    res['cams'].append({'score': score.item(), 'alpha': alpha.ravel().detach().numpy(), 'raw': raw.ravel().detach().numpy(), 'map': m.ravel().detach().numpy()})
out(res)
`;

interface Cam {
  score: number;
  alpha: number[];
  raw: number[];
  map: number[];
}

describe('activations and Grad-CAM vs PyTorch', () => {
  const r = rng(3);
  const images = Float32Array.from({ length: B * H * W * C }, () => r());
  let model: tf.LayersModel;
  let torch: { probs: number[]; c2: number[]; cams: Cam[] };
  const cases: { image: number; node: string; cls: number }[] = [];

  beforeAll(async () => {
    await tf.setBackend('cpu');
    model = buildModel();
    const probs = (model.predict(tf.tensor4d(images, [B, H, W, C])) as tf.Tensor).arraySync() as number[][];
    // For each image: the predicted class and the least likely one, at every conv-shaped node.
    for (let image = 0; image < 2; image++) {
      const p = probs[image]!;
      for (const node of ['c1', 'c2', 'pool']) for (const cls of [p.indexOf(Math.max(...p)), p.indexOf(Math.min(...p))]) cases.push({ image, node, cls });
    }
    const weights = Object.fromEntries([...nodeWeights(model)].flatMap(([id, ws]) => ws.map((wt) => [`${id}/${wt.name}`, { values: list(wt.values), shape: wt.shape }])));
    torch = sklearn(SCRIPT, { weights, H, W, C, images: list(images), cams: cases });
  });

  it('runs the same network as torch (probabilities within 1e-5)', () => {
    const probs = (model.predict(tf.tensor4d(images, [B, H, W, C])) as tf.Tensor).dataSync();
    list(probs).forEach((v, i) => expect(Math.abs(v - torch.probs[i]!)).toBeLessThan(1e-5));
  });

  it('reads any node’s activations for a batch, in batches (c2: [10, 8, 6] per image)', async () => {
    const acts = await nodeActivations(tf, model, 'c2', [tf.tensor4d(images, [B, H, W, C])], 3);
    expect(acts.shape).toEqual([10, 8, 6]);
    expect(acts.count).toBe(B);
    expect(acts.values.length).toBe(torch.c2.length);
    list(acts.values).forEach((v, i) => expect(Math.abs(v - torch.c2[i]!)).toBeLessThan(1e-5));
    const input = await nodeActivations(tf, model, 'image', [tf.tensor4d(images, [B, H, W, C])]);
    expect(list(input.values)).toEqual(list(images));
  });

  it('matches torch’s Grad-CAM maps to 1e-4 at every conv-shaped node, for the likeliest and least likely class', async () => {
    expect(cases.length).toBe(12);
    let nonTrivial = 0;
    for (const [k, c] of cases.entries()) {
      const image = tf.tensor3d(images.subarray(c.image * H * W * C, (c.image + 1) * H * W * C), [H, W, C]);
      const cam = await gradCam(tf, model, image, { convNode: c.node, classIndex: c.cls });
      const want = torch.cams[k]!;
      const where = `${c.node}, image ${c.image}, class ${c.cls}`;
      expect(cam.score, where).toBeCloseTo(want.score, 5);
      list(cam.channelWeights).forEach((v, i) => expect(Math.abs(v - want.alpha[i]!), `${where}: α[${i}]`).toBeLessThan(1e-6 + 1e-4 * Math.abs(want.alpha[i]!)));
      list(cam.raw).forEach((v, i) => expect(Math.abs(v - want.raw[i]!), `${where}: raw[${i}]`).toBeLessThan(1e-6 + 1e-4 * Math.abs(want.raw[i]!)));
      expect([cam.height, cam.width]).toEqual([H, W]);
      list(cam.map).forEach((v, i) => expect(Math.abs(v - want.map[i]!), `${where}: map[${i}]`).toBeLessThan(1e-4));
      if (Math.max(...want.map) === 1 && k % 2 === 0) nonTrivial++; // even cases: the predicted class
      image.dispose();
    }
    expect(nonTrivial).toBe(6); // no predicted-class map is all zeros (least likely ones may be)
  });

  it('leaves the model as it was (same predictions, no leaked tensors)', async () => {
    const x = tf.tensor4d(images, [B, H, W, C]);
    const before = list((model.predict(x) as tf.Tensor).dataSync());
    const image = tf.tensor4d(images.subarray(0, H * W * C), [1, H, W, C]);
    const n = tf.memory().numTensors;
    await gradCam(tf, model, image, { convNode: 'c2', classIndex: 1 });
    expect(tf.memory().numTensors).toBe(n);
    expect(list((model.predict(x) as tf.Tensor).dataSync())).toEqual(before);
  });

  it('refuses a non-convolutional node, an unknown node, a bad class or image, naming them', async () => {
    const image = tf.zeros([H, W, C]);
    await expect(gradCam(tf, model, image, { convNode: 'flatten', classIndex: 0 })).rejects.toThrow(/convNode: node "flatten" outputs \[120\]; Grad-CAM needs a convolutional node/);
    await expect(gradCam(tf, model, image, { convNode: 'conv9', classIndex: 0 })).rejects.toThrow(/nodeId: no node "conv9" in the model \(nodes: image, c1, c2, pool, flatten, out\)/);
    await expect(gradCam(tf, model, image, { convNode: 'c1', classIndex: 5 })).rejects.toThrow(/classIndex: is 5; the output has 5 classes/);
    await expect(gradCam(tf, model, tf.zeros([H, W + 1, C]), { convNode: 'c1', classIndex: 0 })).rejects.toThrow(/image: shape \[12, 11, 3\] is not one image of the model input \[12, 10, 3\]/);
  });

  it('upsamples like torch’s bilinear align_corners=False (hand-worked 2×2 → 4×4 row)', () => {
    // Source x-coordinates for 4 outputs from 2 inputs: -0.25→0 (clamped), 0.25, 0.75, 1.25→1.
    const out = resizeBilinear(Float32Array.of(0, 4, 0, 4), 2, 2, 4, 4);
    expect(list(out.subarray(0, 4))).toEqual([0, 1, 3, 4]);
  });
});
