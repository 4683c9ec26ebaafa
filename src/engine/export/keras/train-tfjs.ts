// train_tfjs.mjs: a Node script that trains the TF.js export (model.json + weights.bin) with the
// project's loss, metrics, optimizer, schedule, batch size, epochs, L2, clipping and gradient
// accumulation, written as NeuralForge's trainer computes them, on a JSON data file.
import type * as tf from '@tensorflow/tfjs';
import type { Project } from '../../project/types.js';
import { resolveTrainingConfig, trainingConfigIssues } from '../../train/config.js';
import { labelDtype, outputActivation } from '../../train/losses.js';
import { wrap } from '../python-code.js';
import { jsLoss, jsMetrics, jsOptimizer, jsSchedule } from './train-tfjs-parts.js';

const RUNTIME = `/** NeuralForge's seeded generator (mulberry32) and Fisher-Yates shuffle, for repeatable epochs. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const shuffle = (items, random) => {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
};
const range = (n) => Array.from({ length: n }, (_, i) => i);

/** model.json and its weight files; NeuralForge's own layers come from custom-layers.js beside it. */
async function loadModel(path) {
  const custom = join(dirname(path), 'custom-layers.js');
  if (existsSync(custom)) await import(pathToFileURL(resolve(custom)).href);
  const json = JSON.parse(readFileSync(path, 'utf8'));
  const files = json.weightsManifest.flatMap((group) => group.paths.map((p) => readFileSync(join(dirname(path), p))));
  const data = Buffer.concat(files);
  return tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
    weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength),
  }));
}

/** {"x_train", "y_train"[, "x_test", "y_test"]}: nested arrays shaped as the model's input and labels. */
function loadData(path, inputDtype) {
  const d = JSON.parse(readFileSync(path, 'utf8'));
  for (const key of ['x_train', 'y_train']) if (!Array.isArray(d[key])) throw new Error(\`\${path} has no "\${key}" array\`);
  const tensors = (x, y) => ({ x: tf.tensor(x, undefined, inputDtype), y: tf.tensor(y, undefined, LABEL_DTYPE) });
  return { train: tensors(d.x_train, d.y_train), test: Array.isArray(d.x_test) ? tensors(d.x_test, d.y_test) : null };
}

const rows = (data, indices) => tf.tidy(() => {
  const i = tf.tensor1d(indices, 'int32');
  return { x: tf.gather(data.x, i), y: tf.gather(data.y, i) };
});

/** An epoch's loss and metric sums, and how many items each counted. */
class Totals {
  loss = 0;
  samples = 0;
  sums = {};
  counts = {};

  add(y, p, loss) {
    const n = y.shape[0];
    this.loss += loss.dataSync()[0] * n;
    this.samples += n;
    for (const [name, measure] of Object.entries(METRICS)) {
      const [sum, count] = measure(y, p);
      this.sums[name] = (this.sums[name] ?? 0) + sum.dataSync()[0];
      this.counts[name] = (this.counts[name] ?? 0) + count;
    }
  }

  /** { loss, accuracy, … }, or with prefix 'val' { valLoss, valAccuracy, … }: NeuralForge's names. */
  result(prefix = '') {
    const named = (k) => (prefix ? prefix + k[0].toUpperCase() + k.slice(1) : k);
    const values = { loss: this.loss / this.samples, ...Object.fromEntries(Object.keys(this.sums).map((k) => [k, this.sums[k] / this.counts[k]])) };
    return Object.fromEntries(Object.entries(values).map(([k, v]) => [named(k), v]));
  }
}

function evaluate(model, data) {
  const totals = new Totals();
  const n = data.x.shape[0];
  for (let from = 0; from < n; from += BATCH_SIZE) {
    tf.tidy(() => {
      const b = rows(data, range(Math.min(BATCH_SIZE, n - from)).map((i) => from + i));
      const p = model.apply(b.x, { training: false });
      totals.add(b.y, p, loss(b.y, p));
    });
  }
  return totals;
}

const format = (record) => Object.entries(record).map(([k, v]) => \`\${k} \${v.toFixed(4)}\`).join('  ');`;

