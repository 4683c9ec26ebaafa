// Layer parameter descriptors: each kind declares its params once, as data, so that
// validation, defaults, documentation and (later) the properties panel all read the
// same definition. Resolved values are normalised (a kernelSize of 3 becomes [3, 3]).

export type ParamDef =
  | { readonly type: 'int'; readonly default: number | null; readonly min?: number; readonly max?: number; readonly nullable?: boolean; readonly doc: string }
  | { readonly type: 'float'; readonly default: number | null; readonly min?: number; readonly max?: number; readonly minExclusive?: boolean; readonly nullable?: boolean; readonly doc: string }
  | { readonly type: 'bool'; readonly default: boolean; readonly doc: string }
  | { readonly type: 'enum'; readonly values: readonly string[]; readonly default: string; readonly doc: string }
  /** A fixed-length tuple of ints; a single number is broadcast to every entry. */
  | { readonly type: 'ints'; readonly length: number; readonly default: number | readonly number[] | null; readonly min: number; readonly nullable?: boolean; readonly doc: string }
  /** A list of ints of any length (a shape, a permutation); `-1` allowed where `allowMinusOne`. */
  | { readonly type: 'intList'; readonly default: readonly number[] | null; readonly min: number; readonly allowMinusOne?: boolean; readonly doc: string }
  /** Per-dimension (before, after) pairs: accepts n, [a, b] (symmetric per dim) or [[a, b], [c, d]]. */
  | { readonly type: 'pairs'; readonly dims: number; readonly default: number; readonly doc: string };

export type ParamSchema = Readonly<Record<string, ParamDef>>;

type ValueOf<D> = D extends { type: 'int' }
  ? D extends { nullable: true } ? number | null : number
  : D extends { type: 'float' } ? D extends { nullable: true } ? number | null : number
  : D extends { type: 'bool' } ? boolean
  : D extends { type: 'enum'; values: readonly (infer V)[] } ? V
  : D extends { type: 'ints' } ? D extends { nullable: true } ? number[] | null : number[]
  : D extends { type: 'intList' } ? number[]
  : D extends { type: 'pairs' } ? [number, number][]
  : never;

export type ParamsOf<S extends ParamSchema> = { -readonly [K in keyof S]: ValueOf<S[K]> };

// Constructors keep literal types (enum values, nullable) so ParamsOf is precise.
export const int = <const O extends { default: number | null; min?: number; max?: number; nullable?: boolean; doc: string }>(o: O) => ({ type: 'int', ...o }) as const;
export const float = <const O extends { default: number | null; min?: number; max?: number; minExclusive?: boolean; nullable?: boolean; doc: string }>(o: O) => ({ type: 'float', ...o }) as const;
export const bool = <const O extends { default: boolean; doc: string }>(o: O) => ({ type: 'bool', ...o }) as const;
export const oneOf = <const V extends readonly string[], const O extends { default: V[number]; doc: string }>(values: V, o: O) =>
  ({ type: 'enum', values, ...o }) as const;
export const ints = <const O extends { length: number; default: number | readonly number[] | null; min: number; nullable?: boolean; doc: string }>(o: O) => ({ type: 'ints', ...o }) as const;
export const intList = <const O extends { default: readonly number[] | null; min: number; allowMinusOne?: boolean; doc: string }>(o: O) => ({ type: 'intList', ...o }) as const;
export const pairs = <const O extends { dims: number; default: number; doc: string }>(o: O) => ({ type: 'pairs', ...o }) as const;

export interface ParamIssue {
  readonly param: string;
  readonly code: 'invalid-param' | 'unknown-param' | 'missing-param';
  readonly message: string;
  readonly suggestion: string;
}

export type Resolved<S extends ParamSchema> =
  | { readonly ok: true; readonly params: ParamsOf<S> }
  | { readonly ok: false; readonly issues: readonly ParamIssue[] };

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

