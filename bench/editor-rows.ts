// The editor benchmark's table rows: each measurement with its target from issue 5 §6 and a
// verdict; raw results go into the rows' data (JSON only).
import type { EditorBench } from './editor.js';
import { total, type ChunkSize } from './editor-bundle.js';
import { triple, type Summary } from './editor-page.js';
import type { Row } from './harness.js';

const FRAME_MS = 16;
/** One frame at 60 Hz: the rAF interval when every frame is on time. */
const VSYNC_MS = 1000 / 60;
const TTI_MS = 1500;
const JS_BUDGET = 300 * 1024; // the same budget as tests/browser/bundle.test.ts

const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
const row = (name: string, s: Summary, target: string, note: string, data?: object): Row => ({ name, medianMs: s.median, p95Ms: s.p95, runs: s.n, target, note, ...(data ? { data } : {}) });

export function editorRows(b: EditorBench): Row[] {
  const rows: Row[] = [];
  for (const g of b.gestures) {
    const what = `${g.gesture}, ${g.nodes} nodes, ${g.clock === 'vsync' ? 'default 60 Hz frame clock' : 'vsync and frame-rate limit off'}`;
    const loaf = `long animation frames (> 50 ms) reported by LoAF: ${g.longFrames.count}${g.longFrames.count ? `, duration ${triple(g.longFrames.durationMs)}, of which rendering ${triple(g.longFrames.renderMs)}` : ''}`;
    if (!g.traced) {
      rows.push(row(`${what}, not traced: rAF interval (ms)`, g.rafMs, 'the traced rows\' check', `max ${g.rafMs.max.toFixed(1)}; ${g.events} events in ${g.wallMs} ms; ${loaf}`, g));
      continue;
    }
    const [top, topMs] = Object.entries(g.phases).sort((x, y) => y[1] - x[1])[0] ?? ['-', NaN];
    rows.push(row(`${what}: page main-thread work per input frame (ms)`, g.taskMs, `p95 ≤ ${FRAME_MS} ms`,
      `${verdict(g.taskMs.p95 <= FRAME_MS)}; max ${g.taskMs.max.toFixed(1)}; median/p95/max: handlers ${triple(g.handlersMs)}, style+layout ${triple(g.styleLayoutMs)}, paint+commit ${triple(g.paintMs)}; largest phase ${top} (median ${topMs.toFixed(1)}); main thread busy ${Math.round(g.busy * 100)}%`, g));
    rows.push(row(`${what}: rAF interval (ms)`, g.rafMs, g.clock === 'vsync' ? `p95 ≤ ${VSYNC_MS.toFixed(1)} ms (60 fps)` : 'throughput only',
      `${g.clock === 'vsync' ? `${verdict(g.rafMs.p95 <= VSYNC_MS + 0.5)} here (SwiftShader raster); ` : ''}max ${g.rafMs.max.toFixed(1)}; ${g.events} events in ${g.wallMs} ms`));
  }
  for (const e of b.edits) {
    // Within one frame: no frame starts before the update, and the next one starts within a frame interval.
    const inDom = e.framesBefore.max === 0;
    const onTime = inDom && e.toFrameMs.p95 <= VSYNC_MS + 0.5;
    const how = onTime ? 'met' : inDom ? 'NOT met in time: in the DOM before the next frame, but that frame starts late' : 'NOT met';
    rows.push(row(`edit → shapes in the DOM, ${e.name} (ms)`, e.toDomMs, '≤ 1 frame: in the DOM before the next frame, which starts ≤ 16.7 ms after the key',
      `${how}; frames started before the update median ${e.framesBefore.median}, max ${e.framesBefore.max}; key → next frame's rAF ${triple(e.toFrameMs)} ms; ${e.changedNodes} node shapes + ${e.changedLabels} edge labels change per edit${e.committedByTimer ? `; ${e.committedByTimer} edits dropped (commit timer beat Enter)` : ''}`, e));
  }
  for (const s of b.startup) {
    rows.push(row(`${s.cache} cache: navigation → first nodes painted (ms)`, s.nodesPainted, '', `first contentful paint ${triple(s.fcp)} ms (median/p95/max)`));
    rows.push(row(`${s.cache} cache: navigation → interactive (ms)`, s.interactive, s.cache === 'cold' ? `≤ ${TTI_MS} ms` : '',
      `${s.cache === 'cold' ? `${verdict(s.interactive.median <= TTI_MS)} (median); ` : ''}interactive = nodes painted and then ${500} ms without a long task; palette click → new node in the DOM ${triple(s.clickToNode)} ms`, s));
  }
  const declared = b.bundle.declared;
  const loaded = b.bundle.loaded;
  const size = (cs: readonly ChunkSize[]) => ({ median: total(cs, 'gzip') / 1024, p95: total(cs, 'gzip') / 1024, max: NaN, n: 1 });
  const files = (cs: readonly ChunkSize[]) => cs.map((c) => `${c.path.replace('/assets/', '')} ${kib(c.gzip)}`).join(', ');
  rows.push(row('initial JS declared by index.html, entry + modulepreloads (KiB gzip -9)', size(declared), `≤ ${JS_BUDGET / 1024} KiB gzip`,
    `${verdict(total(declared, 'gzip') <= JS_BUDGET)}; brotli ${kib(total(declared, 'brotli'))}, raw ${kib(total(declared, 'bytes'))}; ${files(declared)}`, { declared }));
  rows.push(row('JS the page fetched before interactive (KiB gzip -9)', size(loaded), `≤ ${JS_BUDGET / 1024} KiB gzip; no TF.js`,
    `${verdict(total(loaded, 'gzip') <= JS_BUDGET && loaded.every((c) => !c.tfjs))}; brotli ${kib(total(loaded, 'brotli'))}; ${files(loaded)}; TF.js in ${loaded.filter((c) => c.tfjs).length} of them (trainer worker chunk ${b.bundle.worker?.tfjs ? 'has TF.js' : 'has NO TF.js?'}, ${kib(b.bundle.worker?.gzip ?? 0)})`, b.bundle));
  return rows;
}
