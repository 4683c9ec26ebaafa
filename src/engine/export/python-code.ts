// Small pieces every Python emitter needs: literals, identifiers made from node ids, shape
// comments, and a name pool so two nodes never end up sharing a Python name.
import type { Shape } from '../tensor.js';

const KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else',
  'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise',
  'return', 'try', 'while', 'with', 'yield', 'match', 'case', 'type', 'self',
]);

/** A float as Python reads it: `1.0`, `0.001`, `1e-5`. */
export function pyFloat(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`cannot write ${v} as a Python float literal`);
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${v}.0`;
  return v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential() : String(v);
}

/** `text` broken at spaces into lines of at most `width` characters (a docstring's paragraphs). */
export function wrap(text: string, width = 96): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

/** A module docstring: the text wrapped, `"""` inside it made harmless. */
export function docstring(paragraphs: readonly string[]): string[] {
  const body = paragraphs.flatMap((p, i) => [...(i ? [''] : []), ...wrap(p.replace(/"""/g, "\'\'\'"))]);
  return [`"""${body[0] ?? ''}`, ...body.slice(1), '"""'];
}

/** `True` / `False`. */
export const pyBool = (b: boolean): string => (b ? 'True' : 'False');

/** A single-quoted Python string literal. */
export function pyStr(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

/** `(1, 2)`, `(1,)`, `()`. */
export function pyTuple(xs: readonly (string | number)[]): string {
  return xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(', ')})`;
}

/** `3` when every entry is 3, else `(3, 2)`: how PyTorch and Keras users write window sizes. */
export function pyIntOrTuple(xs: readonly number[]): string {
  return xs.every((x) => x === xs[0]) ? String(xs[0]) : pyTuple(xs);
}

/** Keyword arguments, skipping the ones left undefined (defaults not worth writing). */
export function pyKwargs(entries: Readonly<Record<string, string | undefined>>): string {
  return Object.entries(entries)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

/** `nn.Conv2d(1, 6, kernel_size=5)`: a call from positional and keyword arguments (undefined ones left out). */
export const pyCall = (fn: string, positional: readonly (string | number)[], kwargs: Readonly<Record<string, string | undefined>> = {}): string =>
  `${fn}(${[...positional.map(String), pyKwargs(kwargs)].filter(Boolean).join(', ')})`;

/** `(B, 28, 28, 1)`: a shape comment, the batch written B and unknown sizes `?`. */
export function shapeText(shape: Shape): string {
  return `(${shape.map((d, i) => (i === 0 ? 'B' : d === null ? '?' : String(d))).join(', ')})`;
}

/**
 * A Python identifier for a node id: letters, digits and underscores, not starting with a
 * digit, not a keyword. Not yet unique: see {@link PythonNames}.
 * @example pyIdentifier('conv-1') // 'conv_1'; pyIdentifier('2nd') // 'n2nd'
 */
export function pyIdentifier(raw: string): string {
  let s = raw.replace(/[^A-Za-z0-9_]+/g, '_').replace(/_+/g, '_');
  if (s === '' || s === '_') s = 'layer';
  if (/^[0-9]/.test(s)) s = `n${s}`;
  return KEYWORDS.has(s) ? `${s}_` : s;
}

/** `LeNet-5 on MNIST` → `LeNet5OnMNIST`; a class name for the model. */
export function pascalCase(name: string, fallback = 'Model'): string {
  const s = name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
  if (!s) return fallback;
  return /^[0-9]/.test(s) ? `${fallback}${s}` : s;
}

/**
 * Hands out unique Python names. Reserved names (modules the file imports, its helper
 * functions, nn.Module's own attributes) get a trailing underscore; repeats get `_2`, `_3`, ….
 */
export class PythonNames {
  private readonly taken = new Set<string>();
  constructor(private readonly reserved: ReadonlySet<string>) {}

  claim(base: string): string {
    let name = pyIdentifier(base);
    if (this.reserved.has(name)) name = `${name}_`;
    let candidate = name;
    for (let i = 2; this.taken.has(candidate) || this.reserved.has(candidate); i++) candidate = `${name}_${i}`;
    this.taken.add(candidate);
    return candidate;
  }
}

/** Indents every non-empty line by `levels` × 4 spaces. */
export function indent(lines: readonly string[], levels = 1): string[] {
  const pad = ' '.repeat(4 * levels);
  return lines.map((l) => (l ? pad + l : l));
}

/** Appends `  # comment` to a line (a statement's shape, a reason). */
export const withComment = (line: string, comment: string): string => `${line}  # ${comment}`;