function describe(v: unknown): string {
  if (typeof v === 'string') return `"${v}"`;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** Returns an error sentence, or the normalised value. */
function check(name: string, def: ParamDef, v: unknown): { error: string } | { value: unknown } {
  switch (def.type) {
    case 'int': {
      if (v === null && def.nullable) return { value: null };
      if (!isInt(v)) return { error: `${name} must be a whole number; got ${describe(v)}` };
      if (def.min !== undefined && v < def.min) return { error: `${name} must be at least ${def.min}; got ${v}` };
      if (def.max !== undefined && v > def.max) return { error: `${name} must be at most ${def.max}; got ${v}` };
      return { value: v };
    }
    case 'float': {
      if (v === null && def.nullable) return { value: null };
      if (typeof v !== 'number' || !Number.isFinite(v)) return { error: `${name} must be a number; got ${describe(v)}` };
      if (def.min !== undefined && (def.minExclusive ? v <= def.min : v < def.min))
        return { error: `${name} must be ${def.minExclusive ? 'greater than' : 'at least'} ${def.min}; got ${v}` };
      if (def.max !== undefined && v > def.max) return { error: `${name} must be at most ${def.max}; got ${v}` };
      return { value: v };
    }
    case 'bool':
      return typeof v === 'boolean' ? { value: v } : { error: `${name} must be true or false; got ${describe(v)}` };
    case 'enum':
      return typeof v === 'string' && def.values.includes(v)
        ? { value: v }
        : { error: `${name} must be one of ${def.values.map((x) => `'${x}'`).join(', ')}; got ${describe(v)}` };
    case 'ints': {
      if (v === null && def.nullable) return { value: null };
      const arr = isInt(v) ? new Array<number>(def.length).fill(v) : v;
      if (!Array.isArray(arr) || arr.length !== def.length || !arr.every(isInt))
        return { error: `${name} must be a whole number or a list of ${def.length}; got ${describe(v)}` };
      if (arr.some((x) => x < def.min)) return { error: `${name} entries must be at least ${def.min}; got ${describe(v)}` };
      return { value: arr };
    }
    case 'intList': {
      if (!Array.isArray(v) || !v.every(isInt)) return { error: `${name} must be a list of whole numbers; got ${describe(v)}` };
      const bad = v.find((x) => x < def.min && !(def.allowMinusOne && x === -1));
      if (bad !== undefined) return { error: `${name} entries must be at least ${def.min}${def.allowMinusOne ? ' (or -1)' : ''}; got ${describe(v)}` };
      if (def.allowMinusOne && v.filter((x) => x === -1).length > 1) return { error: `${name} may contain -1 only once; got ${describe(v)}` };
      return { value: [...v] };
    }
    case 'pairs': {
      const err = { error: `${name} must be a number, a list of ${def.dims} numbers, or ${def.dims} [before, after] pairs; got ${describe(v)}` };
      let out: [number, number][];
      if (isInt(v)) out = Array.from({ length: def.dims }, () => [v, v] as [number, number]);
      else if (Array.isArray(v) && v.length === def.dims && v.every(isInt)) out = v.map((x: number) => [x, x] as [number, number]);
      else if (Array.isArray(v) && v.length === def.dims && v.every((p) => Array.isArray(p) && p.length === 2 && p.every(isInt)))
        out = v.map((p: number[]) => [p[0]!, p[1]!] as [number, number]);
      else return err;
      if (out.some(([a, b]) => a < 0 || b < 0)) return { error: `${name} must not be negative; got ${describe(v)}` };
      return { value: out };
    }
    default: {
      const never: never = def;
      throw new Error(`unhandled param type ${(never as ParamDef).type}`);
    }
  }
}

function defaultOf(def: ParamDef): unknown {
  if (def.type === 'ints' && typeof def.default === 'number') return new Array<number>(def.length).fill(def.default);
  if (def.type === 'pairs') return Array.from({ length: def.dims }, () => [def.default, def.default]);
  if ((def.type === 'ints' || def.type === 'intList') && Array.isArray(def.default)) return [...def.default];
  return def.default;
}

/** Edit distance, to suggest `filters` for a misspelt `filter`. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

export function closestName(name: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const c of candidates) {
    const d = distance(name, c);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

/**
 * Validate raw params against a schema and fill in defaults.
 * @example resolveParams(conv2d.params, { filters: 8, kernelSize: 3 }) // → { ok: true, params: { filters: 8, kernelSize: [3, 3], … } }
 */
export function resolveParams<S extends ParamSchema>(schema: S, raw: Readonly<Record<string, unknown>>): Resolved<S> {
  const out: Record<string, unknown> = {};
  const issues: ParamIssue[] = [];
  for (const name in schema) {
    const def = schema[name]!;
    const v = Object.prototype.hasOwnProperty.call(raw, name) ? raw[name] : undefined;
    if (v === undefined) {
      if (def.default === null && !('nullable' in def && def.nullable)) {
        issues.push({ param: name, code: 'missing-param', message: `${name} is required`, suggestion: `Set ${name}: ${def.doc}` });
      } else out[name] = defaultOf(def);
      continue;
    }
    const r = check(name, def, v);
    if ('error' in r) issues.push({ param: name, code: 'invalid-param', message: r.error, suggestion: `${name}: ${def.doc}` });
    else out[name] = r.value;
  }
  for (const name of Object.keys(raw)) {
    if (Object.prototype.hasOwnProperty.call(schema, name)) continue;
    const near = closestName(name, Object.keys(schema));
    issues.push({
      param: name,
      code: 'unknown-param',
      message: `unknown parameter '${name}'`,
      suggestion: near ? `Did you mean '${near}'?` : `Known parameters: ${Object.keys(schema).join(', ') || 'none'}.`,
    });
  }
  return issues.length ? { ok: false, issues } : { ok: true, params: out as ParamsOf<S> };
}
