// npm run bench [-- SUITE…]: runs the named suites (default: all) and records results.
import { runCpuKernels } from './cpu-kernels.js';
import { runEditor } from './editor.js';
import { runExport } from './export.js';
import { runInference } from './inference.js';
import { runOffline } from './offline.js';
import { runRuns } from './runs.js';
import { runShare } from './share.js';
import { runTrainingBrowser } from './training-browser.js';
import { runTrainingNode } from './training-node.js';

const SUITES: Record<string, () => void | Promise<void>> = { inference: runInference, 'cpu-kernels': runCpuKernels, 'training-node': runTrainingNode, 'training-browser': runTrainingBrowser, export: runExport, editor: runEditor, share: runShare, offline: runOffline, runs: runRuns };

const wanted = process.argv.slice(2);
for (const name of wanted.length ? wanted : Object.keys(SUITES)) {
  const run = SUITES[name];
  if (!run) {
    console.error(`unknown suite "${name}"; suites: ${Object.keys(SUITES).join(', ')}`);
    process.exit(2);
  }
  await run();
}
