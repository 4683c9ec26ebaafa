// Blob paths and the in-memory BlobStore that Node tests use in place of OPFS: the same path
// rules, atomic replacement, crash and quota injection (mapped by quota.ts like a browser's).
import { describe, expect, it } from 'vitest';
import { blobPathSegments, isSafeSegment, isTempPath, tempName } from '../../src/storage/blobs/paths.js';
import { createMemoryBlobStore, SimulatedCrash } from '../../src/storage/blobs/memory.js';
import { sha256Hex } from '../../src/storage/blobs/hash.js';
import { StorageError } from '../../src/storage/types.js';
import { createHash } from 'node:crypto';

describe('blob paths', () => {
  it('accepts relative "/"-separated paths and returns their segments', () => {
    expect(blobPathSegments('checkpoints/r1/c1/weights.bin')).toEqual(['checkpoints', 'r1', 'c1', 'weights.bin']);
    expect(isSafeSegment('0b6c-uuid')).toBe(true);
    expect(isSafeSegment('a/b')).toBe(false);
  });

  it.each([
    ['', 'is empty'],
    ['/etc/passwd', 'must be relative (it starts with "/")'],
    ['a/../b', 'has a ".." segment'],
    ['a/./b', 'has a "." segment'],
    ['a//b', 'has an empty segment ("//" or a trailing "/")'],
    ['a/b/', 'has an empty segment ("//" or a trailing "/")'],
    ['a\\b', 'contains the character "\\\\"'],
    ['a/b\u0000c', 'contains the character "\\u0000"'],
    ['x'.repeat(1025), 'is longer than 1024 characters'],
    [`a/${'y'.repeat(201)}`, 'has a segment longer than 200 characters'],
    [Array(17).fill('a').join('/'), 'has more than 16 segments'],
    ['a/w.bin.tmp-123', 'contains ".tmp-", reserved for temporary files'],
  ])('refuses %j: %s', (path, why) => {
    expect(() => blobPathSegments(path)).toThrow(StorageError);
    expect(() => blobPathSegments(path)).toThrow(`: ${why}`);
  });

  it('names temporary files so the collector can tell them from real ones', () => {
    const t = tempName('weights.bin');
    expect(t).toMatch(/^weights\.bin\.tmp-[a-z0-9]+$/);
    expect(isTempPath(`a/${t}`)).toBe(true);
    expect(isTempPath('a/weights.bin')).toBe(false);
    expect(blobPathSegments(`a/${t}`, true)).toHaveLength(2);
  });
});

describe('memory BlobStore', () => {
  it('writes, replaces, sizes, lists by prefix and deletes; reads are copies', async () => {
    const b = createMemoryBlobStore();
    await b.write('a/x.bin', Uint8Array.of(1, 2, 3));
    await b.write('a/x.bin', Uint8Array.of(4));
    await b.write('a/y/z.bin', new Uint8Array(5));
    await b.write('ab.bin', new Uint8Array(2));
    expect(await b.read('a/x.bin')).toEqual(Uint8Array.of(4));
    expect([await b.size('a/y/z.bin'), await b.size('nope'), await b.read('nope')]).toEqual([5, null, null]);
    expect((await b.list('a/')).map((f) => f.path)).toEqual(['a/x.bin', 'a/y/z.bin']);
    expect((await b.list('a')).map((f) => f.path)).toEqual(['a/x.bin', 'a/y/z.bin', 'ab.bin']);
    (await b.read('a/x.bin'))![0] = 99;
    expect(await b.read('a/x.bin')).toEqual(Uint8Array.of(4));
    await b.delete('a/x.bin');
    await b.delete('a/x.bin');
    expect((await b.list('')).map((f) => f.path)).toEqual(['a/y/z.bin', 'ab.bin']);
    await expect(b.write('../x', new Uint8Array(1))).rejects.toThrow('has a ".." segment');
  });

  it('a crash mid-write leaves the old file and a temporary one, once', async () => {
    const b = createMemoryBlobStore();
    await b.write('f.bin', Uint8Array.of(1));
    b.crashAfter(1);
    await b.write('g.bin', Uint8Array.of(2));
    await expect(b.write('f.bin', Uint8Array.of(3))).rejects.toBeInstanceOf(SimulatedCrash);
    expect(await b.read('f.bin')).toEqual(Uint8Array.of(1));
    const names = (await b.list('')).map((f) => f.path);
    expect(names.filter(isTempPath)).toHaveLength(1);
    await b.write('f.bin', Uint8Array.of(4)); // the next write works
    expect(await b.read('f.bin')).toEqual(Uint8Array.of(4));
  });

  it("a full quota is StorageError('quota') with the person's message; replacing counts the old size", async () => {
    const b = createMemoryBlobStore({ quotaBytes: 10 });
    await b.write('a', new Uint8Array(8));
    await b.write('a', new Uint8Array(10));
    const e = await b.write('b', new Uint8Array(1)).catch((x: unknown) => x as StorageError);
    expect(e).toMatchObject({ code: 'quota', message: expect.stringMatching(/^Not enough storage to save b\./) });
    expect(b.usage()).toBe(10);
  });
});

describe('sha256Hex', () => {
  it("matches Node's crypto", async () => {
    const bytes = new Uint8Array(100_000).map((_, i) => i * 31);
    expect(await sha256Hex(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(await sha256Hex(new Uint8Array(new SharedArrayBuffer(3)))).toBe(createHash('sha256').update(new Uint8Array(3)).digest('hex'));
  });
});
