// How one scored sample looks, for the Evaluate panel's grids and lists: images back to RGBA,
// token ids back to text through the vocabulary, table rows back to raw values where the
// preprocessing says how, anything else as its values; plus the prediction and the loss.
import type { ImagePreprocessing, Preprocessing, Split, TablePreprocessing, TextPreprocessing } from '../engine/data/index.js';
import { EvalError } from './eval-errors.js';
import type { EvalSession } from './eval-session.js';
import type { SampleInfo, SamplePreview } from './evaluator-api.js';

/** Indices one samples() call may ask for. */
export const MAX_PREVIEWS = 200;
/** Values a 'sequence' preview carries at most. */
const MAX_SEQUENCE_VALUES = 1024;

const sampleValues = (x: Split['x'], i: number): Float32Array | Int32Array => {
  const per = x.shape.reduce((a, b) => a * b, 1);
  return x.values.subarray(i * per, (i + 1) * per);
};

/**
 * One image as RGBA (values × 255, clamped; 1 channel → grey). Height, width and channels come
 * from the preprocessing when the values fit it, else from an [h, w, c] sample shape.
 * @example imagePreview(Float32Array.of(0, 1), { height: 1, width: 2, channels: 1 }).rgba // [0,0,0,255, 255,255,255,255]
 */
export function imagePreview(values: ArrayLike<number>, dims: Pick<ImagePreprocessing, 'height' | 'width' | 'channels'>): Extract<SamplePreview, { kind: 'image' }> {
  const { height, width, channels } = dims;
  const rgba = new Uint8ClampedArray(height * width * 4);
  for (let p = 0; p < height * width; p++) {
    for (let k = 0; k < 3; k++) rgba[p * 4 + k] = values[p * channels + (channels === 1 ? 0 : k)]! * 255;
    rgba[p * 4 + 3] = 255;
  }
  return { kind: 'image', width, height, rgba };
}

/** The image dimensions of a session's samples, or null when they are not images. */
export function imageDims(pre: Preprocessing | null, shape: readonly number[]): Pick<ImagePreprocessing, 'height' | 'width' | 'channels'> | null {
  const per = shape.reduce((a, b) => a * b, 1);
  if (pre?.kind === 'image' && pre.height * pre.width * pre.channels === per) return pre;
  const [height, width, channels] = shape;
  return shape.length === 3 && (channels === 1 || channels === 3) ? { height: height!, width: width!, channels } : null;
}

/** Token ids back to text: padding (id 0) left out, words joined by spaces, characters as they are. */
export function textPreview(ids: ArrayLike<number>, pre: TextPreprocessing): Extract<SamplePreview, { kind: 'text' }> {
  const tokens: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (id === 0) continue;
    tokens.push(pre.vocab[id] ?? pre.vocab[1] ?? '<unk>');
  }
  return { kind: 'text', text: tokens.join(pre.tokenizer === 'word' ? ' ' : '') };
}

/**
 * A table row back to raw values: numeric columns un-standardised (value · std + mean); a one-hot
 * group becomes one entry "column = category" with value 1 ("column = (other)", 0, for a
 * category not seen in training).
 */
export function tablePreview(features: ArrayLike<number>, pre: TablePreprocessing): Extract<SamplePreview, { kind: 'table' }> {
  const columns: string[] = [];
  const values: number[] = [];
  let at = 0;
  for (const f of pre.features) {
    switch (f.kind) {
      case 'numeric':
        columns.push(f.column);
        values.push(features[at]! * f.std + f.mean);
        at += 1;
        break;
      case 'one-hot': {
        let hot = -1;
        f.categories.forEach((_, k) => {
          if (hot < 0 && features[at + k]! > 0.5) hot = k;
        });
        columns.push(`${f.column} = ${hot >= 0 ? f.categories[hot] : '(other)'}`);
        values.push(hot >= 0 ? 1 : 0);
        at += f.categories.length;
        break;
      }
      default: {
        const never: never = f;
        throw new Error(`unknown feature encoding ${JSON.stringify(never)}`);
      }
    }
  }
  return { kind: 'table', columns, values };
}

/** How sample `i` of the session looks. */
export function samplePreview(session: EvalSession, i: number): SamplePreview {
  const values = sampleValues(session.split.x, i);
  const pre = session.preprocessing;
  const dims = imageDims(pre, session.split.x.shape);
  if (session.sampleKind === 'image' && dims) return imagePreview(values, dims);
  if (session.sampleKind === 'text' && pre?.kind === 'text') return textPreview(values, pre);
  if (session.sampleKind === 'table' && pre?.kind === 'table' && values.length === pre.features.reduce((n, f) => n + (f.kind === 'numeric' ? 1 : f.categories.length), 0)) return tablePreview(values, pre);
  return { kind: 'sequence', values: Array.from(values.subarray(0, MAX_SEQUENCE_VALUES)) };
}

/** The three most probable classes of row i, most probable first. */
function top3(probs: Float32Array, classes: number, i: number): [number, number][] {
  const row = Array.from({ length: classes }, (_, c) => [c, probs[i * classes + c]!] as [number, number]);
  return row.sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 3);
}

/** Checks the indices a page asked for, naming the first bad one. */
export function checkIndices(indices: readonly number[], count: number): void {
  if (!Array.isArray(indices)) throw new EvalError('bad-request', 'indices must be a list of sample indices');
  if (indices.length > MAX_PREVIEWS) throw new EvalError('bad-request', `at most ${MAX_PREVIEWS} samples per request; got ${indices.length}`);
  indices.forEach((i, k) => {
    if (!Number.isInteger(i) || i < 0 || i >= count) throw new EvalError('bad-request', `indices[${k}] = ${i} is not a sample of this evaluation (0…${count - 1})`);
  });
}

/** Previews and predictions of `indices`, in the order asked (see EvaluatorApi.samples). */
export function sampleInfos(session: EvalSession, indices: readonly number[]): SampleInfo[] {
  checkIndices(indices, session.split.count);
  const s = session.scores;
  return indices.map((index): SampleInfo => {
    const preview = samplePreview(session, index);
    switch (s.task) {
      case 'classification': {
        const C = s.report.classes;
        return { index, preview, label: s.labels[index]!, predicted: s.report.predicted[index]!, top: top3(s.probs, C, index), loss: s.report.losses[index]! };
      }
      case 'regression':
        return { index, preview, actual: s.actual[index * s.outputs]!, prediction: s.predicted[index * s.outputs]!, loss: s.losses[index]! };
      default: {
        const never: never = s;
        throw new Error(`unknown task ${JSON.stringify(never)}`);
      }
    }
  });
}
