// Seeded fixtures for the evaluation tests and the one-process-per-file bridge to scikit-learn.
import { rng, type Rng } from '../../src/engine/random.js';
import { runPython } from '../helpers/python.js';

/** Standard normal by Box–Muller. */
export function gaussian(r: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

export interface ClassCase {
  readonly name: string;
  readonly classes: number;
  readonly labels: Int32Array;
  readonly probs: Float32Array;
}

/** Softmax of noisy logits that lean towards the label (so metrics are neither 0 nor 1). */
export function randomClassCase(name: string, n: number, classes: number, seed: number, opts: { absent?: number; neverPredicted?: number; quantise?: number } = {}): ClassCase {
  const r = rng(seed);
  const labels = new Int32Array(n);
  const probs = new Float32Array(n * classes);
  for (let i = 0; i < n; i++) {
    let y = Math.floor(r() * classes);
    if (y === opts.absent) y = (y + 1) % classes;
    labels[i] = y;
    const logits = Array.from({ length: classes }, (_, c) => gaussian(r) + (c === y ? 1.2 : 0) - (c === opts.neverPredicted ? 20 : 0));
    const m = Math.max(...logits);
    const e = logits.map((l) => Math.exp(l - m));
    const s = e.reduce((a, b) => a + b, 0);
    let p = e.map((v) => v / s);
    if (opts.quantise) {
      // Probabilities on a grid of 1/q that still sum to 1: many exact ties between samples.
      const q = opts.quantise;
      const k = p.map((v) => Math.floor(v * q));
      k[k.indexOf(Math.max(...k))]! += q - k.reduce((a, b) => a + b, 0);
      p = k.map((v) => v / q);
    }
    p.forEach((v, c) => (probs[i * classes + c] = v));
  }
  return { name, classes, labels, probs };
}

/** Runs `script` once with `input` as JSON on stdin and returns its JSON stdout (NaN written as null). */
export function sklearn<T>(script: string, input: unknown): T {
  const r = runPython(script, [], { input: JSON.stringify(input), timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`python failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** Python preamble: read JSON, replace NaN with None on the way out. */
export const PY_PRELUDE = `
import json, sys, warnings
import numpy as np
warnings.filterwarnings('ignore')
data = json.load(sys.stdin)
def clean(v):
    if isinstance(v, float) and v != v: return None
    if isinstance(v, (list, tuple)): return [clean(x) for x in v]
    if isinstance(v, dict): return {k: clean(x) for k, x in v.items()}
    if isinstance(v, np.ndarray): return clean(v.tolist())
    if isinstance(v, (np.floating,)): return clean(float(v))
    if isinstance(v, (np.integer,)): return int(v)
    return v
def out(v): print(json.dumps(clean(v)))
`;

export const list = (a: ArrayLike<number>): number[] => Array.from(a);
