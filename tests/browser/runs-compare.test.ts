// The Runs view's Compare panel in real Chromium: three runs with known curves are written into
// the app's IndexedDB (raw API), ticked in the table, and compared — one curve per run with the
// run's name or its differing learning rate as legend, step and time axes whose extents follow
// from the seeded steps and step times, the diff of A and B (learning rate before → after, the
// node B's version adds), and brushes (mouse and keyboard) that keep the runs in range.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from './chromium.js';
import { longTasksSince, openApp, pageNow, screenshot } from './page.js';
import { firstProject, seedRuns, type SeedRun } from './runs-seed.js';
import { putRecords, waitFor } from './storage-helpers.js';
import { showView } from './views.js';

let chrome: LaunchedBrowser;
let page: Page;
let logs: string[];

const T0 = Date.UTC(2026, 10, 1);
// A and B differ in learning rate and architecture (B adds node "extra"); C is named.
const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';
const C = 'cccccccc-0000-4000-8000-000000000003';

beforeAll(async () => {
  chrome = await launchChromium();
  ({ page, logs } = await openApp(chrome.browser, inject('appUrl')));
  await page.getByTestId('save-status').and(page.locator('[data-state=saved]')).waitFor({ timeout: 60_000 });
  const { project, version } = await waitFor('the first project and its version', () => firstProject(page).catch(() => null), 30_000);
  const v2 = {
    ...version,
    id: 'version-with-extra',
    parent: version.id,
    graphHash: 'e'.repeat(64),
    graph: { ...version.graph, nodes: [...version.graph.nodes, { id: 'extra', kind: 'Dropout', params: { rate: 0.25 }, position: { x: 0, y: 900 } }] },
  };
  await putRecords(page, 'versions', [v2]);
  const runs: SeedRun[] = [
    { id: A, name: null, versionId: version.id, learningRate: 0.01, valLoss: 0.5, loss0: 2, steps: 300, epochs: 3, msPerStep: 100, startedAt: T0 },
    { id: B, name: null, versionId: v2.id, learningRate: 0.001, valLoss: 0.3, loss0: 2.5, steps: 400, epochs: 4, msPerStep: 50, startedAt: T0 + 60_000 },
    { id: C, name: 'big steps', versionId: v2.id, learningRate: 0.1, valLoss: 0.9, loss0: 3, steps: 2500, epochs: 5, msPerStep: 20, startedAt: T0 + 120_000 },
  ];
  await seedRuns(page, project.id, project.draft.training, runs);
  await page.reload();
  await showView(page, 'runs');
  await waitFor('3 run rows', async () => (await page.getByTestId('run-row').count()) === 3, 20_000);
});
afterAll(async () => {
  await chrome?.close();
});

const row = (id: string) => page.locator(`[data-testid="run-row"][data-run-id="${id}"]`);
const chart = () => page.getByTestId('compare-chart');

