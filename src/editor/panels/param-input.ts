// Text ⇄ value for one layer parameter, driven by its ParamDef: what the properties panel shows in
// a field and how it reads what a person typed. Validation is the engine's own (resolveParams),
// so the panel refuses exactly what analysis would flag, with the same words.
import { resolveParams, type ParamDef } from '../../engine/params.js';

/** How a param is edited: a checkbox, a select of choices, or a text box. */
export type FieldControl = 'checkbox' | 'select' | 'text';

export type Parsed = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

export function controlFor(def: ParamDef): FieldControl {
  switch (def.type) {
    case 'bool':
      return 'checkbox';
    case 'enum':
      return 'select';
    case 'int':
    case 'float':
    case 'ints':
    case 'intList':
    case 'pairs':
      return 'text';
    default: {
      const never: never = def;
      throw new Error(`unhandled param type ${(never as ParamDef).type}`);
    }
  }
}

const list = (xs: readonly unknown[]): string => xs.map(String).join(', ');
const isNumArray = (v: unknown): v is readonly number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');

/**
 * The text a field shows for a (raw or resolved) value; empty for null.
 * @example formatParam(convSchema.kernelSize, [3, 3]) // → "3, 3"
 */
export function formatParam(def: ParamDef, value: unknown): string {
  if (value === null || value === undefined) return '';
  switch (def.type) {
    case 'bool':
    case 'enum':
    case 'int':
    case 'float':
      return String(value);
    case 'ints':
    case 'intList':
      return isNumArray(value) ? list(value) : String(value);
    case 'pairs': {
      if (typeof value === 'number') return String(value);
      if (isNumArray(value)) return list(value);
      if (!Array.isArray(value)) return String(value);
      const ps = value as readonly (readonly number[])[];
      // [[1,1],[2,2]] reads better as "1, 2": only write pairs when some side differs.
      return ps.every((p) => Array.isArray(p) && p[0] === p[1]) ? list(ps.map((p) => p[0])) : JSON.stringify(ps).replaceAll(',', ', ');
    }
    default: {
      const never: never = def;
      throw new Error(`unhandled param type ${(never as ParamDef).type}`);
    }
  }
}

const INT = /^-?\d+$/;

/** "3", "3, 3", "3 3" or "[3, 3]" → numbers; null when any part is not a whole number. */
function parseIntList(text: string): number[] | null {
  const inner = text.replace(/^\[/, '').replace(/\]$/, '').trim();
  if (inner === '') return [];
  const parts = inner.split(/[\s,]+/).filter((s) => s !== '');
  return parts.every((p) => INT.test(p)) ? parts.map(Number) : null;
}

/** "[[1, 2], [3, 4]]" → pairs; null when it is not exactly a list of two-int lists. */
function parseNested(text: string): number[][] | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  return Array.isArray(v) && v.every((p) => Array.isArray(p) && p.every((x) => Number.isInteger(x))) ? (v as number[][]) : null;
}

/** Reads the text into a value of the param's type, before range checks. */
function read(name: string, def: ParamDef, text: string): Parsed {
  const t = text.trim();
  switch (def.type) {
    case 'bool':
      return t === 'true' || t === 'false' ? { ok: true, value: t === 'true' } : { ok: false, error: `${name} must be true or false; got "${t}"` };
    case 'enum':
      return { ok: true, value: t };
    case 'int':
      if (t === '') return def.nullable ? { ok: true, value: null } : { ok: false, error: `${name} is required` };
      return INT.test(t) ? { ok: true, value: Number(t) } : { ok: false, error: `${name} must be a whole number; got "${t}"` };
    case 'float': {
      if (t === '') return def.nullable ? { ok: true, value: null } : { ok: false, error: `${name} is required` };
      const n = Number(t);
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, error: `${name} must be a number; got "${t}"` };
    }
    case 'ints': {
      if (t === '') return def.nullable ? { ok: true, value: null } : { ok: false, error: `${name} is required` };
      const xs = parseIntList(t);
      if (!xs || xs.length === 0) return { ok: false, error: `${name} must be whole numbers separated by commas; got "${t}"` };
      return { ok: true, value: xs.length === 1 ? xs[0] : xs };
    }
    case 'intList': {
      const xs = parseIntList(t);
      return xs ? { ok: true, value: xs } : { ok: false, error: `${name} must be whole numbers separated by commas; got "${t}"` };
    }
    case 'pairs': {
      if (t === '') return { ok: false, error: `${name} is required` };
      if (t.startsWith('[[')) {
        const ps = parseNested(t);
        return ps ? { ok: true, value: ps } : { ok: false, error: `${name} must be like [[1, 1], [2, 2]]; got "${t}"` };
      }
      const xs = parseIntList(t);
      if (!xs || xs.length === 0) return { ok: false, error: `${name} must be a number or ${def.dims} numbers separated by commas; got "${t}"` };
      return { ok: true, value: xs.length === 1 ? xs[0] : xs };
    }
    default: {
      const never: never = def;
      throw new Error(`unhandled param type ${(never as ParamDef).type}`);
    }
  }
}

/**
 * Parses what a person typed and checks it against the param's rules (range, length, choices).
 * The value returned is what gets stored (as typed, not normalised: "3" stays 3).
 * @example parseParam('filters', conv2d.params.filters, '-3') // → { ok: false, error: 'filters must be at least 1; got -3' }
 */
export function parseParam(name: string, def: ParamDef, text: string): Parsed {
  const r = read(name, def, text);
  if (!r.ok) return r;
  const checked = resolveParams({ [name]: def }, { [name]: r.value });
  return checked.ok ? r : { ok: false, error: checked.issues[0]!.message };
}
