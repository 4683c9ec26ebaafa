// The training benchmark in headless Chromium (issue 3 §7): builds bench/browser/ with the
// app's Vite config (wasm files, mnist.bin), serves it on loopback, runs every backend.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { buildMnistFile } from '../src/engine/data/node-files.js';
import { launchChromium } from '../tests/browser/chromium.js';
import { serveStatic } from '../tests/browser/static-server.js';
import { writeSuite } from './harness.js';
import type { BenchOutcome } from './training-core.js';
import { trainingRows } from './training-node.js';

export async function runTrainingBrowser(): Promise<void> {
  const root = resolve(import.meta.dirname, '..');
  await buildMnistFile({ force: false });
  const outDir = mkdtempSync(join(tmpdir(), 'nf-bench-'));
  await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true, sourcemap: false, rollupOptions: { input: join(root, 'bench/browser/index.html') } } });
  const server = await serveStatic(outDir);
  const chrome = await launchChromium();
  try {
    const page = await chrome.browser.newPage();
    page.on('console', (m) => m.type() === 'error' && console.error(`page: ${m.text()}`));
    await page.goto(`${server.url}/bench/browser/index.html${process.env['BENCH_QUERY'] ? `?${process.env['BENCH_QUERY']}` : ''}`);
    await page.waitForFunction(() => window.__bench?.done === true, undefined, { timeout: 30 * 60_000, polling: 2000 });
    const results = (await page.evaluate(() => window.__bench!.results)) as BenchOutcome[];
    const suite = process.env['BENCH_QUERY'] ? 'training-browser-slice' : 'training-browser';
    writeSuite(suite, `Training in headless Chromium ${chrome.browser.version()} (${chrome.source}), SwiftShader for GPU backends (issue 3): median ms per steady epoch, ours | model.fit`, trainingRows(results), ['ours (ms/epoch)', 'model.fit (ms/epoch)']);
  } finally {
    await chrome.close();
    await server.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}
