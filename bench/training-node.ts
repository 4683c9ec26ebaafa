// CLI training speed per Node backend (cpu, wasm, and webgpu through Dawn where a Vulkan
// driver exists), with the same benchmark core the browser suite runs.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadMnistFile } from '../src/engine/data/node-files.js';
import { chooseNodeBackend } from '../src/engine/runtime/backend-node.js';
import { BACKENDS, type BackendName } from '../src/engine/runtime/backend-types.js';
import { writeSuite, type Row } from './harness.js';
import { benchTraining, head, type BenchOutcome } from './training-core.js';

export function trainingRows(results: readonly BenchOutcome[]): Row[] {
  return results.map((r) =>
    'skipped' in r
      ? { name: `${r.template} on ${r.backend}`, medianMs: NaN, p95Ms: NaN, runs: 0, note: `skipped: ${r.skipped}` }
      : {
          name: `${r.template} on ${r.backend}: steady epoch (${r.samples} samples, batch ${r.batchSize})`,
          medianMs: (r.samples / r.oursSamplesPerSec) * 1000,
          p95Ms: (r.samples / r.fitSamplesPerSec) * 1000,
          runs: r.epochs,
          data: r,
          target: 'ours/fit ≥ 0.95; first/steady ≤ 1.5',
          note: `ours ${r.oursSamplesPerSec.toFixed(0)} samples/s vs model.fit ${r.fitSamplesPerSec.toFixed(0)} (ratio ${r.ratio.toFixed(2)}); first step ${r.firstStepMs.toFixed(0)} ms; first/steady ${r.firstToSteady.toFixed(2)}; tensor drift ${r.tensorDrift}${r.prewarmMs !== null ? `; pre-warm ${r.prewarmMs.toFixed(0)} ms` : ''}`,
        },
  );
}

type Outcome = BenchOutcome;

/** One backend's cases, in this process (the child side). */
async function benchBackend(backend: BackendName): Promise<Outcome[]> {
  const mnist = await loadMnistFile();
  const cases: [string, number][] = [['mlp', 2048], ['lenet5', 1024]];
  const out: Outcome[] = [];
  for (const [template, n] of cases) {
    const { report } = await chooseNodeBackend(backend, undefined);
    if (report.backend !== backend) {
      out.push({ template, backend, skipped: report.skipped.find((s) => s.backend === backend)?.message ?? `fell back to ${report.backend}` });
      continue;
    }
    try {
      out.push(await benchTraining(template, head(mnist.train, n)));
    } catch (e) {
      out.push({ template, backend, skipped: (e as Error).message.split('\n')[0]! });
    }
  }
  return out;
}

/**
 * Each backend runs in its own process: a native crash (Dawn on SwiftShader can abort) then
 * costs that backend's rows, not the suite.
 */
export async function runTrainingNode(): Promise<void> {
  const results: Outcome[] = [];
  for (const backend of BACKENDS.filter((b) => b !== 'webgl')) {
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), CHILD_FLAG, backend], { encoding: 'utf8', maxBuffer: 1 << 24 });
    const line = child.stdout.split('\n').find((l) => l.startsWith('{"results"'));
    if (line) results.push(...(JSON.parse(line) as { results: Outcome[] }).results);
    else results.push({ template: 'all', backend, skipped: `the benchmark process died (${child.signal ?? `exit ${child.status}`}): ${child.stderr.trim().split('\n').slice(-2).join(' ')}` });
    console.log(`${backend}: done`);
  }
  writeSuite('training-node', 'CLI training per Node backend (issue 3): median ms per steady epoch, ours | model.fit', trainingRows(results), ['ours (ms/epoch)', 'model.fit (ms/epoch)']);
}

const CHILD_FLAG = '--bench-child';
if (process.argv[2] === CHILD_FLAG) {
  const results = await benchBackend(process.argv[3] as BackendName);
  process.stdout.write(`${JSON.stringify({ results })}\n`);
  process.exit(0);
}
