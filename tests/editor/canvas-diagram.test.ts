// Positions for graphs without them and the standalone SVG diagram, checked against the
// engine's analysis and the templates' own layout.
import { describe, expect, it } from 'vitest';
import { positionsFor } from '../../src/editor/canvas/auto-position.js';
import { diagramSvg } from '../../src/editor/canvas/diagram-export.js';
import { intersects, NODE_HEIGHT, NODE_WIDTH } from '../../src/editor/canvas/edge-geometry.js';
import { shapeText } from '../../src/editor/canvas/node-summary.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { nodeId } from '../../src/engine/ids.js';
import type { Graph } from '../../src/engine/project/types.js';
import { findTemplate } from '../../src/engine/templates/index.js';

const stripPositions = (g: Graph): Graph => ({ nodes: g.nodes.map(({ position: _p, ...n }) => n), edges: g.edges });
const rect = (p: { x: number; y: number }) => ({ ...p, width: NODE_WIDTH, height: NODE_HEIGHT });

describe('positionsFor', () => {
  it('keeps stored positions and lays out missing ones below every edge source, without overlaps', () => {
    const resnet = stripPositions(findTemplate('resnet18')!.project().graph);
    const p = positionsFor(resnet);
    expect(p.size).toBe(resnet.nodes.length);
    for (const e of resnet.edges) expect(p.get(e.target)!.y, `${e.source} → ${e.target}`).toBeGreaterThan(p.get(e.source)!.y);
    const all = [...p.values()];
    for (let i = 0; i < all.length; i++) for (let j = i + 1; j < all.length; j++) expect(intersects(rect(all[i]!), rect(all[j]!))).toBe(false);
    const lenet = findTemplate('lenet5')!.project().graph;
    expect(positionsFor(lenet)).toEqual(new Map(lenet.nodes.map((n) => [n.id, n.position])));
    // Half stored, half not: the stored keep their place, the others go below all of them.
    const mixed: Graph = { nodes: lenet.nodes.map((n, i) => (i % 2 ? stripPositions({ nodes: [n], edges: [] }).nodes[0]! : n)), edges: lenet.edges };
    const m = positionsFor(mixed);
    const lowest = Math.max(...mixed.nodes.filter((n) => n.position).map((n) => n.position!.y));
    for (const n of mixed.nodes) {
      if (n.position) expect(m.get(n.id)).toEqual(n.position);
      else expect(m.get(n.id)!.y, n.id).toBeGreaterThan(lowest + NODE_HEIGHT);
    }
  });
});

describe('diagramSvg', () => {
  it('draws every node with its shape and every edge, broken ones in red', () => {
    const g: Graph = {
      nodes: [
        { id: nodeId('in'), kind: 'Input', params: { shape: [8, 8, 1] }, position: { x: 0, y: 0 } },
        { id: nodeId('conv'), kind: 'Conv2D', params: { filters: 4, kernelSize: 3 }, position: { x: 0, y: 110 } },
        { id: nodeId('rep'), kind: 'RepeatVector', params: { n: 3 }, label: 'a <label> & "quotes"', position: { x: 0, y: 220 } },
      ],
      edges: [{ source: nodeId('in'), target: nodeId('conv'), targetInput: 0 }, { source: nodeId('conv'), target: nodeId('rep'), targetInput: 0 }],
    };
    const a = analyzeGraph(g);
    const svg = diagramSvg(g, a, positionsFor(g));
    expect(svg.match(/<g data-node-id="/g)).toHaveLength(3);
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg).toContain(shapeText(a.nodes.get(nodeId('conv'))!.output!.shape));
    expect(svg).toMatch(/<path [^>]*stroke="#d92d20"[^>]*data-source="conv" data-target="rep"/);
    expect(svg).toMatch(/<path [^>]*stroke="#8a94a6"[^>]*data-source="in" data-target="conv"/);
    expect(svg).toContain('a &#60;label&#62; &#38; &#34;quotes&#34;');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="248" height="332" viewBox="-24 -24 248 332"/);
  });

  it('draws an edge with a warning (a Dense fed a feature map) in amber, as the canvas does', () => {
    const g: Graph = {
      nodes: [
        { id: nodeId('in'), kind: 'Input', params: { shape: [8, 8, 1] }, position: { x: 0, y: 0 } },
        { id: nodeId('conv'), kind: 'Conv2D', params: { filters: 4, kernelSize: 3 }, position: { x: 0, y: 110 } },
        { id: nodeId('dense'), kind: 'Dense', params: { units: 10 }, position: { x: 0, y: 220 } },
      ],
      edges: [{ source: nodeId('in'), target: nodeId('conv'), targetInput: 0 }, { source: nodeId('conv'), target: nodeId('dense'), targetInput: 0 }],
    };
    const a = analyzeGraph(g);
    expect(a.nodes.get(nodeId('dense'))!.diagnostics.map((d) => d.severity)).toEqual(['warning']);
    const svg = diagramSvg(g, a, positionsFor(g));
    expect(svg).toMatch(/<path [^>]*stroke="#dc6803"[^>]*data-source="conv" data-target="dense"/);
    expect(svg).toMatch(/<path [^>]*stroke="#8a94a6"[^>]*data-source="in" data-target="conv"/);
  });
});
