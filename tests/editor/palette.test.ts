// The palette's search ranking; inserting a layer after the selected node (the changes are
// applied with the engine's applyChange and the result analysed: analyzeGraph is the oracle for
// validity and shapes); and the templates gallery's thumbnails, checked against the template graphs.
import { describe, expect, it } from 'vitest';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { applyChange } from '../../src/engine/graph/changes.js';
import { nodeId } from '../../src/engine/ids.js';
import { LAYER_KINDS } from '../../src/engine/layers/kinds.js';
import type { Graph } from '../../src/engine/project/types.js';
import { findTemplate } from '../../src/engine/templates/index.js';
import { defaultParams, insertNode, uniqueNodeId } from '../../src/editor/panels/insert-node.js';
import { CATEGORY_COLOURS, layeredPositions, thumbnailSvg } from '../../src/editor/panels/template-thumbnail.js';
import { layerSpec } from '../../src/engine/layers/registry.js';
import { TEMPLATES } from '../../src/engine/templates/index.js';
import { groupByCategory, paletteEntries, searchPalette } from '../../src/editor/panels/palette-search.js';

const entries = paletteEntries();
const kinds = (q: string) => searchPalette(entries, q).map((e) => e.kind);

describe('palette search', () => {
  it('lists every registered kind once, grouped by category', () => {
    expect(entries.map((e) => e.kind)).toEqual([...LAYER_KINDS]);
    expect(groupByCategory(entries).flatMap((g) => g.entries.map((e) => e.kind)).sort()).toEqual([...LAYER_KINDS].sort());
  });

  it('ranks an exact kind match first, then kind prefixes, then other matches', () => {
    expect(kinds('dense')[0]).toBe('Dense');
    expect(kinds('conv2d')[0]).toBe('Conv2D');
    expect(kinds('Conv2D').slice(0, 3)).toEqual(['Conv2D', 'Conv2DTranspose', 'DepthwiseConv2D']);
    const conv = kinds('conv');
    expect(conv.slice(0, 4)).toEqual(['Conv1D', 'Conv2D', 'Conv3D', 'Conv2DTranspose']);
    expect(kinds('relu').slice(0, 2)).toEqual(['ReLU', 'LeakyReLU']);
  });

  it('matches categories and summaries too, and nothing for nonsense', () => {
    expect(kinds('merge')).toEqual(expect.arrayContaining(['Add', 'Concatenate']));
    expect(kinds('attention')).toContain('MultiHeadAttention');
    expect(kinds('zzqx')).toEqual([]);
    expect(kinds('  ')).toHaveLength(LAYER_KINDS.length);
  });
});

const mlp = (): Graph => findTemplate('mlp')!.project().graph;
const apply = (g: Graph, changes: readonly Parameters<typeof applyChange>[1][]) => changes.reduce(applyChange, g);

