// Training's rule for images that cannot be decoded (load-run-data.ts): the file is left out and
// listed with the skipped files, the rest trains; an explicit onUndecodable is passed through.
// The browser's decoder (createImageBitmap + OffscreenCanvas) is stubbed with a PPM reader.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { zipSync } from 'fflate';
import { loadForRun } from '../../src/workers/load-run-data.js';
import { flatPpm, ppmDecoder } from '../helpers/ppm-images.js';

/** createImageBitmap/OffscreenCanvas over the PPM decoder: what the worker's decoder calls. */
function stubBrowserDecoder(): void {
  vi.stubGlobal('createImageBitmap', async (blob: Blob) => {
    const img = await ppmDecoder.decode(new Uint8Array(await blob.arrayBuffer()), 'blob');
    return { ...img, close: () => {} };
  });
  vi.stubGlobal(
    'OffscreenCanvas',
    class {
      private img: { width: number; height: number; data: Uint8ClampedArray } | null = null;
      getContext() {
        return {
          drawImage: (img: { width: number; height: number; data: Uint8ClampedArray }) => (this.img = img),
          getImageData: () => ({ data: this.img!.data }),
        };
      }
    },
  );
}

afterEach(() => vi.unstubAllGlobals());

const zip = () =>
  zipSync({
    'a/1.ppm': flatPpm(3, [255, 0, 0]),
    'a/2.ppm': flatPpm(3, [255, 0, 0]),
    'a/bad.ppm': new TextEncoder().encode('garbage'),
    'b/1.ppm': flatPpm(3, [0, 0, 255]),
    'b/2.ppm': flatPpm(3, [0, 0, 255]),
  });
const request = () => ({ source: 'file' as const, name: 'ab.zip', bytes: zip().buffer as ArrayBuffer });
const input = { shape: [2, 2, 3] };

describe('loadForRun and undecodable images', () => {
  it('trains without the bad file and lists it with the skipped files', async () => {
    stubBrowserDecoder();
    const { data } = await loadForRun(request(), { input, seed: 1, testFraction: 0 }, () => {});
    expect(data.train.count).toBe(4);
    expect(data.skipped).toEqual([{ path: 'a/bad.ppm', reason: 'could not be read and was left out (decode failed: a/bad.ppm: the browser could not decode this image (blob is not a P6 PPM))' }]);
  });

  it("passes an explicit onUndecodable through: 'throw' fails naming the file, 'skip' leaves the report alone", async () => {
    stubBrowserDecoder();
    await expect(loadForRun(request(), { input, onUndecodable: 'throw' }, () => {})).rejects.toThrow(/image "a\/bad\.ppm" could not be decoded/);
    const { data } = await loadForRun(request(), { input, onUndecodable: 'skip' }, () => {});
    expect(data.skipped).toEqual([]);
    expect(data.decodeReport?.failures.map((f) => f.path)).toEqual(['a/bad.ppm']);
  });
});
