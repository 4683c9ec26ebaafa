// A template's thumbnail: a small SVG of its graph (one box per layer, one line per edge,
// coloured by category), drawn from stored positions or, without them, a layered layout.
import { layerSpec } from '../../engine/layers/registry.js';
import type { LayerCategory } from '../../engine/layers/kinds.js';
import type { Graph, Position } from '../../engine/project/types.js';

export const CATEGORY_COLOURS: Readonly<Record<LayerCategory, string>> = {
  input: '#6b7280', core: '#2563eb', convolution: '#059669', pooling: '#0d9488', reshaping: '#64748b',
  recurrent: '#7c3aed', attention: '#c026d3', normalization: '#d97706', activation: '#dc2626', merge: '#0891b2',
};
const UNKNOWN_COLOUR = '#9ca3af';

/** Row = longest path from a source, column = order within the row (for graphs without positions). */
export function layeredPositions(graph: Graph): Map<string, Position> {
  const depth = new Map<string, number>();
  const preds = new Map<string, string[]>();
  for (const e of graph.edges) preds.set(e.target, [...(preds.get(e.target) ?? []), e.source]);
  const visit = (id: string, seen: Set<string>): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0; // a cycle: place it anywhere, the diagnostics say what is wrong
    seen.add(id);
    const d = Math.max(-1, ...(preds.get(id) ?? []).map((p) => visit(p, seen))) + 1;
    depth.set(id, d);
    return d;
  };
  const perRow = new Map<number, number>();
  const out = new Map<string, Position>();
  for (const n of graph.nodes) {
    const row = visit(n.id, new Set());
    const col = perRow.get(row) ?? 0;
    perRow.set(row, col + 1);
    out.set(n.id, { x: col * 240, y: row * 100 });
  }
  return out;
}

/** Kinds come from files too; keep them inert inside an attribute. */
const attr = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const r = (n: number) => Math.round(n * 10) / 10;

/** Deep graphs (ResNet-18) wrap into side-by-side columns of at most this many rows, to stay legible. */
const MAX_ROWS_PER_COLUMN = 24;

/** Index of each value among the sorted distinct values: positions → grid rows/columns. */
function ranks(values: readonly number[]): Map<number, number> {
  return new Map([...new Set(values)].sort((a, b) => a - b).map((v, i) => [v, i]));
}

/**
 * An SVG string `width`×`height` showing the whole graph on a grid of layers: rows from the y
 * positions, columns from the x positions, boxes coloured by category, one line per edge.
 * @example thumbnailSvg(findTemplate('mlp')!.project().graph) // → '<svg …><line …/><rect …/>…</svg>'
 */
export function thumbnailSvg(graph: Graph, width = 160, height = 120): string {
  const allPlaced = graph.nodes.every((n) => n.position);
  const layered = allPlaced ? null : layeredPositions(graph);
  const pos = new Map(graph.nodes.map((n) => [n.id as string, allPlaced ? n.position! : layered!.get(n.id)!]));
  const rowOf = ranks([...pos.values()].map((p) => p.y));
  const colOf = ranks([...pos.values()].map((p) => p.x));
  const pad = 6;
  const gap = 8;
  const wraps = Math.max(1, Math.ceil(rowOf.size / MAX_ROWS_PER_COLUMN));
  const rowsPer = Math.max(1, Math.ceil(rowOf.size / wraps));
  const wrapW = (width - 2 * pad - (wraps - 1) * gap) / wraps;
  const colW = Math.min(wrapW / Math.max(1, colOf.size), 64);
  const rowH = Math.min((height - 2 * pad) / rowsPer, 16);
  const boxW = colW * 0.85;
  const boxH = Math.max(1.5, rowH * 0.6);
  // Centre the drawing: short graphs do not stretch to the full height.
  const top = pad + (height - 2 * pad - rowsPer * rowH) / 2;
  const at = (p: Position) => {
    const row = rowOf.get(p.y)!;
    const wrap = Math.floor(row / rowsPer);
    const left = pad + wrap * (wrapW + gap) + (wrapW - colOf.size * colW) / 2;
    return { x: left + colOf.get(p.x)! * colW + (colW - boxW) / 2, y: top + (row % rowsPer) * rowH + (rowH - boxH) / 2 };
  };
  const lines = graph.edges.flatMap((e) => {
    const a = pos.get(e.source);
    const b = pos.get(e.target);
    if (!a || !b) return [];
    const pa = at(a);
    const pb = at(b);
    return [`<line x1="${r(pa.x + boxW / 2)}" y1="${r(pa.y + boxH)}" x2="${r(pb.x + boxW / 2)}" y2="${r(pb.y)}"/>`];
  });
  const boxes = graph.nodes.map((n) => {
    const p = at(pos.get(n.id)!);
    const spec = layerSpec(n.kind);
    const fill = spec ? CATEGORY_COLOURS[spec.category] : UNKNOWN_COLOUR;
    return `<rect x="${r(p.x)}" y="${r(p.y)}" width="${r(boxW)}" height="${r(boxH)}" rx="${r(Math.min(3, boxH / 3))}" fill="${fill}" data-kind="${attr(n.kind)}"/>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img">` +
    `<g stroke="#94a3b8" stroke-width="0.75">${lines.join('')}</g><g>${boxes.join('')}</g></svg>`;
}
