// images.ts with onUndecodable: 'skip': a corrupt file and a wrong-size image are left out and
// reported (path, stage, reason), the rest load; the default still throws; fewer than two
// classes left still throws.
import { describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { loadImageFiles, loadImageZip, type ImageOptions } from '../../src/engine/data/images.js';
import { DatasetError } from '../../src/engine/data/types.js';
import { decodeSummary } from '../../src/engine/eval/dataset-checks.js';
import { flatPpm, ppmDecoder } from '../helpers/ppm-images.js';

const RED = [255, 0, 0] as const;
const BLUE = [0, 0, 255] as const;
const base: ImageOptions = { height: 2, width: 2, channels: 3, testFraction: 0.25, maxPixels: 100 };

const files = {
  'cats/1.ppm': flatPpm(4, RED),
  'cats/2.ppm': flatPpm(4, RED),
  'cats/3.ppm': flatPpm(4, RED),
  'cats/4.ppm': flatPpm(4, RED),
  'cats/broken.ppm': new TextEncoder().encode('this is not an image'),
  'dogs/1.ppm': flatPpm(4, BLUE),
  'dogs/2.ppm': flatPpm(4, BLUE),
  'dogs/3.ppm': flatPpm(4, BLUE),
  'dogs/4.ppm': flatPpm(4, BLUE),
  'dogs/huge.ppm': flatPpm(11, BLUE), // 121 pixels > maxPixels 100
};

describe("images with onUndecodable: 'skip'", () => {
  it('leaves out the corrupt and the wrong-size file, reports both, and loads the rest', async () => {
    const ds = await loadImageZip(zipSync(files), ppmDecoder, { ...base, fileName: 'pets.zip', onUndecodable: 'skip' });
    expect(ds.classes).toEqual(['cats', 'dogs']);
    expect(ds.train.count + ds.test!.count).toBe(8);
    expect(ds.decodeReport).toEqual({
      attempted: 10,
      failures: [
        { path: 'cats/broken.ppm', stage: 'decode', reason: 'cats/broken.ppm is not a P6 PPM' },
        { path: 'dogs/huge.ppm', stage: 'dimensions', reason: 'decoded to 11×11 with 484 bytes (need 1 ≤ pixels ≤ 100, RGBA)' },
      ],
    });
    // Every loaded sample is its class's colour: no slot was left empty by a skipped file.
    for (const split of [ds.train, ds.test!]) {
      for (let i = 0; i < split.count; i++) {
        const px = Array.from(split.x.values.subarray(i * 12, i * 12 + 3));
        expect(px).toEqual(split.y.values[i] === 0 ? [1, 0, 0] : [0, 0, 1]);
      }
    }
    expect(decodeSummary(ds.decodeReport!)).toBe('2 of 10 images could not be read; first: "cats/broken.ppm" (decode failed: cats/broken.ppm is not a P6 PPM)');
  });

  it('gives the same split as a clean import of the surviving files', async () => {
    const clean = Object.fromEntries(Object.entries(files).filter(([p]) => !/broken|huge/.test(p)));
    const a = await loadImageZip(zipSync(files), ppmDecoder, { ...base, seed: 7, onUndecodable: 'skip' });
    const b = await loadImageZip(zipSync(clean), ppmDecoder, { ...base, seed: 7 });
    expect(a.train.y.values).toEqual(b.train.y.values);
    expect(a.train.x.values).toEqual(b.train.x.values);
    expect(b.decodeReport).toBeUndefined();
  });

  it('reports an empty list when everything decodes, for folder uploads too', async () => {
    const clean = Object.entries(files).filter(([p]) => !/broken|huge/.test(p)).map(([path, bytes]) => ({ path, bytes }));
    const ds = await loadImageFiles(clean, ppmDecoder, { ...base, onUndecodable: 'skip' });
    expect(ds.decodeReport).toEqual({ attempted: 8, failures: [] });
  });

  it('still throws by default, naming the first bad file', async () => {
    await expect(loadImageZip(zipSync(files), ppmDecoder, { ...base, fileName: 'pets.zip' })).rejects.toThrow(/pets\.zip: image "cats\/broken\.ppm" could not be decoded \(cats\/broken\.ppm is not a P6 PPM\)/);
  });

  it('throws when fewer than two classes decode', async () => {
    const oneLeft = { 'cats/1.ppm': flatPpm(4, RED), 'cats/2.ppm': flatPpm(4, RED), 'dogs/bad.ppm': new Uint8Array(5) };
    const err = await loadImageZip(zipSync(oneLeft), ppmDecoder, { ...base, fileName: 'pets.zip', onUndecodable: 'skip' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as Error).message).toMatch(/^pets\.zip: 1 of 3 images could not be read, which leaves only class "cats"; a classifier needs at least two classes \(first: "dogs\/bad\.ppm"/);
  });
});