describe('insert after the selected node', () => {
  it('names nodes like dense_3, skipping ids in use', () => {
    const g = mlp();
    expect(uniqueNodeId(g, 'Dense')).toBe('dense_1');
    expect(uniqueNodeId(g, 'Conv2DTranspose')).toBe('conv2d_transpose_1');
    expect(uniqueNodeId(g, 'LeakyReLU')).toBe('leaky_relu_1');
    expect(uniqueNodeId(g, 'MultiHeadAttention')).toBe('multi_head_attention_1');
    const g2 = apply(g, insertNode(g, 'Dense', null, { x: 0, y: 0 }).changes);
    expect(uniqueNodeId(g2, 'Dense')).toBe('dense_2');
  });

  it('rewires a → b into a → new → b and the graph stays valid (Dense after Dense)', () => {
    const g = mlp();
    const before = analyzeGraph(g);
    expect(before.valid).toBe(true);
    const hidden1 = nodeId('hidden1');
    const outgoing = g.edges.filter((e) => e.source === hidden1);
    expect(outgoing.length).toBeGreaterThan(0);
    const { id, changes } = insertNode(g, 'Dense', hidden1, { x: 0, y: 0 });
    const after = apply(g, changes);
    const a = analyzeGraph(after);
    expect(a.valid, a.diagnostics.map((d) => d.message).join('; ')).toBe(true);
    expect(after.edges).toContainEqual({ source: hidden1, target: id, targetInput: 0 });
    for (const e of outgoing) {
      expect(after.edges).toContainEqual({ ...e, source: id });
      expect(after.edges).not.toContainEqual(e);
    }
    expect(after.edges).toHaveLength(g.edges.length + 1);
    // The new Dense takes hidden1's output and keeps the default units.
    const units = defaultParams('Dense')['units'];
    expect(a.nodes.get(id)!.output!.shape).toEqual([null, units]);
    const pos = g.nodes.find((n) => n.id === hidden1)!.position!;
    // Below hidden1, past hidden2, dropout and logits, which fill the three rows under it; nothing moves.
    expect(after.nodes.find((n) => n.id === id)!.position).toEqual({ x: pos.x, y: pos.y + 4 * 100 });
    for (const n of g.nodes) expect(after.nodes.find((m) => m.id === n.id)!.position).toEqual(n.position);
    // The total parameter count changes by exactly what the new layer holds.
    const added = a.nodes.get(id)!.paramCount.trainable;
    expect(added).toBe(before.nodes.get(hidden1)!.output!.shape[1]! * (units as number) + (units as number));
  });

  it('without a selection, adds an unconnected node at the given position', () => {
    const g = mlp();
    const { id, changes } = insertNode(g, 'Dropout', null, { x: 7, y: 9 });
    expect(changes).toEqual([{ type: 'addNode', node: { id, kind: 'Dropout', params: defaultParams('Dropout'), position: { x: 7, y: 9 } } }]);
  });

  it('an Input inserted "after" a node stands alone; an unknown anchor is an error', () => {
    const g = mlp();
    const { changes } = insertNode(g, 'Input', nodeId('hidden1'), { x: 0, y: 0 });
    expect(changes.map((c) => c.type)).toEqual(['addNode']);
    expect(() => insertNode(g, 'Dense', nodeId('nope'), { x: 0, y: 0 })).toThrow('no node "nope"');
  });

  it('every kind has a complete set of defaults', () => {
    for (const k of LAYER_KINDS) expect(() => defaultParams(k)).not.toThrow();
  });
});

/** The rects and lines of a thumbnail, read back from its SVG text. */
function shapesIn(svg: string) {
  const num = (tag: string, a: string) => Number(new RegExp(`${a}="([-0-9.]+)"`).exec(tag)![1]);
  const rects = [...svg.matchAll(/<rect [^>]*>/g)].map(([t]) => ({
    x: num(t, 'x'), y: num(t, 'y'), w: num(t, 'width'), h: num(t, 'height'),
    fill: /fill="([^"]+)"/.exec(t)![1], kind: /data-kind="([^"]+)"/.exec(t)![1],
  }));
  const lines = [...svg.matchAll(/<line [^>]*>/g)].map(([t]) => ({ x1: num(t, 'x1'), y1: num(t, 'y1'), x2: num(t, 'x2'), y2: num(t, 'y2') }));
  return { rects, lines };
}

