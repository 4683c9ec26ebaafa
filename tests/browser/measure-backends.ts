// Measures MLP training per backend in real Chromium (SwiftShader WebGPU, WebGL, wasm, cpu)
// through the page, like a person would: time per epoch, time to the first step, and what
// WebGPU shader pre-warming changes. Not a test (minutes of CPU); run it by hand:
//   npx tsx tests/browser/measure-backends.ts [runs-per-config] [backend,backend…]
import type { Page } from 'playwright-core';
import { buildAndServe } from './app-server.js';
import { launchChromium } from './chromium.js';
import { openApp } from './page.js';

/** 2,276 samples → 2,048 training + 228 validation (validationSplit 0.1), as in docs/FIELD-NOTES. */
const SAMPLES = 2276;
const EPOCHS = 3;

interface Config {
  readonly backend: 'webgpu' | 'webgl' | 'wasm' | 'cpu';
  readonly prewarm: boolean;
}

async function measure(page: Page, c: Config) {
  await page.getByTestId('template-picker').selectOption('mlp');
  await page.getByTestId('backend-picker').selectOption(c.backend);
  await page.getByTestId('backend-name').waitFor();
  await page.getByTestId('epochs').fill(String(EPOCHS));
  await page.getByTestId('batch-size').fill('128');
  await page.getByTestId('train-samples').fill(String(SAMPLES));
  await page.getByTestId('start').click();
  const summary = page.getByTestId('run-summary');
  await summary.waitFor({ timeout: 600_000 });
  const rows = page.getByTestId('epoch-row');
  const epochMs = await rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-ms'))));
  return {
    ...c,
    used: await summary.getAttribute('data-backend'),
    epochMs: epochMs.map(Math.round),
    timeToFirstStepMs: Math.round(Number(await summary.getAttribute('data-first-step-ms'))),
    timings: JSON.parse((await summary.getAttribute('data-timings')) ?? '{}') as Record<string, number | null>,
    valAccuracy: Number(await summary.getAttribute('data-val-accuracy')),
  };
}

const runs = Number(process.argv[2] ?? 1);
const app = await buildAndServe();
const chrome = await launchChromium();
const configs: Config[] = [
  { backend: 'webgpu', prewarm: true },
  { backend: 'webgpu', prewarm: false },
  { backend: 'webgl', prewarm: false },
  { backend: 'wasm', prewarm: false },
  { backend: 'cpu', prewarm: false },
];
const only = process.argv[3]?.split(',');
try {
  for (let r = 0; r < runs; r++) {
    for (const c of configs.filter((x) => !only || only.includes(x.backend))) {
      // A fresh page (and worker) per run: no shader or pipeline cache carries over.
      const { page } = await openApp(chrome.browser, `${app.url}/?prewarm=${c.prewarm ? 1 : 0}`);
      try {
        console.log(JSON.stringify(await measure(page, c)));
      } finally {
        await page.close();
      }
    }
  }
} finally {
  await chrome.close();
  await app.close();
}
