// The diagram as a standalone SVG (nodes, edges, shape labels, errors in red) and as a PNG
// drawn from that SVG, for the command table's "Export diagram" actions.
import type { Analysis } from '../../engine/graph/analyze.js';
import type { NodeId } from '../../engine/ids.js';
import type { Graph, Position } from '../../engine/project/types.js';
import { saveAs } from '../export/download.js';
import { positionsFor } from './auto-position.js';
import { bezierMidpoint, bezierPath, inputPortPoint, NODE_HEIGHT, NODE_WIDTH, nodesBounds, outputPortPoint } from './edge-geometry.js';
import { edgeProblem } from './fixes.js';
import { compactCount, keyParams, shapeText } from './node-summary.js';
import { inputPortCount } from './ports.js';

const MARGIN = 24;

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The graph drawn as SVG markup, laid out exactly as on the canvas (same geometry module).
 * @example const svg = diagramSvg(ctx.graph(), ctx.analysis(), positionsFor(ctx.graph()))
 */
export function diagramSvg(graph: Graph, analysis: Analysis, positions: ReadonlyMap<NodeId, Position>): string {
  const at = (id: NodeId) => positions.get(id) ?? { x: 0, y: 0 };
  const b = nodesBounds(graph.nodes.map((n) => at(n.id)));
  const w = b.width + 2 * MARGIN, h = b.height + 2 * MARGIN;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="${b.x - MARGIN} ${b.y - MARGIN} ${w} ${h}" font-family="system-ui, sans-serif" font-size="11">`,
    `<rect x="${b.x - MARGIN}" y="${b.y - MARGIN}" width="${w}" height="${h}" fill="#ffffff"/>`,
  ];
  for (const e of graph.edges) {
    const target = graph.nodes.find((n) => n.id === e.target);
    const from = outputPortPoint(at(e.source));
    const to = inputPortPoint(at(e.target), e.targetInput, target ? inputPortCount(graph, target.id, target.kind) : 1);
    // Red for an error, amber for a warning (as on the canvas), grey otherwise.
    const problem = edgeProblem(analysis, e)?.severity;
    const broken = problem !== undefined;
    const colour = problem === 'error' ? '#d92d20' : problem ? '#dc6803' : '#8a94a6';
    parts.push(`<path d="${bezierPath(from, to)}" fill="none" stroke="${colour}" stroke-width="${broken ? 2 : 1.5}" data-source="${escape(e.source)}" data-target="${escape(e.target)}"/>`);
    const shape = analysis.nodes.get(e.source)?.output?.shape;
    if (shape) {
      const m = bezierMidpoint(from, to);
      parts.push(`<text x="${m.x + 6}" y="${m.y + 4}" fill="${broken ? colour : '#556070'}">${escape(shapeText(shape))}</text>`);
    }
  }
  for (const n of graph.nodes) {
    const p = at(n.id);
    const a = analysis.nodes.get(n.id);
    const error = a?.diagnostics.some((d) => d.severity === 'error') ?? false;
    const count = a ? a.paramCount.trainable + a.paramCount.nonTrainable : 0;
    const shape = a?.output?.shape;
    parts.push(
      `<g data-node-id="${escape(n.id)}" transform="translate(${p.x},${p.y})">`,
      `<rect width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="6" fill="#ffffff" stroke="${error ? '#d92d20' : '#b5bcc7'}" stroke-width="${error ? 2 : 1}"/>`,
      `<text x="8" y="16" font-weight="600">${escape(n.kind)}</text>`,
      `<text x="${NODE_WIDTH - 8}" y="16" text-anchor="end" fill="#556070">${escape(n.label ?? n.id)}</text>`,
      `<text x="8" y="34" fill="#556070">${escape(keyParams(a, n.params).join(' · '))}</text>`,
      `<text x="8" y="54" font-family="ui-monospace, monospace">${escape(shape ? shapeText(shape) : '—')}</text>`,
      count > 0 ? `<text x="${NODE_WIDTH - 8}" y="54" text-anchor="end" fill="#556070">${compactCount(count)} params</text>` : '',
      `</g>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}

/** Draws `svg` onto a canvas at `scale` and returns it as a PNG blob (page or worker with DOM). */
export async function svgToPng(svg: string, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(img.naturalWidth * scale);
    canvas.height = Math.ceil(img.naturalHeight * scale);
    const g = canvas.getContext('2d');
    if (!g) throw new Error('Exporting the diagram as PNG needs a 2-D canvas, which this browser did not provide.');
    g.scale(scale, scale);
    g.drawImage(img, 0, 0);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The browser could not encode the diagram as PNG.'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

export type DiagramFormat = 'svg' | 'png';

/**
 * Downloads the diagram of `graph` as `<baseName>.svg` or `.png`; positions as on the canvas
 * (auto-laid-out where the graph has none).
 */
export async function downloadDiagram(graph: Graph, analysis: Analysis, format: DiagramFormat, baseName = 'model-diagram'): Promise<void> {
  const svg = diagramSvg(graph, analysis, positionsFor(graph));
  switch (format) {
    case 'svg':
      return saveAs(new TextEncoder().encode(svg), `${baseName}.svg`);
    case 'png':
      return saveAs(new Uint8Array(await (await svgToPng(svg)).arrayBuffer()), `${baseName}.png`);
    default: {
      const never: never = format;
      throw new Error(`unknown diagram format ${String(never)}`);
    }
  }
}
