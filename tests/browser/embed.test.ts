// Embed mode (issue 8 §4): `?embed=1` with a share link shows only the canvas (with the engine's
// shapes) and a Train button with a status line; inside an iframe on another origin, Train trains.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { shapeText } from '../../src/editor/canvas/node-summary.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { encodeShare } from '../../src/engine/share/index.js';
import { findTemplate } from '../../src/engine/templates/index.js';
import { launchChromium, type LaunchedBrowser } from './chromium.js';
import { SCREENSHOTS } from './page.js';

let chrome: LaunchedBrowser;
let host: Server;
let hostUrl: string;
const project = findTemplate('mlp')!.project();
const link = encodeShare(project);
if (!link.ok) throw new Error('mlp does not fit a link');
const analysis = analyzeGraph(project.graph);
const shapes = project.graph.nodes.map((n) => shapeText(analysis.nodes.get(n.id)!.output!.shape));

beforeAll(async () => {
  chrome = await launchChromium();
  // A "blog" on another origin (another port) that frames the embed; it sends no isolation headers.
  const embedSrc = `${inject('appUrl')}/?embed=1&epochs=1&samples=256${link.fragment}`;
  host = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>blog</title><h1>A post</h1><iframe src="${embedSrc}" width="900" height="560" style="border:1px solid #888"></iframe>`);
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await chrome?.close();
  await new Promise<void>((resolve) => host?.close(() => resolve()));
});

describe('embed mode', () => {
  it('shows only the canvas and Train', async () => {
    const context = await chrome.browser.newContext({ viewport: { width: 900, height: 560 } });
    const page = await context.newPage();
    await page.goto(`${inject('appUrl')}/?embed=1${link.fragment}`);
    await page.getByTestId('embed').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid=node-shape]').allTextContents()).toEqual(shapes);
    for (const absent of ['nav-bar', 'palette-search', 'project-name', 'template-picker', 'training-panel', 'share', 'fork', 'dock'])
      expect(await page.getByTestId(absent).count(), absent).toBe(0);
    const buttons = await page.locator('button:visible').evaluateAll((bs) => bs.map((b) => b.textContent?.trim()));
    expect(buttons).toContain('Train');
    // Besides Train, only the canvas's own view controls.
    expect(buttons.filter((b) => b !== 'Train').every((b) => /^(Fit|[+−-]|SVG|PNG|)$/.test(b ?? '')), JSON.stringify(buttons)).toBe(true);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'embed.png') });
    await context.close();
  });

  it('trains inside an iframe on another origin', async () => {
    const context = await chrome.browser.newContext({ viewport: { width: 1000, height: 700 } });
    const page = await context.newPage();
    const logs: string[] = [];
    page.on('console', (m) => logs.push(m.text()));
    await page.goto(hostUrl);
    const frame = page.frameLocator('iframe');
    await frame.getByTestId('embed').waitFor({ timeout: 20_000 });
    expect(await frame.locator('[data-testid=node-shape]').allTextContents()).toEqual(shapes);
    await frame.getByTestId('embed-train').click();
    const status = frame.getByTestId('embed-status');
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 180_000 }).toMatch(/done|failed/);
    const text = await status.textContent();
    expect(await status.getAttribute('data-state'), `${text}\n${logs.join('\n')}`).toBe('done');
    expect(text).toMatch(/^completed after 1 epoch on \w+/);
    await page.screenshot({ path: join(SCREENSHOTS, 'embed-iframe-trained.png') });
    await context.close();
  });
});
