// Downloading a dataset by URL from the page: a node:http server on 127.0.0.1 (another
// origin than the app's localhost, so it sends CORS and CORP headers for the cross-origin
// isolated worker) serves a two-class CSV and counts requests. The worker downloads it with
// a progress bar, verifies an optional SHA-256, keeps the bytes in memory for the next run,
// and the MLP template (Input [28, 28, 1]) then refuses the [2]-wide rows with the trainer's
// message: there is no tabular template yet, so the mismatch is the expected end of the run.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from './chromium.js';
import { openApp, screenshot } from './page.js';
import { showTraining } from './dock.js';

const rows = Array.from({ length: 240 }, (_, i) => {
  const a = i % 2 === 0;
  return `${((a ? 1 : -1) + ((i * 37) % 11) / 50).toFixed(3)},${((a ? 1 : -1) + ((i * 53) % 13) / 50).toFixed(3)},${a ? 'a' : 'b'}`;
});
const CSV = Buffer.from(['x1,x2,label', ...rows].join('\n'));
const SHA = createHash('sha256').update(CSV).digest('hex');
const MISMATCH = "samples are [null,2] but the model's Input takes [null,28,28,1]";

let chrome: LaunchedBrowser;
let server: Server;
let base: string;
const requests = new Map<string, number>();

beforeAll(async () => {
  chrome = await launchChromium();
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.set(path, (requests.get(path) ?? 0) + 1);
    const headers = { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin', 'Cache-Control': 'no-store' };
    if (!path.endsWith('.csv')) {
      res.writeHead(404, headers).end('not found');
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': 'text/csv', 'Content-Length': String(CSV.length) }).end(CSV);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await chrome?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

/** MLP template, "Download from a URL…", fill URL (+ SHA-256) and the label column. */
async function chooseUrl(page: Page, url: string, sha256 = ''): Promise<void> {
  await page.getByTestId('template-picker').selectOption('mlp');
  await page.getByTestId('dataset-picker').selectOption('remote');
  await page.getByTestId('dataset-url').fill(url);
  if (sha256) await page.getByTestId('dataset-sha256').fill(sha256);
  if (url.endsWith('.csv')) await page.getByTestId('label-column').fill('label');
}

async function runSummary(page: Page, logs: string[]): Promise<{ status: string | null; text: string }> {
  const summary = page.getByTestId('run-summary');
  await summary.waitFor({ timeout: 120_000 });
  const text = (await summary.textContent()) ?? '';
  const status = await summary.getAttribute('data-run-status');
  if (status !== 'failed' && status !== 'completed') throw new Error(`${text}\n${logs.join('\n')}`);
  return { status, text };
}

describe('downloading a dataset by URL', () => {
  it('downloads with progress, shows the dataset, and uses the cache on the next run', async () => {
    const { page, logs } = await openApp(chrome.browser, inject('appUrl'));
    try {
      await showTraining(page);
      await chooseUrl(page, `${base}/points.csv`);
      await page.getByTestId('start').click();
      const first = await runSummary(page, logs);
      await screenshot(page, 'remote-done');
      expect(first.status).toBe('failed');
      expect(first.text).toContain(MISMATCH);

      const bar = page.getByTestId('download-progress');
      expect(await bar.getAttribute('data-cached')).toBe('false');
      expect(Number(await bar.getAttribute('data-loaded'))).toBe(CSV.length);
      expect(Number(await bar.getAttribute('data-total'))).toBe(CSV.length);
      expect(await bar.locator('progress').evaluate((p: HTMLProgressElement) => p.value / p.max)).toBe(1);
      const ds = page.getByTestId('dataset-summary');
      expect(await ds.getAttribute('data-classes')).toBe('2');
      expect(await ds.textContent()).toContain(`remote:${base}/points.csv`);
      expect(Number(await ds.getAttribute('data-train')) + Number(await ds.getAttribute('data-validation')) + Number(await ds.getAttribute('data-test'))).toBe(240);
      expect(requests.get('/points.csv')).toBe(1);

      // Second run, same URL: from the worker's cache, no second request.
      await page.getByTestId('start').click();
      await page.locator('[data-testid="download-progress"][data-cached="true"]').waitFor({ timeout: 60_000 });
      const second = await runSummary(page, logs);
      expect(second.text).toContain(MISMATCH);
      expect(await bar.textContent()).toContain('From the cache');
      expect(requests.get('/points.csv')).toBe(1);
    } finally {
      await page.close();
    }
  });

  it('fails on a wrong SHA-256 with the checksum message, and accepts the right one', async () => {
    const { page, logs } = await openApp(chrome.browser, inject('appUrl'));
    try {
      await showTraining(page);
      await chooseUrl(page, `${base}/checked.csv`, 'f'.repeat(64));
      await page.getByTestId('start').click();
      const bad = await runSummary(page, logs);
      expect(bad.status).toBe('failed');
      expect(bad.text).toContain(`checksum mismatch: expected SHA-256 ${'f'.repeat(64)}, got ${SHA}`);
      expect(await page.getByTestId('dataset-summary').count()).toBe(0);

      await page.getByTestId('dataset-sha256').fill(SHA.toUpperCase());
      await page.getByTestId('start').click();
      await page.getByTestId('dataset-summary').waitFor({ timeout: 120_000 });
      expect((await runSummary(page, logs)).text).toContain(MISMATCH);
      expect(requests.get('/checked.csv')).toBe(2); // a failed check caches nothing
    } finally {
      await page.close();
    }
  });

  it('fails on a 404 with the HTTP error', async () => {
    const { page, logs } = await openApp(chrome.browser, inject('appUrl'));
    try {
      await showTraining(page);
      await chooseUrl(page, `${base}/missing.zip`);
      await page.getByTestId('start').click();
      const r = await runSummary(page, logs);
      expect(r.status).toBe('failed');
      expect(r.text).toContain(`${base}/missing.zip: download failed: HTTP 404 Not Found`);
    } finally {
      await page.close();
    }
  });

  it('refuses a malformed SHA-256 before any request', async () => {
    const { page } = await openApp(chrome.browser, inject('appUrl'));
    try {
      await showTraining(page);
      await chooseUrl(page, `${base}/points.csv`, 'xyz');
      expect(await page.getByTestId('remote-problem').textContent()).toContain('64 hex digits');
      expect(await page.getByTestId('start').isDisabled()).toBe(true);
    } finally {
      await page.close();
    }
  });
});
