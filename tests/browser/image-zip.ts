// Test fixtures for image imports, made in Node: a minimal PNG encoder (RGB, 8-bit, no
// filtering, zlib from node:zlib) and zips of class folders (fflate), so no binary fixture
// has to be committed and the pixel values are known exactly.
import { deflateSync } from 'node:zlib';
import { zipSync } from 'fflate';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** A PNG of `width`×`height` RGB pixels (rgb.length = width·height·3). */
export function encodePng(width: number, height: number, rgb: Uint8Array): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, no filter method, no interlace
  const raw = new Uint8Array(height * (1 + width * 3));
  for (let y = 0; y < height; y++) raw.set(rgb.subarray(y * width * 3, (y + 1) * width * 3), y * (1 + width * 3) + 1); // filter byte 0
  const parts = [new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A square of one colour with ±`noise` per channel (seeded, so runs are reproducible). */
export function noisySquare(size: number, colour: readonly [number, number, number], noise: number, seed: number): Uint8Array {
  let s = seed >>> 0 || 1;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  const rgb = new Uint8Array(size * size * 3);
  for (let i = 0; i < rgb.length; i++) rgb[i] = Math.max(0, Math.min(255, Math.round(colour[i % 3]! + next() * noise)));
  return rgb;
}

/** A zip with `perClass` noisy 28×28 squares per class colour, as `<class>/<i>.png`, plus `extra` files. */
export function classZip(classes: Readonly<Record<string, readonly [number, number, number]>>, perClass: number, extra: Readonly<Record<string, Uint8Array>> = {}): Uint8Array {
  const files: Record<string, Uint8Array> = { ...extra };
  let seed = 1;
  for (const [name, colour] of Object.entries(classes)) {
    for (let i = 0; i < perClass; i++) files[`${name}/${i}.png`] = encodePng(28, 28, noisySquare(28, colour, 25, seed++));
  }
  return zipSync(files, { level: 0 }); // PNGs are already compressed
}