interface Features {
  readonly l2: number;
  readonly clipNorm: number | null;
}

/** Gradient steps between the backward pass and the update: L2, then clipping, as NeuralForge. */
function gradientLines(f: Features): string[] {
  return [
    ...(f.l2 > 0 ? ['    grads = tf.tidy(() => grads.map((g, i) => (weights[i].rank >= 2 ? tf.add(g, tf.mul(2 * L2, weights[i])) : tf.clone(g)))); // ∂(L2·Σw²)/∂w'] : []),
    ...(f.clipNorm !== null
      ? [
          '    grads = tf.tidy(() => {',
          '      const norm = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g)))));',
          '      return grads.map((g) => tf.mul(g, tf.div(CLIP_NORM, tf.maximum(norm, CLIP_NORM))));',
          '    });',
        ]
      : []),
  ];
}

const fit = (f: Features) => `/** Trains in place; one record per epoch. */
function fit(model, train, validation, epochs) {
  const weights = model.trainableWeights.map((w) => w.read());
  const update = makeOptimizer(weights);
  const random = rng(SEED);
  const n = train.x.shape[0];
  const microBatches = Math.ceil(n / BATCH_SIZE);
  const totalSteps = Math.ceil(microBatches / ACCUMULATION_STEPS) * epochs;
  let step = 0;
  const history = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = shuffle(range(n), random);
    const totals = new Totals();
    for (let first = 0; first < microBatches; first += ACCUMULATION_STEPS) {
      const last = Math.min(microBatches, first + ACCUMULATION_STEPS);
      const groupSamples = Math.min(n, last * BATCH_SIZE) - first * BATCH_SIZE;
      let grads = weights.map((w) => tf.zerosLike(w));
      for (let m = first; m < last; m++) {
        const indices = order.slice(m * BATCH_SIZE, (m + 1) * BATCH_SIZE);
        const next = tf.tidy(() => {
          const b = rows(train, indices);
          const { grads: named } = tf.variableGrads(() => {
            const p = model.apply(b.x, { training: true });
            const l = loss(b.y, p);
            totals.add(b.y, p, l);
            return tf.mul(l, indices.length / groupSamples); // the group's gradient is a mean over its samples
          }, weights);
          return grads.map((g, i) => tf.add(g, named[weights[i].name] ?? tf.zerosLike(weights[i])));
        });
        tf.dispose(grads);
        grads = next;
      }
${gradientLines(f).map((l) => `  ${l}`).join('\n')}
      update(grads, learningRate(step, epoch, totalSteps));
      tf.dispose(grads);
      step += 1;
    }
    const record = { ...totals.result(), ...(validation ? evaluate(model, validation).result('val') : {}) };
    history.push(record);
    console.log(\`epoch \${epoch + 1}/\${epochs}  \${format(record)}\`);
  }
  return history;
}`;

/** Saves as model.json + weights.bin in \`dir\`, the TF.js export's layout. */
const SAVE = `async function save(model, dir) {
  mkdirSync(dir, { recursive: true });
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const weightsManifest = [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }];
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ format: 'layers-model', modelTopology: artifacts.modelTopology, weightsManifest }));
    writeFileSync(join(dir, 'weights.bin'), Buffer.from(tf.io.CompositeArrayBuffer.join(artifacts.weightData)));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
}`;

