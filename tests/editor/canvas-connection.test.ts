// Connection rules the canvas applies while a person drags an edge, the ports it draws and
// their names, the labels edges carry, and the bezier geometry, checked against the engine.
import { describe, expect, it } from 'vitest';
import { checkConnection } from '../../src/editor/canvas/connection.js';
import { bezierMidpoint, bezierPath, inputPortPoint, NODE_WIDTH } from '../../src/editor/canvas/edge-geometry.js';
import { compactCount, keyParams, shapeText } from '../../src/editor/canvas/node-summary.js';
import { describePort, inputPortCount, inputPortCounts } from '../../src/editor/canvas/ports.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { applyChange } from '../../src/engine/graph/changes.js';
import { nodeId } from '../../src/engine/ids.js';
import type { Graph } from '../../src/engine/project/types.js';
import { findTemplate, TEMPLATES } from '../../src/engine/templates/index.js';

const n = (id: string, kind: string, params: Record<string, unknown> = {}) => ({ id: nodeId(id), kind, params });
const e = (s: string, t: string, port = 0) => ({ source: nodeId(s), target: nodeId(t), targetInput: port });
const id = nodeId;

const g: Graph = {
  nodes: [n('img', 'Input', { shape: [8, 8, 1] }), n('conv', 'Conv2D', { filters: 4, kernelSize: 3 }), n('flat', 'Flatten'), n('d1', 'Dense', { units: 10 }), n('d2', 'Dense', { units: 10 }), n('rep', 'RepeatVector', { n: 2 }), n('sum', 'Add'), n('seq', 'Input', { shape: [5, 16] }), n('mha', 'MultiHeadAttention', { numHeads: 2, keyDim: 8 })],
  edges: [e('img', 'conv'), e('conv', 'flat'), e('flat', 'd1'), e('d1', 'sum', 0), e('seq', 'mha', 0)],
};
const a = analyzeGraph(g);

describe('checkConnection', () => {
  it('accepts an edge whose shapes fit, and says why it refuses others', () => {
    expect(checkConnection(g, a, id('flat'), id('d2'), 0)).toEqual({ ok: true, edge: e('flat', 'd2') });
    const refused = (s: string, t: string, port = 0) => {
      const r = checkConnection(g, a, id(s), id(t), port);
      return r.ok ? 'accepted' : r.reason;
    };
    expect(refused('d1', 'd1')).toBe('A layer cannot take its own output as input.');
    expect(refused('d1', 'img')).toBe('Input "img" takes no inputs.');
    expect(refused('conv', 'd1')).toBe('input 1 of "d1" is already connected to "flat"; remove that connection first.');
    expect(refused('sum', 'conv')).toBe('input 1 of "conv" is already connected to "img"; remove that connection first.');
    expect(refused('d1', 'flat', 1)).toBe('Flatten "flat" takes at most 1 input.');
    expect(refused('seq', 'mha', 0)).toBe('input 1 (query) of "mha" is already connected to "seq"; remove that connection first.');
    // The engine's own rank diagnostic, word for word, with its suggestion.
    expect(refused('conv', 'rep')).toBe('Shapes do not fit: RepeatVector needs input of shape [batch, features], but the Conv2D "conv" gives [null,6,6,4]. Insert a Flatten or Reshape before this RepeatVector.');
  });

  it('refuses a cycle, naming its path', () => {
    const chain = applyChange(g, { type: 'addEdge', edge: e('d1', 'd2') });
    const r = checkConnection(chain, analyzeGraph(chain), id('d2'), id('flat'), 0);
    expect(r).toEqual({ ok: false, reason: 'input 1 of "flat" is already connected to "conv"; remove that connection first.' });
    const open: Graph = { nodes: [n('x', 'Input', { shape: [4] }), n('p', 'Dense', { units: 4 }), n('q', 'Dense', { units: 4 }), n('s', 'Add')], edges: [e('x', 'p'), e('p', 's', 0), e('s', 'q')] };
    const c = checkConnection(open, analyzeGraph(open), id('q'), id('s'), 1);
    expect(c).toEqual({ ok: false, reason: 'That would make a cycle: s → q → s. For recurrence use an LSTM, GRU or SimpleRNN layer.' });
  });

  it('refuses an Add input of another width with the engine message', () => {
    const r = checkConnection(g, a, id('flat'), id('sum'), 1);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/^Shapes do not fit: Add: input 2 is \[null,144\] but input 1 is \[null,10\]/);
    expect(checkConnection(g, a, id('d2'), id('sum'), 1).ok).toBe(true); // d2 is unconnected: no shape to judge yet
  });
});

describe('ports and labels', () => {
  it('draws one port per input, one spare on variadic kinds, named where the spec names them', () => {
    expect(inputPortCount(g, id('img'), 'Input')).toBe(0);
    expect(inputPortCount(g, id('d1'), 'Dense')).toBe(1);
    expect(inputPortCount(g, id('sum'), 'Add')).toBe(2);
    const two = applyChange(applyChange(g, { type: 'addEdge', edge: e('d2', 'sum', 1) }), { type: 'addEdge', edge: e('flat', 'd2') });
    expect(inputPortCount(two, id('sum'), 'Add')).toBe(3);
    expect(inputPortCount(g, id('mha'), 'MultiHeadAttention')).toBe(2);
    expect([0, 1, 2].map((i) => describePort('MultiHeadAttention', i))).toEqual(['input 1 (query)', 'input 2 (value)', 'input 3 (key)']);
    expect(describePort('Add', 1)).toBe('input 2');
  });

  it('labels shapes with B for the batch and shows key params from the analysis', () => {
    expect(shapeText(a.nodes.get(id('conv'))!.output!.shape)).toBe('[B, 6, 6, 4]');
    expect(shapeText([null, null, 32])).toBe('[B, ?, 32]');
    expect(keyParams(a.nodes.get(id('conv')), {})).toEqual(['filters 4', 'kernelSize 3×3']);
    expect(keyParams(a.nodes.get(id('d1')), {})).toEqual(['units 10']);
    expect(compactCount(50240)).toBe('50.2k');
  });

  it('lays every template edge out as a bezier between its ports', () => {
    const lenet = findTemplate('lenet5')!.project().graph;
    for (const ed of lenet.edges) {
      const s = lenet.nodes.find((x) => x.id === ed.source)!.position!;
      const t = lenet.nodes.find((x) => x.id === ed.target)!.position!;
      const to = inputPortPoint(t, ed.targetInput, 1);
      expect(to).toEqual({ x: t.x + NODE_WIDTH / 2, y: t.y });
      const from = { x: s.x + NODE_WIDTH / 2, y: s.y + 64 };
      expect(bezierPath(from, to)).toMatch(new RegExp(`^M${from.x},${from.y} C`));
      const mid = bezierMidpoint(from, to);
      expect(mid.y).toBeCloseTo((from.y + to.y) / 2);
    }
  });
});

describe('port counts in one pass', () => {
  it('agree with the per-node count on every template', () => {
    for (const t of TEMPLATES) {
      const graph = t.project().graph;
      const all = inputPortCounts(graph);
      for (const x of graph.nodes) expect(all.get(x.id), `${t.id}/${x.id}`).toBe(inputPortCount(graph, x.id, x.kind));
    }
  });
});