describe('template thumbnails', () => {
  it.each(TEMPLATES.map((t) => [t.id, t] as const))('%s: one box per layer in its category colour, one line per edge, inside the frame', (_id, t) => {
    const g = t.project().graph;
    const { rects, lines } = shapesIn(thumbnailSvg(g, 160, 120));
    expect(rects.map((r) => r.kind)).toEqual(g.nodes.map((n) => n.kind));
    expect(rects.map((r) => r.fill)).toEqual(g.nodes.map((n) => CATEGORY_COLOURS[layerSpec(n.kind)!.category]));
    expect(lines).toHaveLength(g.edges.length);
    for (const r of rects) {
      expect(r.x).toBeGreaterThanOrEqual(0);
      expect(r.y).toBeGreaterThanOrEqual(0);
      expect(r.x + r.w).toBeLessThanOrEqual(160);
      expect(r.y + r.h).toBeLessThanOrEqual(120);
      expect(r.h).toBeGreaterThanOrEqual(1.5); // still visible for ResNet-18's ~70 layers
    }
  });

  it('lays out a graph without positions by depth, and wraps deep graphs into columns', () => {
    const g = mlp();
    const bare: Graph = { nodes: g.nodes.map(({ position: _p, ...n }) => n), edges: g.edges };
    const pos = layeredPositions(bare);
    const ys = g.nodes.map((n) => pos.get(n.id)!.y);
    expect(ys).toEqual([...ys].sort((a, b) => a - b)); // a chain goes down one row per layer
    expect(new Set(ys).size).toBe(g.nodes.length);
    const resnet = shapesIn(thumbnailSvg(findTemplate('resnet18')!.project().graph));
    expect(new Set(resnet.rects.map((r) => Math.round(r.x / 40))).size).toBeGreaterThan(1);
  });

  it('keeps an unknown kind from a file inert inside the SVG', () => {
    const svg = thumbnailSvg({ nodes: [{ id: nodeId('x'), kind: '"><script>', params: {} }], edges: [] });
    expect(svg).not.toContain('<script>');
    expect(shapesIn(svg).rects[0]!.fill).toBe('#9ca3af');
  });
});

describe('the palette’s blocks of this project', () => {
  it('finds blocks by every word of the query, counts their instances, and places a new one as one undo step', async () => {
    const { searchBlocks, instanceCount, insertBlock } = await import('../../src/editor/blocks/palette-blocks.js');
    const { groupIntoBlock } = await import('../../src/engine/blocks/index.js');
    const g0 = findTemplate('lenet5')!.project().graph;
    const a = groupIntoBlock(g0, [nodeId('c1'), nodeId('s2')], { name: 'Conv pool A', params: [] });
    const g1 = a.changes.reduce(applyChange, g0);
    const g2 = groupIntoBlock(g1, [nodeId('f5'), nodeId('f6')], { name: 'Dense pair', params: [] }).changes.reduce(applyChange, g1);
    expect(searchBlocks(g2, '').map((b) => b.name)).toEqual(['Conv pool A', 'Dense pair']);
    expect(searchBlocks(g2, 'pool conv').map((b) => b.name)).toEqual(['Conv pool A']);
    expect(searchBlocks(g2, 'PAIR').map((b) => b.name)).toEqual(['Dense pair']);
    expect(searchBlocks(g2, 'lstm')).toEqual([]);
    expect(instanceCount(g2, a.blockId)).toBe(1);

    let graph = g2;
    const applied: string[] = [];
    let selection: readonly string[] = [];
    const ctx = {
      graph: () => graph,
      apply: (cs: readonly Parameters<typeof applyChange>[1][], label: string) => ((graph = cs.reduce(applyChange, graph)), applied.push(label), true),
      select: (ids: readonly string[]) => (selection = ids),
    } as unknown as Parameters<typeof insertBlock>[0];
    expect(insertBlock(ctx, a.blockId, { x: 500.4, y: 20 })).toBe(true);
    expect(applied).toEqual(['Insert block Conv pool A']);
    expect(selection).toEqual(['c1_2', 's2_2']);
    expect(instanceCount(graph, a.blockId)).toBe(2);
    expect(graph.nodes.find((n) => n.id === 'c1_2')!.position).toEqual({ x: 500, y: 20 });
    expect(graph.edges.filter((e) => e.target === 's2_2')).toEqual([{ source: 'c1_2', target: 's2_2', targetInput: 0 }]); // its internal edge, nothing else
  });
});