const MAIN = `const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: 'model.json' },
    data: { type: 'string', default: 'data.json' },
    epochs: { type: 'string', default: String(EPOCHS) },
    out: { type: 'string', default: 'trained' },
  },
});
const model = await loadModel(args.model);
if (model.inputs.length !== 1 || model.outputs.length !== 1) throw new Error('training needs a model with one input and one output');
let { train, test } = loadData(args.data, model.inputs[0].dtype);
let validation = null;
if (VALIDATION_SPLIT > 0) {
  const order = shuffle(range(train.x.shape[0]), rng(SEED + 1));
  const held = Math.round(order.length * VALIDATION_SPLIT);
  [validation, train] = [rows(train, order.slice(0, held)), rows(train, order.slice(held))];
}
fit(model, train, validation, Number(args.epochs));
if (test) console.log(\`test  \${format(evaluate(model, test).result())}\`);
await save(model, args.out);
console.log(\`saved the trained model to \${args.out}\`);`;

/** The script, or the reason there is none: the project cannot train (as in NeuralForge). */
export function trainTfjs(project: Project, model: tf.LayersModel): { readonly ok: true; readonly source: string } | { readonly ok: false; readonly reason: string } {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) return { ok: false, reason: `training needs one Input and one output; this model has ${model.inputs.length} and ${model.outputs.length}` };
  const issues = trainingConfigIssues(project.training);
  if (issues.length) return { ok: false, reason: `the training section has problems: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}` };
  const c = resolveTrainingConfig(project.training);
  const output = outputActivation(model);
  const lastDim = (model.outputs[0]!.shape.at(-1) as number | null) ?? 1;
  const lossSource = jsLoss(c.loss, output);
  const header = [
    ...wrap(`Trains "${project.name}" with TF.js in Node as NeuralForge would: ${c.optimizer.name}, ${c.loss}, batch ${c.batchSize}, ${c.epochs} epochs.`).map((l) => `// ${l}`),
    '//',
    '// Usage: node train_tfjs.mjs --model model.json --data data.json [--epochs N] [--out trained]',
    '//',
    ...wrap(
      "model.json and weights.bin come from NeuralForge's TF.js export (with custom-layers.js when the model uses NeuralForge's " +
        'own layers). data.json: {"x_train": [...], "y_train": [...]} and optionally "x_test", "y_test", nested arrays shaped as ' +
        `the model's input and its labels (${c.loss === 'sparseCategoricalCrossentropy' || c.loss === 'nextTokenCrossentropy' ? 'class ids' : 'floats'} for ${c.loss}). ` +
        'Needs @tensorflow/tfjs where it runs (npm install @tensorflow/tfjs). Early stopping is not part of this script.',
    ).map((l) => `// ${l}`),
    "import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';",
    "import { dirname, join, resolve } from 'node:path';",
    "import { pathToFileURL } from 'node:url';",
    "import { parseArgs } from 'node:util';",
    "import * as tf from '@tensorflow/tfjs';",
    '',
    `const SEED = ${c.seed};`,
    `const BATCH_SIZE = ${c.batchSize};`,
    `const EPOCHS = ${c.epochs};`,
    `const VALIDATION_SPLIT = ${c.validationSplit}; // of the training samples, a seeded choice`,
    `const ACCUMULATION_STEPS = ${c.accumulationSteps}; // mini-batches per optimizer step`,
    ...(c.l2 > 0 ? [`const L2 = ${c.l2}; // penalty L2·Σw² on matrices and kernels`] : []),
    ...(c.clipNorm !== null ? [`const CLIP_NORM = ${c.clipNorm}; // largest global gradient norm`] : []),
    `const LABEL_DTYPE = '${labelDtype(c.loss)}';`,
    ...(lossSource.includes('CLIP_EPSILON') ? ["const CLIP_EPSILON = 1e-7; // Keras's fuzz factor: probabilities stay inside [ε, 1 − ε] before a log"] : []),
  ];
  const parts = [
    header.join('\n'),
    lossSource,
    jsMetrics(c.metrics, c.loss, output, lastDim),
    jsOptimizer(c.optimizer),
    jsSchedule(c.schedule, c.optimizer.learningRate),
    RUNTIME,
    fit({ l2: c.l2, clipNorm: c.clipNorm }),
    SAVE,
    MAIN,
  ];
  return { ok: true, source: `${parts.join('\n\n')}\n` };
}
