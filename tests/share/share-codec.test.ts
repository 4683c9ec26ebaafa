// Share links round-trip every template within the 8 KiB budget, are deterministic, carry the
// best run and small weights, and decode with Node's own zlib and base64url as the oracle.
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseProject } from '../../src/engine/project/parse.js';
import { decodeShare, encodeShare, isShareFragment, LINK_BUDGET_BYTES } from '../../src/engine/share/index.js';
import { fromBase64Url, toBase64Url } from '../../src/engine/share/base64url.js';
import { TEMPLATES } from '../../src/engine/templates/index.js';
import { linkFromJsonText, projectText } from './share-fixtures.js';

describe('share links for every template', () => {
  const rows: { template: string; json: number; link: number; ofBudget: string }[] = [];
  for (const t of TEMPLATES) {
    it(`${t.id}: decodes to the parsed original and fits ${LINK_BUDGET_BYTES} bytes`, () => {
      const original = t.project();
      const enc = encodeShare(original);
      if (!enc.ok) throw new Error(`${t.id} is ${enc.bytes} bytes`);
      expect(enc.bytes).toBe(enc.fragment.length);
      expect(enc.bytes).toBeLessThanOrEqual(LINK_BUDGET_BYTES);
      const dec = decodeShare(enc.fragment);
      if (!dec.ok) throw new Error(dec.error.message);
      const expected = parseProject(JSON.parse(JSON.stringify(original)));
      if (!expected.ok) throw new Error('template does not parse');
      expect(dec.envelope.project).toEqual(expected.project);
      expect(dec.envelope.migratedFrom).toBeNull();
      // Node's zlib and base64url read our payload: the format is plain deflate-raw JSON.
      const payload = enc.fragment.slice('#share=1.'.length);
      const json = JSON.parse(inflateRawSync(Buffer.from(payload, 'base64url')).toString('utf8')) as { project: unknown };
      expect(parseProject(json.project)).toEqual(expected);
      rows.push({ template: t.id, json: JSON.stringify(original).length, link: enc.bytes, ofBudget: `${((100 * enc.bytes) / LINK_BUDGET_BYTES).toFixed(1)}%` });
    });
  }
  it('prints the size table', () => {
    console.table(rows);
    expect(rows).toHaveLength(TEMPLATES.length);
  });
});

describe('encoding', () => {
  const lenet = TEMPLATES.find((t) => t.id === 'lenet5')!.project();

  it('is deterministic whatever the key order', () => {
    const reordered = JSON.parse(JSON.stringify({ dataset: lenet.dataset, training: lenet.training, graph: lenet.graph, name: lenet.name, version: lenet.version, format: lenet.format, description: lenet.description }));
    const a = encodeShare(lenet);
    const b = encodeShare(reordered);
    expect(a.ok && b.ok && a.fragment === b.fragment).toBe(true);
  });

  it('carries the best run and weights that fit, and drops weights that do not', () => {
    const bestRun = { metrics: { valAccuracy: 0.981, valLoss: 0.06 }, epochs: 3, name: 'run 1' };
    const small = Uint8Array.from({ length: 600 }, (_, i) => (i * 37) % 251);
    const withSmall = encodeShare(lenet, { bestRun, weights: small });
    if (!withSmall.ok) throw new Error('too large');
    expect(withSmall.weightsDropped).toBe(false);
    const dec = decodeShare(withSmall.fragment);
    if (!dec.ok) throw new Error(dec.error.message);
    expect(dec.envelope.bestRun).toEqual(bestRun);
    expect([...dec.envelope.weights!]).toEqual([...small]);

    // 64 KiB of incompressible bytes cannot fit: the link is made without them, and says so.
    let x = 1;
    const big = Uint8Array.from({ length: 65536 }, () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24);
    const withBig = encodeShare(lenet, { bestRun, weights: big });
    if (!withBig.ok) throw new Error('too large');
    expect(withBig.weightsDropped).toBe(true);
    // How long the link with them would have been: incompressible bytes grow by base64's 4/3.
    expect(withBig.withWeightsBytes).toBeGreaterThan((65536 * 4) / 3 + withBig.bytes - 200);
    expect(withSmall.withWeightsBytes).toBeUndefined();
    const dec2 = decodeShare(withBig.fragment);
    expect(dec2.ok && dec2.envelope.weights).toBe(undefined);
  });

  it('refuses a project over the budget with its size', () => {
    let x = 7;
    const noise = Array.from({ length: 12000 }, () => 'abcdefghijklmnopqrstuvwxyz'[((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 16) % 26]).join('');
    const enc = encodeShare({ ...lenet, description: noise });
    expect(enc.ok).toBe(false);
    if (!enc.ok) {
      expect(enc.reason).toBe('too-large');
      expect(enc.bytes).toBeGreaterThan(LINK_BUDGET_BYTES);
    }
  });

  it('reads a link written by another encoder (Node zlib) with or without the "#"', () => {
    const link = linkFromJsonText(`{"project":${projectText()}}`);
    expect(isShareFragment(link)).toBe(true);
    expect(isShareFragment(link.slice(1))).toBe(true);
    expect(isShareFragment('#/editor')).toBe(false);
    const a = decodeShare(link);
    const b = decodeShare(link.slice(1));
    expect(a.ok && a.envelope.project.graph.nodes.map((n) => n.id)).toEqual(['in', 'd1']);
    expect(b).toEqual(a);
  });
});

describe('base64url', () => {
  it('matches Node for every length mod 3 and refuses other alphabets', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n) & 255);
      const text = toBase64Url(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64url'));
      const back = fromBase64Url(text);
      expect(back.ok && [...back.bytes]).toEqual([...bytes]);
    }
    expect(fromBase64Url('ab+c')).toEqual({ ok: false, at: 2, message: 'character "+" at position 2 is not base64url' });
    expect(fromBase64Url('abcde').ok).toBe(false);
  });
});