describe('comparing runs', () => {
  it('says how to tick runs while fewer than two are ticked', async () => {
    await page.getByTestId('runs-panel-compare').click();
    await expect.poll(() => page.getByTestId('compare-empty').textContent()).toMatch(/No runs ticked\. Tick two or more runs/);
    await row(A).getByTestId('run-pick').check();
    await expect.poll(() => page.getByTestId('compare-empty').textContent()).toMatch(/One run ticked/);
  });

  it('overlays one curve per run, named by the run or its learning rate, on a step or a time axis', async () => {
    await row(B).getByTestId('run-pick').check();
    await row(C).getByTestId('run-pick').check();
    const since = await pageNow(page);
    await page.getByTestId('runs-compare').click();
    // C's 2,500 steps are cut to the 1,000-point budget; A and B are drawn whole.
    await expect.poll(() => chart().getAttribute('data-points'), { timeout: 20_000 }).toBe('300,400,1000');
    const legend = await page.getByTestId('compare-legend-item').evaluateAll((els) => els.map((e) => [e.getAttribute('data-run-id'), e.querySelector('.legend-label')?.textContent]));
    expect(legend).toEqual([
      [A, 'aaaaaa · learningRate 0.01'],
      [B, 'bbbbbb · learningRate 1e-3'],
      [C, 'big steps'],
    ]);
    expect(await chart().getAttribute('data-x-max')).toBe('2499'); // last step of C
    await page.getByTestId('compare-x-time').check();
    // Seconds since each run's start: A 299 × 0.1 s, B 399 × 0.05 s, C 2499 × 0.02 s.
    await expect.poll(async () => Number(await chart().getAttribute('data-x-max'))).toBeCloseTo(2499 * 0.02, 6);
    await page.getByTestId('compare-x-step').check();
    await page.getByTestId('compare-metric').selectOption('epoch:valLoss');
    await expect.poll(() => chart().getAttribute('data-points')).toBe('3,4,5');
    await page.getByTestId('compare-metric').selectOption('step:loss');
    const long = (await longTasksSince(page, since)).filter((t) => t.duration > 100);
    expect(long, logs.join('\n')).toEqual([]);
  });

  it('lists what differs between A and B: the learning rate and the added node', async () => {
    const hyper = page.getByTestId('diff-hyper').locator('tr[data-path="optimizer.learningRate"]');
    await expect.poll(() => hyper.locator('td').allTextContents(), { timeout: 10_000 }).toEqual(['0.01', '0.001']);
    expect(await page.getByTestId('diff-node').evaluateAll((els) => els.map((e) => [e.getAttribute('data-change'), e.textContent]))).toEqual([['added', 'added extra (Dropout)']]);
    // B against C: same version, so the same architecture.
    await page.getByTestId('diff-pick-a').selectOption(C);
    await page.getByTestId('diff-pick-b').selectOption(B);
    await expect.poll(() => page.getByTestId('diff-same-architecture').textContent()).toMatch(/^Same architecture/);
    await page.getByTestId('diff-pick-a').selectOption(A);
    await expect.poll(() => page.getByTestId('diff-node').count()).toBe(1);
  });

  it('brushes the final valLoss axis: runs outside dim on the axes and in the chart; "Tick only these" narrows the table', async () => {
    const hit = page.locator('[data-testid=pc-hit][data-key="@valLoss"]');
    await hit.scrollIntoViewIfNeeded();
    const box = (await hit.boundingBox())!;
    // The axis runs from valLoss 0.3 (bottom) to 0.9 (top), 4 px inside the hit box at each end:
    // dragging over its lower half keeps A (0.5) and B (0.3), not C (0.9).
    const bottom = box.y + box.height - 4;
    const mid = box.y + 4 + (box.height - 8) * 0.5;
    await page.mouse.move(box.x + box.width / 2, bottom + 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, mid, { steps: 4 });
    await page.mouse.up();
    const kept = () => page.getByTestId('pc-line').evaluateAll((els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-run-id'), e.getAttribute('data-kept')])));
    await expect.poll(kept).toEqual({ [A]: 'true', [B]: 'true', [C]: 'false' });
    expect(await chart().getAttribute('data-visible')).toBe('2');
    expect(await page.getByTestId('pc-summary').textContent()).toMatch(/^2 of 3 runs kept: valLoss 0\.3 … 0\.6/);
    expect(await page.locator(`[data-testid=compare-legend-item][data-run-id="${C}"]`).getAttribute('class')).toContain('dimmed');
    await screenshot(page, 'runs-compare');
    // A click on the axis clears its brush.
    await hit.click();
    await expect.poll(kept).toEqual({ [A]: 'true', [B]: 'true', [C]: 'true' });
    // Brush again, then narrow the ticked runs to the kept ones.
    await page.mouse.move(box.x + box.width / 2, bottom + 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, mid, { steps: 4 });
    await page.mouse.up();
    await page.getByTestId('pc-tick-only').click();
    await expect.poll(() => page.getByTestId('runs-panel-compare').textContent()).toBe('Compare (2)');
    expect(await row(C).getByTestId('run-pick').isChecked()).toBe(false);
    await expect.poll(() => chart().getAttribute('data-points')).toBe('300,400');
  });

  it('brushes from the keyboard: arrow keys on a focused axis, Escape clears', async () => {
    // A and B are left: learning rate 1e-3 (B, bottom) … 0.01 (A, top); ↑ keeps the lowest quarter.
    const lr = page.locator('[data-testid=pc-hit][data-key="optimizer.learningRate"]');
    await lr.focus();
    await page.keyboard.press('ArrowUp');
    const kept = () => page.getByTestId('pc-line').evaluateAll((els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-run-id'), e.getAttribute('data-kept')])));
    await expect.poll(kept).toEqual({ [A]: 'false', [B]: 'true' });
    expect(await lr.getAttribute('aria-valuetext')).toMatch(/^1e-3 … 3\.[23]e-3$/); // a quarter of 1e-3…0.01
    await page.keyboard.press('Escape');
    await expect.poll(kept).toEqual({ [A]: 'true', [B]: 'true' });
  });
});
