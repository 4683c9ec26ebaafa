// Tiny image fixtures for Node tests: binary PPM (P6) files and a decoder for them, so image
// datasets (with corrupt and wrong-size files) can be built with known pixels and no canvas.
import type { ImageDecoder } from '../../src/engine/data/images.js';

/** A binary PPM (P6): "P6 <w> <h> 255\n" then RGB bytes, every pixel `rgb(x, y)`. */
export function ppm(width: number, height: number, rgb: (x: number, y: number) => readonly [number, number, number]): Uint8Array {
  const head = new TextEncoder().encode(`P6 ${width} ${height} 255\n`);
  const out = new Uint8Array(head.length + width * height * 3);
  out.set(head);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out.set(rgb(x, y), head.length + (y * width + x) * 3);
  return out;
}

/** A PPM of one colour. */
export const flatPpm = (size: number, colour: readonly [number, number, number]): Uint8Array => ppm(size, size, () => colour);

/** Decodes the PPM files above; anything else fails with "<name> is not a P6 PPM". */
export const ppmDecoder: ImageDecoder = {
  async decode(bytes, name) {
    const m = /^P6 (\d+) (\d+) 255\n/.exec(new TextDecoder('latin1').decode(bytes.subarray(0, 40)));
    if (!m) throw new Error(`${name} is not a P6 PPM`);
    const [width, height] = [Number(m[1]), Number(m[2])];
    const data = new Uint8ClampedArray(width * height * 4);
    for (let p = 0; p < width * height; p++) {
      data.set(bytes.subarray(m[0].length + p * 3, m[0].length + p * 3 + 3), p * 4);
      data[p * 4 + 3] = 255;
    }
    return { width, height, data };
  },
};
