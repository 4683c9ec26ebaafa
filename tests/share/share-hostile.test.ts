// Every hostile case of issue 8 §5 against the share decoder: each is refused by the check that
// should catch it (size, decompressed size, compression, schema, forbidden keys, versions, limits),
// with a message that says what and where, quickly and without pollution.
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/engine/project/parse.js';
import { CURRENT_VERSION } from '../../src/engine/project/types.js';
import { decodeShare, inflateCapped, MAX_FRAGMENT_CHARS, MAX_INFLATED_BYTES } from '../../src/engine/share/index.js';
import { b64url, linkFromJsonText, manyNodesText, projectText, zeroBomb } from './share-fixtures.js';

const refused = (fragment: string) => {
  const r = decodeShare(fragment);
  if (r.ok) throw new Error('the link was accepted');
  return r.error;
};

describe('hostile share links', () => {
  it('a 64 KiB fragment is refused unread (its characters are not even base64url)', () => {
    const fragment = `#share=1.${'!'.repeat(64 * 1024)}`;
    const e = refused(fragment);
    expect(e.code).toBe('too-large');
    expect(e.where).toBe('fragment');
    expect(e.message).toBe(`share link: fragment: the link is 65,545 characters long; links over ${MAX_FRAGMENT_CHARS.toLocaleString('en-US')} are refused unread`);
  });

  it('a link to 1 GiB of zeros is refused by its length before decompression', () => {
    const bomb = zeroBomb(1024);
    const t0 = performance.now();
    const e = refused(`#share=1.${b64url(bomb)}`);
    expect(performance.now() - t0).toBeLessThan(50);
    expect(e.code).toBe('too-large');
  });

  it('a bomb short enough to pass the length cap stops at the decompressed-size cap', () => {
    const bomb = zeroBomb(16);
    expect(inflateRawSync(bomb).length).toBe(16 << 20); // Node's zlib: it really is 16 MiB of zeros
    const fragment = `#share=1.${b64url(bomb)}`;
    expect(fragment.length).toBeLessThan(MAX_FRAGMENT_CHARS);
    const e = refused(fragment);
    expect(e).toEqual({ code: 'too-large-decompressed', where: 'payload', message: 'share link: payload: decompressed size exceeds 4 MiB at byte 4,194,305' });
  });

  it('the capped inflater stops a 1 GiB bomb quickly, with little memory', () => {
    const bomb = zeroBomb(1024);
    expect(bomb.length).toBeLessThan(1.1e6);
    const before = process.memoryUsage().arrayBuffers;
    const t0 = performance.now();
    const r = inflateCapped(bomb, MAX_INFLATED_BYTES);
    const ms = performance.now() - t0;
    const grew = process.memoryUsage().arrayBuffers - before;
    expect(r).toEqual({ ok: false, code: 'too-large', at: MAX_INFLATED_BYTES + 1 });
    expect(ms).toBeLessThan(1000);
    expect(grew).toBeLessThan(64 << 20);
  });

  it('invalid compression is named as such', () => {
    const e = refused(`#share=1.${b64url(Uint8Array.from([0xff, 0xfe, 0x00, 0x12, 0x34, 0x56, 0x78]))}`);
    expect(e.code).toBe('bad-compression');
    expect(e.message).toMatch(/^share link: payload: the data is not valid deflate/);
    const truncated = linkFromJsonText(`{"project":${projectText()}}`).slice(0, 40);
    expect(refused(truncated).code).toBe('bad-compression');
    expect(refused('#share=1.ab+/').code).toBe('bad-encoding');
  });

  it('text that is not JSON, or JSON that is not an envelope, is refused', () => {
    expect(refused(linkFromJsonText('{"project": ')).code).toBe('not-json');
    expect(refused(linkFromJsonText('[1,2]')).message).toBe('share link: payload: the payload must be a JSON object');
    const extra = refused(linkFromJsonText(`{"project":${projectText()},"script":"alert(1)"}`));
    expect(extra.message).toBe('share link: payload: unknown field "script"');
    const metric = refused(linkFromJsonText(`{"project":${projectText()},"bestRun":{"metrics":{"acc":"high"},"epochs":1}}`));
    expect(metric.where).toBe('bestRun.metrics.acc');
  });

  describe('prototype pollution', () => {
    const cases: [string, string, string][] = [
      ['in a node\'s params', `{"project":${projectText('{"__proto__":{"polluted":"yes"}}')}}`, 'project.graph.nodes[1].params.__proto__'],
      ['at the top of the envelope', `{"__proto__":{"polluted":"yes"},"project":${projectText()}}`, '__proto__'],
      ['as "constructor" in the project', `{"project":${projectText('{"constructor":{"prototype":{"polluted":"yes"}}}')}}`, 'project.graph.nodes[1].params.constructor'],
      ['in the best run\'s metrics', `{"project":${projectText()},"bestRun":{"metrics":{"__proto__":1},"epochs":1}}`, 'bestRun.metrics.__proto__'],
    ];
    for (const [name, text, where] of cases) {
      it(`${name} is refused and nothing is polluted`, () => {
        const e = refused(linkFromJsonText(text));
        expect(e.code).toBe('hostile');
        expect(e.where).toBe(where);
        expect(e.message).toMatch(/^share link: .*(is not allowed|not allowed)/);
        expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
        expect(Object.prototype).not.toHaveProperty('polluted');
      });
    }
    it('says what and where in words', () => {
      expect(refused(linkFromJsonText(cases[0]![1])).message).toBe('share link: project.graph.nodes[1].params.__proto__: the key "__proto__" is not allowed');
    });
  });

  it('a future envelope version asks for a newer app', () => {
    const e = refused(linkFromJsonText(`{"project":${projectText()}}`, 2));
    expect(e).toEqual({
      code: 'newer-version',
      where: 'version',
      message: 'share link: version: made by a newer NeuralForge (share link version 2; this one reads up to 1). Update the app to open it.',
    });
  });

  it('a future project version asks for a newer app', () => {
    const e = refused(linkFromJsonText(`{"project":${projectText('{"units":4}', CURRENT_VERSION + 1)}}`));
    expect(e.code).toBe('newer-version');
    expect(e.where).toBe('project.version');
    expect(e.message).toContain(`format version ${CURRENT_VERSION + 1}`);
  });

  it('node and edge counts over the limits are refused by the project schema', () => {
    const nodes = refused(linkFromJsonText(`{"project":${manyNodesText(LIMITS.maxNodes + 1)}}`));
    expect(nodes.code).toBe('invalid');
    expect(nodes.where).toBe('project.graph.nodes');
    expect(nodes.message).toContain(String(LIMITS.maxNodes));
    const edges = refused(linkFromJsonText(`{"project":${manyNodesText(1, LIMITS.maxEdges + 1)}}`));
    expect(edges.where).toBe('project.graph.edges');
    expect(edges.message).toContain(String(LIMITS.maxEdges));
    // At the limit the count is fine: the next check (duplicate ids) is what refuses these copies.
    expect(refused(linkFromJsonText(`{"project":${manyNodesText(LIMITS.maxNodes)}}`)).message).toContain('duplicate node id');
  });

  it('links that are not share links, or have no version, are named as such', () => {
    expect(refused('#/editor').code).toBe('not-a-share-link');
    expect(refused('#share=abc').message).toBe('share link: version: expected "#share=<version>.<data>"; the version is missing or not a number');
  });
});

describe('deep nesting', () => {
  it('a payload nested 100,000 levels deep is refused without a stack overflow', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const a = refused(linkFromJsonText(`{"project":${projectText()},"bestRun":{"metrics":{},"epochs":1,"name":${deep}}}`));
    expect(a.code).toBe('invalid');
    const b = refused(linkFromJsonText(`{"project":{"graph":${deep}}}`));
    expect(b.code).toBe('hostile');
    expect(b.message).toContain('nested deeper than');
  });
});
