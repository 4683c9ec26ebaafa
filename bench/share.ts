// Share links (issue 8): each template's link size against the 8 KiB budget, encode and
// decode+parse+analyze times in Node, and "link open to shapes shown" in headless Chromium
// (cold page loads of the production build; target ≤ 1 s).
import { analyzeGraph } from '../src/engine/graph/analyze.js';
import { decodeShare, encodeShare, LINK_BUDGET_BYTES } from '../src/engine/share/index.js';
import { TEMPLATES } from '../src/engine/templates/index.js';
import { buildAndServe } from '../tests/browser/app-server.js';
import { launchChromium } from '../tests/browser/chromium.js';
import { measure, writeSuite, type Row } from './harness.js';

const COLD_LOADS = 5;

function nodeRows(): { rows: Row[]; links: Map<string, { fragment: string; nodes: number }> } {
  const rows: Row[] = [];
  const links = new Map<string, { fragment: string; nodes: number }>();
  for (const t of TEMPLATES) {
    const project = t.project();
    const enc = encodeShare(project);
    if (!enc.ok) {
      rows.push({ name: `${t.id}: link`, medianMs: 0, p95Ms: 0, runs: 0, note: `too large: ${enc.bytes} bytes` });
      continue;
    }
    links.set(t.id, { fragment: enc.fragment, nodes: project.graph.nodes.length });
    const pct = ((100 * enc.bytes) / LINK_BUDGET_BYTES).toFixed(1);
    const json = JSON.stringify(project).length;
    rows.push({ name: `${t.id}: encodeShare`, ...measure(50, 5, () => project, (p) => encodeShare(p)), target: `≤ ${LINK_BUDGET_BYTES} bytes`, note: `${enc.bytes} bytes (${pct}% of the budget; JSON ${json} bytes)`, data: { bytes: enc.bytes, jsonBytes: json } });
    rows.push({ name: `${t.id}: decodeShare + analyzeGraph`, ...measure(50, 5, () => enc.fragment, (f) => {
      const d = decodeShare(f);
      if (!d.ok) throw new Error(d.error.message);
      analyzeGraph(d.envelope.project.graph);
    }) });
  }
  return { rows, links };
}

/** Median ms from navigation start to every node of the shared view showing its shape. */
async function browserRows(links: Map<string, { fragment: string; nodes: number }>): Promise<Row[]> {
  const app = await buildAndServe();
  const chrome = await launchChromium();
  const rows: Row[] = [];
  try {
    for (const id of ['mlp', 'lenet5', 'resnet18']) {
      const link = links.get(id);
      if (!link) continue;
      const times: number[] = [];
      for (let i = 0; i < COLD_LOADS; i++) {
        const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 800 } });
        const page = await context.newPage();
        await page.goto(`${app.url}/${link.fragment}`);
        const handle = await page.waitForFunction((n) => {
          const shapes = [...document.querySelectorAll('[data-testid=shared-view] [data-testid=node-shape]')];
          return shapes.length === n && shapes.every((s) => s.textContent !== '—') ? performance.now() : null;
        }, link.nodes, { timeout: 30_000, polling: 'raf' });
        times.push((await handle.jsonValue()) as number);
        await context.close();
      }
      times.sort((a, b) => a - b);
      rows.push({ name: `${id}: link open to shapes shown (Chromium, cold context)`, medianMs: times[Math.floor(times.length / 2)]!, p95Ms: times.at(-1)!, runs: times.length, target: '≤ 1000 ms', data: { times } });
    }
  } finally {
    await chrome.close();
    await app.close();
  }
  return rows;
}

export async function runShare(): Promise<void> {
  const { rows, links } = nodeRows();
  const browser = await browserRows(links);
  writeSuite('share', 'Share links: size, decode, open (issue 8)', [...rows, ...browser]);
}
