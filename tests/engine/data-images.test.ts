// Image folders from a zip or an upload: classes from folders, resizing, and the zip's
// safety rules (real decompressed bytes, entry count, traversal, skipped files by name).
import { describe, expect, it } from 'vitest';
import { zipSync, type Zippable } from 'fflate';
import { loadImageFiles, loadImageZip, resizeImage, type DecodedImage, type ImageDecoder, type ImageOptions } from '../../src/engine/data/images.js';
import { readZip } from '../../src/engine/data/zip.js';
import { DatasetError } from '../../src/engine/data/types.js';
import { datasetRefusal } from '../helpers/refusal.js';
import { ppm, ppmDecoder } from '../helpers/ppm-images.js';

const red = () => ppm(4, 4, () => [255, 0, 0]);
const blue = () => ppm(8, 6, () => [0, 0, 255]);
const rgb: ImageOptions = { height: 2, width: 2, channels: 3, testFraction: 0.25 };


describe('image zips', () => {
  const pets: Zippable = {
    'cats/1.ppm': red(),
    'cats/2.ppm': red(),
    'cats/3.ppm': red(),
    'cats/4.PPM': red(),
    'dogs/1.ppm': blue(),
    'dogs/2.ppm': blue(),
    'dogs/3.ppm': blue(),
    'dogs/4.ppm': blue(),
    'cats/notes.txt': new TextEncoder().encode('not a picture'),
    '__MACOSX/cats/._1.ppm': new Uint8Array(10),
    '.DS_Store': new Uint8Array(10),
    'dogs/.hidden.ppm': blue(),
    'stray.ppm': red(),
  };

  it('reads one class per folder, resized to [h, w, c] in [0, 1], and names every skipped file', async () => {
    const ds = await loadImageZip(zipSync(pets), ppmDecoder, { ...rgb, fileName: 'pets.zip' });
    expect(ds.name).toBe('file:pets.zip');
    expect(ds.classes).toEqual(['cats', 'dogs']);
    expect(ds.train.x).toMatchObject({ shape: [2, 2, 3], dtype: 'float32' });
    expect([ds.train.count, ds.test!.count]).toEqual([6, 2]);
    expect(Array.from(ds.test!.y.values).sort()).toEqual([0, 1]);
    for (const s of [ds.train, ds.test!]) {
      for (let i = 0; i < s.count; i++) {
        const px = Array.from(s.x.values.subarray(i * 12, i * 12 + 3));
        expect(px).toEqual(s.y.values[i] === 0 ? [1, 0, 0] : [0, 0, 1]);
      }
    }
    expect(ds.skipped).toEqual(
      expect.arrayContaining([
        { path: 'cats/notes.txt', reason: expect.stringMatching(/^not an image \(expected \.png, \.jpg/) },
        { path: '__MACOSX/cats/._1.ppm', reason: 'macOS metadata (__MACOSX/)' },
        { path: '.DS_Store', reason: expect.stringMatching(/^macOS|^hidden file/) },
        { path: 'dogs/.hidden.ppm', reason: 'hidden file or folder (name starts with ".")' },
        { path: 'stray.ppm', reason: 'not inside a class folder (expected <class>/<file>)' },
      ]),
    );
    expect(ds.skipped).toHaveLength(5);
  });

  it('converts to grayscale for one channel (0.299 R + 0.587 G + 0.114 B) and drops a shared top folder', async () => {
    const zip = zipSync({ 'pets/cats/a.ppm': red(), 'pets/cats/b.ppm': red(), 'pets/dogs/a.ppm': blue(), 'pets/dogs/b.ppm': blue() });
    const ds = await loadImageZip(zip, ppmDecoder, { height: 3, width: 3, channels: 1, testFraction: 0 });
    expect(ds.classes).toEqual(['cats', 'dogs']);
    expect(ds.train.x.shape).toEqual([3, 3, 1]);
    for (let i = 0; i < 4; i++) expect(ds.train.x.values[i * 9 + 4]).toBeCloseTo(ds.train.y.values[i] === 0 ? 0.299 : 0.114, 5);
  });

  it('refuses a zip bomb by counting real decompressed bytes, even when the declared sizes lie', async () => {
    const bomb = zipSync({ 'cats/a.ppm': red(), 'cats/bomb.ppm': [new Uint8Array(16 * 1024 * 1024), { level: 9 }], 'dogs/b.ppm': blue() });
    expect(bomb.length).toBeLessThan(100_000);
    // Make the headers claim the big entry is 100 bytes (local header @22, central directory @24).
    const view = new DataView(bomb.buffer);
    let patched = 0;
    for (let i = 0; i + 4 < bomb.length; i++) {
      const sig = view.getUint32(i, true);
      const at = sig === 0x04034b50 ? i + 22 : sig === 0x02014b50 ? i + 24 : -1;
      if (at >= 0 && view.getUint32(at, true) === 16 * 1024 * 1024) {
        view.setUint32(at, 100, true);
        patched++;
      }
    }
    expect(patched).toBe(2);
    const total = await datasetRefusal(loadImageZip(bomb, ppmDecoder, { ...rgb, limits: { maxTotalBytes: 4 * 1024 * 1024 }, fileName: 'bomb.zip' }));
    expect(total.message).toBe('bomb.zip: the archive decompresses to more than 4.0 MB (limit); refusing it');
    const one = await datasetRefusal(loadImageZip(bomb, ppmDecoder, { ...rgb, limits: { maxEntryBytes: 1024 * 1024 } }));
    expect(one.message).toMatch(/entry "cats\/bomb.ppm" decompresses to more than 1.0 MB \(per-file limit\); refusing the archive/);
  });

  it('caps the number of entries', async () => {
    const many: Zippable = {};
    for (let i = 0; i < 30; i++) many[`c${i % 2}/${i}.ppm`] = red();
    expect((await datasetRefusal(loadImageZip(zipSync(many), ppmDecoder, { ...rgb, limits: { maxEntries: 10 } }))).message).toMatch(/the archive has more than 10 entries/);
  });

  it('refuses path traversal and absolute paths', async () => {
    const evil = zipSync({ 'cats/1.ppm': red(), 'cats/../../evil.ppm': red(), 'dogs/1.ppm': blue() });
    expect((await datasetRefusal(loadImageZip(evil, ppmDecoder, rgb))).message).toMatch(/entry "cats\/..\/..\/evil.ppm" points outside the archive \("..\/"\); refusing the whole archive/);
    const abs = zipSync({ '/etc/cron.d/x.ppm': red() });
    expect((await datasetRefusal(loadImageZip(abs, ppmDecoder, rgb))).message).toMatch(/has an absolute path/);
    const back = zipSync({ 'cats\\..\\..\\x.ppm': red() });
    expect((await datasetRefusal(loadImageZip(back, ppmDecoder, rgb))).message).toMatch(/points outside the archive/);
  });

  it('refuses an empty archive, no images, a single class, a non-zip, an undecodable image and a truncated zip', async () => {
    expect((await datasetRefusal(loadImageZip(zipSync({}), ppmDecoder, rgb))).message).toMatch(/the zip archive is empty/);
    expect((await datasetRefusal(loadImageZip(zipSync({ 'a/readme.md': new Uint8Array(3) }), ppmDecoder, rgb))).message).toMatch(
      /no images found \(1 files skipped, e.g. "a\/readme.md": not an image/,
    );
    expect((await datasetRefusal(loadImageZip(zipSync({ 'cats/1.ppm': red(), 'cats/2.ppm': red() }), ppmDecoder, rgb))).message).toMatch(
      /only one class folder \("cats"\); put each class's images in its own folder, at least two classes/,
    );
    expect((await datasetRefusal(loadImageZip(red(), ppmDecoder, rgb))).message).toMatch(/not a zip file/);
    const broken = zipSync({ 'cats/1.ppm': red(), 'dogs/1.png': new Uint8Array([1, 2, 3]) });
    expect((await datasetRefusal(loadImageZip(broken, ppmDecoder, rgb))).message).toMatch(/image "dogs\/1.png" could not be decoded \(dogs\/1.png is not a P6 PPM\)/);
    const whole = zipSync({ 'cats/1.ppm': [ppm(64, 64, (x) => [x, x, x]), { level: 0 }], 'dogs/1.ppm': blue() });
    expect((await datasetRefusal(loadImageZip(whole.subarray(0, 2000), ppmDecoder, rgb))).message).toMatch(/truncated|corrupt/);
  });
});

describe('folder uploads', () => {
  it('reads {path, bytes} files with the same rules as a zip', async () => {
    const files = [
      { path: 'set/cats/1.ppm', bytes: red() },
      { path: 'set/cats/2.ppm', bytes: red() },
      { path: 'set/dogs/1.ppm', bytes: blue() },
      { path: 'set/dogs/2.ppm', bytes: blue() },
      { path: 'set/dogs/info.json', bytes: new Uint8Array(2) },
    ];
    const ds = await loadImageFiles(files, ppmDecoder, { ...rgb, testFraction: 0.5 });
    expect(ds.classes).toEqual(['cats', 'dogs']);
    expect([ds.train.count, ds.test!.count]).toEqual([2, 2]);
    expect(ds.skipped).toEqual([{ path: 'set/dogs/info.json', reason: expect.stringMatching(/not an image/) }]);
    expect((await datasetRefusal(loadImageFiles([...files, { path: '../x/1.ppm', bytes: red() }], ppmDecoder, rgb))).message).toMatch(/points outside/);
    expect((await datasetRefusal(loadImageFiles(files, ppmDecoder, { ...rgb, limits: { maxTotalBytes: 100 } }))).message).toMatch(/over the 0.0 MB limit/);
  });
});

describe('resizeImage', () => {
  const image = (w: number, h: number, v: (x: number, y: number) => number): DecodedImage => {
    const data = new Uint8ClampedArray(w * h * 4);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set([v(x, y), v(x, y), v(x, y), 255], (y * w + x) * 4);
    return { width: w, height: h, data };
  };

  it('averages areas when shrinking (4×4 blocks → their means)', () => {
    const out = new Float32Array(4);
    resizeImage(image(4, 4, (x, y) => (x < 2 ? (y < 2 ? 0 : 102) : y < 2 ? 51 : 255)), 2, 2, 1, out, 0);
    expect(Array.from(out).map((v) => +v.toFixed(5))).toEqual([0, 0.2, 0.4, 1]);
    const odd = new Float32Array(1);
    resizeImage(image(3, 1, (x) => [0, 255, 255][x]!), 1, 1, 1, odd, 0);
    expect(odd[0]).toBeCloseTo(2 / 3, 5);
  });

  it('interpolates bilinearly with half-pixel centres when growing, and keeps constants constant', () => {
    const out = new Float32Array(4);
    resizeImage(image(2, 1, (x) => (x === 0 ? 0 : 255)), 1, 4, 1, out, 0);
    expect(Array.from(out).map((v) => +v.toFixed(5))).toEqual([0, 0.25, 0.75, 1]);
    const flat = new Float32Array(5 * 7 * 3);
    resizeImage(image(3, 2, () => 51), 5, 7, 3, flat, 0);
    expect(flat.every((v) => Math.abs(v - 0.2) < 1e-6)).toBe(true);
  });

  it('readZip lists entries with normalised paths', () => {
    const { entries, skipped } = readZip(zipSync({ './a/b.ppm': red(), 'a/c.txt': new Uint8Array(1) }), (p) => (p.endsWith('.ppm') ? null : 'no'), 'x.zip');
    expect(entries.map((e) => e.path)).toEqual(['a/b.ppm']);
    expect(skipped).toEqual([{ path: 'a/c.txt', reason: 'no' }]);
  });
});
