// The properties panel's param fields, for every param of every registered kind: the default
// shown in a field parses back to the same resolved value the engine uses (resolveParams is the
// oracle), and out-of-range or malformed text is refused with a message naming the param.
import { describe, expect, it } from 'vitest';
import { LAYERS } from '../../src/engine/layers/registry.js';
import { resolveParams, type ParamDef } from '../../src/engine/params.js';
import { controlFor, formatParam, parseParam } from '../../src/editor/panels/param-input.js';

const allParams = Object.entries(LAYERS).flatMap(([kind, spec]) =>
  Object.entries(spec.params as Record<string, ParamDef>).map(([name, def]) => ({ kind, name, def, schema: spec.params })),
);

/** What a field shows for the default: a checkbox's state, a select's option, or text. */
const shown = (def: ParamDef, v: unknown): string => formatParam(def, v);

describe('every param of every kind', () => {
  it('covers every DSL type', () => {
    expect(new Set(allParams.map((p) => p.def.type))).toEqual(new Set(['int', 'float', 'bool', 'enum', 'ints', 'intList', 'pairs']));
  });

  it.each(allParams.map((p) => [`${p.kind}.${p.name}`, p] as const))('%s: the default round-trips through format and parse', (_label, p) => {
    const resolved = resolveParams(p.schema, {});
    expect(resolved.ok).toBe(true);
    if (!resolved.ok) return;
    const value = (resolved.params as Record<string, unknown>)[p.name];
    const parsed = parseParam(p.name, p.def, shown(p.def, value));
    expect(parsed, `${p.kind}.${p.name} shown as "${shown(p.def, value)}"`).toMatchObject({ ok: true });
    if (!parsed.ok) return;
    const again = resolveParams(p.schema, { [p.name]: parsed.value });
    expect(again.ok && (again.params as Record<string, unknown>)[p.name]).toEqual(value);
  });

  it.each(allParams.filter((p) => controlFor(p.def) === 'text').map((p) => [`${p.kind}.${p.name}`, p] as const))(
    '%s: malformed text is refused with a message naming the param',
    (_label, p) => {
      const r = parseParam(p.name, p.def, 'abc');
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toContain(p.name);
    },
  );
});

describe('ranges and formats', () => {
  const conv = LAYERS.Conv2D.params as Record<string, ParamDef>;
  it('int: below min, fractional and blank are refused; in range is accepted', () => {
    expect(parseParam('filters', conv['filters']!, '-3')).toEqual({ ok: false, error: 'filters must be at least 1; got -3' });
    expect(parseParam('filters', conv['filters']!, '2.5')).toEqual({ ok: false, error: 'filters must be a whole number; got "2.5"' });
    expect(parseParam('filters', conv['filters']!, '')).toEqual({ ok: false, error: 'filters is required' });
    expect(parseParam('filters', conv['filters']!, ' 16 ')).toEqual({ ok: true, value: 16 });
  });

  it('int, nullable: blank means null; float: exclusive minimum and non-numbers', () => {
    const mha = LAYERS.MultiHeadAttention.params as Record<string, ParamDef>;
    expect(parseParam('valueDim', mha['valueDim']!, '')).toEqual({ ok: true, value: null });
    const drop = LAYERS.Dropout.params as Record<string, ParamDef>;
    expect(parseParam('rate', drop['rate']!, '0.25')).toEqual({ ok: true, value: 0.25 });
    expect(parseParam('rate', drop['rate']!, '1.5')).toMatchObject({ ok: false, error: expect.stringMatching(/^rate must be (at most|less than)/) });
    expect(parseParam('rate', drop['rate']!, '1e')).toEqual({ ok: false, error: 'rate must be a number; got "1e"' });
  });

  it('ints: one number broadcasts, the wrong count and entries below min are refused', () => {
    expect(parseParam('kernelSize', conv['kernelSize']!, '5')).toEqual({ ok: true, value: 5 });
    expect(parseParam('kernelSize', conv['kernelSize']!, '[3, 5]')).toEqual({ ok: true, value: [3, 5] });
    expect(parseParam('kernelSize', conv['kernelSize']!, '3 3 3')).toMatchObject({ ok: false, error: expect.stringContaining('list of 2') });
    expect(parseParam('kernelSize', conv['kernelSize']!, '0, 3')).toMatchObject({ ok: false, error: expect.stringContaining('at least 1') });
  });

  it('intList: -1 once where allowed; pairs: symmetric, per-side and negative', () => {
    const reshape = LAYERS.Reshape.params as Record<string, ParamDef>;
    const name = Object.keys(reshape)[0]!;
    expect(parseParam(name, reshape[name]!, '-1, 64')).toEqual({ ok: true, value: [-1, 64] });
    expect(parseParam(name, reshape[name]!, '-1, -1')).toMatchObject({ ok: false, error: expect.stringContaining('-1 only once') });
    const pad = LAYERS.ZeroPadding2D.params as Record<string, ParamDef>;
    const pname = Object.keys(pad).find((k) => pad[k]!.type === 'pairs')!;
    expect(parseParam(pname, pad[pname]!, '1, 2')).toEqual({ ok: true, value: [1, 2] });
    expect(parseParam(pname, pad[pname]!, '[[1, 0], [2, 3]]')).toEqual({ ok: true, value: [[1, 0], [2, 3]] });
    expect(formatParam(pad[pname]!, [[1, 0], [2, 3]])).toBe('[[1, 0], [2, 3]]');
    expect(parseParam(pname, pad[pname]!, '-1')).toMatchObject({ ok: false, error: expect.stringContaining('must not be negative') });
    expect(parseParam(pname, pad[pname]!, '[[1, 0], [2]]')).toMatchObject({ ok: false });
  });

  it('enum values outside the choices and bools that are not true/false are refused', () => {
    const dense = LAYERS.Dense.params as Record<string, ParamDef>;
    expect(parseParam('activation', dense['activation']!, 'relu')).toEqual({ ok: true, value: 'relu' });
    expect(parseParam('activation', dense['activation']!, 'swishy')).toMatchObject({ ok: false, error: expect.stringContaining("must be one of") });
    expect(parseParam('useBias', dense['useBias']!, 'yes')).toMatchObject({ ok: false });
  });
});
