// Cross-origin isolation and the Content-Security-Policy, in real Chromium. (1) A full session
// (open, edit, train a few steps, export) is cross-origin isolated and reports no CSP violation
// in the page, its workers or the service worker; planted violations in the page and the trainer
// worker are seen, so the watch can fail. (2) A static host that sends no headers: the first
// visit is not isolated (only the <meta> policy applies); once the service worker controls the
// page, one reload makes it isolated, with the headers coming from the worker. (3) `vite preview`
// sends the same headers, per request kind (the embed may be framed, the editor not).
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { preview } from 'vite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { contentSecurityPolicy } from '../../src/sw/security-headers.js';
import { launchChromium, type LaunchedBrowser } from './chromium.js';
import { showTraining } from './dock.js';
import { serveCopy, waitForServiceWorker, watchCsp } from './pwa-helpers.js';
import { showView } from './views.js';

let chrome: LaunchedBrowser;
beforeAll(async () => {
  chrome = await launchChromium();
});
afterAll(async () => {
  await chrome?.close();
});

describe('cross-origin isolation and CSP', () => {
  it('keeps a full session isolated and free of CSP violations, in the page and every worker', async () => {
    const context = await chrome.browser.newContext({ viewport: { width: 1200, height: 1400 } });
    try {
      const page = await context.newPage();
      const logs: string[] = [];
      page.on('console', (m) => logs.push(`[${m.type()}] ${m.text()}`));
      const csp = await watchCsp(context, page);
      await page.goto(inject('appUrl'));
      await waitForServiceWorker(page);
      await page.reload(); // now every response, workers' included, comes through the service worker
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

      // Edit: rename the project.
      await page.getByTestId('project-name').fill('CSP session');
      // Train a few steps (wasm with threads: SharedArrayBuffer and blob-started pthread workers).
      await showTraining(page);
      await page.getByTestId('backend-picker').selectOption('wasm');
      await page.getByTestId('backend-name').waitFor({ timeout: 60_000 });
      await page.getByTestId('epochs').fill('1');
      await page.getByTestId('batch-size').fill('32');
      await page.getByTestId('train-samples').fill('128');
      await page.getByTestId('start').click();
      const summary = page.getByTestId('run-summary');
      await summary.waitFor({ timeout: 120_000 });
      expect(await summary.getAttribute('data-run-status'), logs.join('\n')).toBe('completed');
      // Export to ONNX (the exporter worker, onnxruntime-web's wasm).
      await showView(page, 'export');
      await page.getByTestId('export-format').selectOption('onnx');
      await page.getByTestId('export-run').click();
      await page.getByTestId('export-result').or(page.getByTestId('export-error')).waitFor({ timeout: 120_000 });
      expect(await page.getByTestId('export-result').isVisible(), logs.join('\n')).toBe(true);
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
      expect(csp.violations).toEqual([]);

      // The watch sees violations where they happen: an image from another host in the page,
      // a request to a plain-http host from the trainer worker.
      await page.evaluate(() => {
        const img = document.createElement('img');
        img.src = 'https://example.invalid/pixel.png';
        document.body.append(img);
      });
      expect((await csp.evaluateInWorkers(/trainer\.worker/, "fetch('http://example.invalid/data.csv').then(() => 'fetched', () => 'refused')")).length).toBeGreaterThan(0);
      // (Chromium may report the blocked image more than once: compare the distinct places.)
      await expect.poll(() => [...new Set(csp.violations.map((v) => `${v.where.split(' ')[0]} ${v.directive}`))].sort(), { timeout: 10_000 }).toEqual(['page img-src', 'worker connect-src']);
    } finally {
      await context.close();
    }
  });

  it('isolates a page from a host that sends no headers, once the service worker controls it', async () => {
    const app = await serveCopy(inject('appDir'), { isolation: false });
    const context = await chrome.browser.newContext({ viewport: { width: 1200, height: 1400 } });
    try {
      const page = await context.newPage();
      const csp = await watchCsp(context, page);
      const first = await page.goto(app.url);
      expect(await first!.headerValue('cross-origin-embedder-policy')).toBeNull();
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
      // The first visit is protected by the <meta> policy only.
      expect(await page.locator('meta[http-equiv=Content-Security-Policy]').getAttribute('content')).toContain("script-src 'self' 'wasm-unsafe-eval'");
      await waitForServiceWorker(page);
      const second = await page.reload();
      expect(second!.fromServiceWorker()).toBe(true);
      expect(await second!.headerValue('cross-origin-opener-policy')).toBe('same-origin');
      expect(await second!.headerValue('cross-origin-embedder-policy')).toBe('require-corp');
      expect(await second!.headerValue('content-security-policy')).toBe(contentSecurityPolicy({ kind: 'page' }));
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
      // The trainer worker is isolated too (SharedArrayBuffer for TF.js's wasm threads), under its own policy.
      await showTraining(page);
      await page.getByTestId('backend-picker').selectOption('wasm');
      await page.getByTestId('backend-name').waitFor({ timeout: 60_000 });
      expect(await csp.evaluateInWorkers(/trainer\.worker/, "self.crossOriginIsolated && typeof SharedArrayBuffer === 'function'")).toContain(true);
      expect(csp.violations).toEqual([]);
    } finally {
      await context.close();
      await app.close();
    }
  });

  it('gets the same headers from vite preview, framing the embed only', async () => {
    const root = resolve(import.meta.dirname, '../..');
    const server = await preview({ root, configFile: resolve(root, 'vite.config.ts'), logLevel: 'silent', build: { outDir: inject('appDir') }, preview: { port: 0, host: '127.0.0.1' } });
    try {
      const base = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`;
      const doc = { 'Sec-Fetch-Dest': 'document', Accept: 'text/html' };
      const editor = await fetch(`${base}/`, { headers: doc });
      const embed = await fetch(`${base}/?embed=1`, { headers: doc });
      const script = await fetch(`${base}/sw.js`, { headers: { 'Sec-Fetch-Dest': 'script' } });
      for (const r of [editor, embed, script]) {
        expect(r.status).toBe(200);
        expect(r.headers.get('cross-origin-opener-policy')).toBe('same-origin');
        expect(r.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
      }
      expect(editor.headers.get('content-security-policy')).toBe(contentSecurityPolicy({ kind: 'page' }));
      expect(embed.headers.get('content-security-policy')).toBe(contentSecurityPolicy({ kind: 'embed' }));
      expect(script.headers.get('content-security-policy')).toBe(contentSecurityPolicy({ kind: 'resource' }));
    } finally {
      await new Promise<void>((done) => server.httpServer.close(() => done()));
    }
  });
});
