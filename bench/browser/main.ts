// The training benchmark inside headless Chromium: each backend picked explicitly, the MLP
// and LeNet-5 templates on built-in MNIST, results left on window for the runner to collect.
import { parseMnistBinary } from '../../src/engine/data/mnist.js';
import { chooseBackend } from '../../src/engine/runtime/backend.js';
import { BACKENDS } from '../../src/engine/runtime/backend-types.js';
import { browserEnvironment } from '../../src/workers/browser-env.js';
import { benchTraining, head, type BenchOutcome } from '../training-core.js';

declare global {
  interface Window {
    __bench?: { done: boolean; results: BenchOutcome[] };
  }
}

const log = (s: string) => {
  document.getElementById('log')!.textContent += `\n${s}`;
};

async function main(): Promise<void> {
  const results: BenchOutcome[] = [];
  window.__bench = { done: false, results };
  const bytes = new Uint8Array(await (await fetch('/data/mnist.bin')).arrayBuffer());
  const mnist = parseMnistBinary(bytes);
  // ?backends=webgl&templates=mlp&depths=2,8 runs a slice (BENCH_QUERY in training-browser.ts).
  const q = new URLSearchParams(location.search);
  const list = (k: string) => q.get(k)?.split(',').filter(Boolean) ?? null;
  const cases = ([['mlp', 2048], ['lenet5', 512]] as [string, number][]).filter(([t]) => list('templates')?.includes(t) ?? true);
  const depths = (list('depths') ?? ['0']).map(Number); // 0 = the loop's default
  for (const backend of BACKENDS.filter((b) => list('backends')?.includes(b) ?? true)) {
    for (const [template, n] of cases) for (const depth of depths) {
      const { report } = await chooseBackend({ preference: backend, environment: browserEnvironment() });
      if (report.backend !== backend) {
        results.push({ template, backend, skipped: report.skipped.find((s) => s.backend === backend)?.message ?? `fell back to ${report.backend}` });
        continue;
      }
      try {
        // Three epochs, one run of each loop: WebGPU on SwiftShader takes ~20 s per LeNet epoch.
        results.push({ ...(await benchTraining(template, head(mnist.train, n), { epochs: 3, oursRuns: 1, ...(depth ? { maxStepsInFlight: depth } : {}) })), ...(depth ? { template: `${template} (≤ ${depth} steps queued)` } : {}) });
      } catch (e) {
        results.push({ template, backend, skipped: (e as Error).message.split('\n')[0]! });
      }
      log(JSON.stringify(results.at(-1)));
    }
  }
  window.__bench.done = true;
}

main().catch((e: Error) => {
  log(`failed: ${e.stack ?? e.message}`);
  window.__bench = { done: true, results: [{ template: 'all', backend: 'all', skipped: e.message }] };
});
