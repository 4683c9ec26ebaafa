// Auto-layout (dagre) checked by geometry: every node placed, no two boxes overlapping, every
// edge of a DAG pointing down (or right), the same answer every time; on generated graphs and
// every template.
import { describe, expect, it } from 'vitest';
import { applyChange } from '../../src/engine/graph/changes.js';
import { nodeId, type NodeId } from '../../src/engine/ids.js';
import type { Graph, Position } from '../../src/engine/project/types.js';
import { TEMPLATES } from '../../src/engine/templates/index.js';
import { autoLayoutChanges, layoutGraph, NODE_BOX, needsLayout } from '../../src/editor/graph-edit/layout.js';
import { deepResnet, residualMlp } from '../helpers/random-graph.js';

const strip = (g: Graph): Graph => ({ nodes: g.nodes.map(({ position: _p, ...n }) => n), edges: g.edges });
const graphs: [string, Graph][] = [
  ['residual MLP (60)', residualMlp(60)],
  ['deep ResNet (120)', deepResnet(120)],
  ...TEMPLATES.map((t): [string, Graph] => [t.id, strip(t.project().graph)]),
  // Two separate chains and a lone node: components must not overlap either.
  [
    'disconnected',
    {
      nodes: ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id: nodeId(id), kind: 'Dense', params: { units: 4 } })),
      edges: [
        { source: nodeId('a'), target: nodeId('b'), targetInput: 0 },
        { source: nodeId('c'), target: nodeId('d'), targetInput: 0 },
      ],
    },
  ],
];

function overlaps(a: Position, b: Position): boolean {
  return a.x < b.x + NODE_BOX.width && b.x < a.x + NODE_BOX.width && a.y < b.y + NODE_BOX.height && b.y < a.y + NODE_BOX.height;
}

function checkLayout(g: Graph, at: Map<NodeId, Position>, axis: 'y' | 'x') {
  expect([...at.keys()].sort()).toEqual(g.nodes.map((n) => n.id).sort());
  for (const p of at.values()) expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
  const ps = [...at.entries()];
  for (let i = 0; i < ps.length; i++)
    for (let j = i + 1; j < ps.length; j++) expect(overlaps(ps[i]![1], ps[j]![1]), `${ps[i]![0]} overlaps ${ps[j]![0]}`).toBe(false);
  const size = axis === 'y' ? NODE_BOX.height : NODE_BOX.width;
  // Forward along the layer direction: a target starts after its source's box ends.
  for (const e of g.edges) expect(at.get(e.target)![axis], `${e.source} → ${e.target}`).toBeGreaterThanOrEqual(at.get(e.source)![axis] + size);
}

describe('layoutGraph', () => {
  it.each(graphs)('%s: every node placed, no overlaps, edges point down', (_name, g) => {
    checkLayout(g, layoutGraph(g), 'y');
  });

  it('lays out left to right on request', () => {
    const g = strip(TEMPLATES.find((t) => t.id === 'resnet18')!.project().graph);
    checkLayout(g, layoutGraph(g, { direction: 'LR' }), 'x');
  });

  it('is deterministic', () => {
    const g = deepResnet(80);
    expect(layoutGraph(g)).toEqual(layoutGraph(g));
  });

  it('draws a branch and its merge side by side, not on top of each other', () => {
    const g = residualMlp(4); // in → Dense → Activation → Add(activation, in)
    const at = layoutGraph(g);
    const add = g.nodes.find((n) => n.kind === 'Add')!.id;
    expect(at.get(add)!.y).toBeGreaterThan(at.get(nodeId('in'))!.y + 2 * NODE_BOX.height);
  });
});

describe('autoLayoutChanges', () => {
  it('moves exactly the nodes not yet in place, and then has nothing left to do', () => {
    const g = strip(residualMlp(30));
    expect(needsLayout(g)).toBe(true);
    const changes = autoLayoutChanges(g);
    expect(changes).toHaveLength(30);
    const laid = changes.reduce(applyChange, g);
    expect(needsLayout(laid)).toBe(false);
    expect(autoLayoutChanges(laid)).toEqual([]);
    const one = applyChange(laid, { type: 'moveNode', nodeId: nodeId('n3'), position: { x: -999, y: 5 } });
    expect(autoLayoutChanges(one)).toEqual([{ type: 'moveNode', nodeId: nodeId('n3'), position: layoutGraph(g).get(nodeId('n3')) }]);
  });
});
