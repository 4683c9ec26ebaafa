// Reusable blocks against hand-built graphs and TF.js: grouping LeNet's conv stack and placing
// the block twice gives the same shapes and parameter counts as writing the layers out, a block
// parameter writes every target, and the collapsed box maps its ports to the real inputs.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { candidateBlockParams, collapsedView, deleteBlock, groupIntoBlock, instantiateBlock, blockParamValue, setBlockParam, ungroup } from '../../src/engine/blocks/index.js';
import { compileGraph } from '../../src/engine/compile/compile.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { applyChange, type GraphChange } from '../../src/engine/graph/changes.js';
import { nodeId, type NodeId } from '../../src/engine/ids.js';
import { parseProject } from '../../src/engine/project/parse.js';
import type { Graph } from '../../src/engine/project/types.js';
import { GraphBuilder } from '../../src/engine/templates/builder.js';
import { lenet5 } from '../../src/engine/templates/vision.js';
import { applyWithInverse } from '../../src/editor/graph-edit/inverse.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ids = (...xs: string[]): NodeId[] => xs.map(nodeId);
const applyAll = (g: Graph, cs: readonly GraphChange[]) => cs.reduce(applyChange, g);
const STACK = ids('c1', 's2', 'c3', 's4');

function groupedLenet() {
  const g = lenet5.project().graph;
  const params = candidateBlockParams(g, STACK).filter((p) => p.name === 'filters');
  const edit = groupIntoBlock(g, STACK, { name: 'Conv stack', params });
  return { before: g, after: applyAll(g, edit.changes), edit };
}

describe('defining a block', () => {
  it('merges same-kind params into one candidate with every target', () => {
    const candidates = candidateBlockParams(lenet5.project().graph, STACK);
    expect(candidates.find((p) => p.name === 'filters')?.targets).toEqual([
      { node: 'c1', param: 'filters' },
      { node: 'c3', param: 'filters' },
    ]);
    expect(candidates.find((p) => p.name === 'poolSize')?.targets.map((t) => t.node)).toEqual(['s2', 's4']);
    // `padding` is on both kinds: one candidate per kind, named apart.
    expect(candidates.map((p) => p.name)).toEqual(expect.arrayContaining(['padding (Conv2D)', 'padding (MaxPooling2D)']));
  });

  it('keeps internal edges, relative positions, and draws one box carrying the stack output', () => {
    const { before, after, edit } = groupedLenet();
    const block = after.blocks![0]!;
    expect(block.edges.map((e) => `${e.source}>${e.target}`)).toEqual(['c1>s2', 's2>c3', 'c3>s4']);
    expect(Math.min(...block.nodes.map((n) => n.position!.y))).toBe(0);
    expect(after.groups).toEqual([{ id: edit.groupId, name: 'Conv stack', block: block.id, nodes: STACK, collapsed: true }]);
    // The model is unchanged: same nodes, same edges.
    expect(after.nodes).toEqual(before.nodes);
    expect(after.edges).toEqual(before.edges);
    // A round trip through the file format keeps it.
    const parsed = parseProject(JSON.parse(JSON.stringify({ ...lenet5.project(), graph: after })));
    expect(parsed.ok && parsed.project.graph.groups).toEqual(after.groups);

    const a = analyzeGraph(after);
    const view = collapsedView(after, a);
    expect(view.boxes).toHaveLength(1);
    const box = view.boxes[0]!;
    expect(box.inputs).toEqual([{ node: 'c1', targetInput: 0 }]);
    expect(box.outputs).toEqual([{ node: 's4', shape: [null, 5, 5, 16] }]);
    expect(box.params).toBe(6 * 25 + 6 + 16 * 6 * 25 + 16); // conv weights + biases, by hand
    expect(box.flops).toBe(['c1', 's2', 'c3', 's4'].reduce((s, id) => s + a.nodes.get(nodeId(id))!.flops, 0));
    expect(view.ends({ source: nodeId('image'), target: nodeId('c1'), targetInput: 0 })).toEqual({ from: { kind: 'node', id: 'image' }, to: { kind: 'box', group: edit.groupId, port: 0 } });
    expect(view.ends({ source: nodeId('s4'), target: nodeId('flatten'), targetInput: 0 })).toEqual({ from: { kind: 'box', group: edit.groupId, port: 0 }, to: { kind: 'node', id: 'flatten' } });
    expect(view.ends({ source: nodeId('c1'), target: nodeId('s2'), targetInput: 0 })).toBeNull();
  });

  it('refuses a selection that is empty, unknown or already grouped', () => {
    const { after } = groupedLenet();
    expect(() => groupIntoBlock(after, [], { name: 'x', params: [] })).toThrow('Select the layers');
    expect(() => groupIntoBlock(after, ids('nope'), { name: 'x', params: [] })).toThrow('no node "nope"');
    expect(() => groupIntoBlock(after, ids('c1', 'f5'), { name: 'x', params: [] })).toThrow('"c1" is already in the group "Conv stack"');
    expect(() => groupIntoBlock(after, ids('f5'), { name: ' ', params: [] })).toThrow('A block needs a name');
  });
});

describe('instances', () => {
  /** Two instances of the conv stack on two images, concatenated into one classifier. */
  function twoInstances() {
    const { after, edit } = groupedLenet();
    let g = after;
    const a = instantiateBlock(g, edit.blockId, { x: 600, y: 0 });
    g = applyAll(g, a.changes);
    const b = instantiateBlock(g, edit.blockId, { x: 900, y: 0 });
    g = applyAll(g, b.changes);
    const extra: GraphChange[] = [
      { type: 'addNode', node: { id: nodeId('left'), kind: 'Input', params: { shape: [28, 28, 1] } } },
      { type: 'addNode', node: { id: nodeId('right'), kind: 'Input', params: { shape: [28, 28, 1] } } },
      { type: 'addNode', node: { id: nodeId('fl'), kind: 'Flatten', params: {} } },
      { type: 'addNode', node: { id: nodeId('fr'), kind: 'Flatten', params: {} } },
      { type: 'addNode', node: { id: nodeId('cat'), kind: 'Concatenate', params: {} } },
      { type: 'addNode', node: { id: nodeId('head'), kind: 'Dense', params: { units: 3, activation: 'softmax' } } },
      { type: 'addEdge', edge: { source: nodeId('left'), target: a.nodeIds[0]!, targetInput: 0 } },
      { type: 'addEdge', edge: { source: nodeId('right'), target: b.nodeIds[0]!, targetInput: 0 } },
      { type: 'addEdge', edge: { source: a.nodeIds[3]!, target: nodeId('fl'), targetInput: 0 } },
      { type: 'addEdge', edge: { source: b.nodeIds[3]!, target: nodeId('fr'), targetInput: 0 } },
      { type: 'addEdge', edge: { source: nodeId('fl'), target: nodeId('cat'), targetInput: 0 } },
      { type: 'addEdge', edge: { source: nodeId('fr'), target: nodeId('cat'), targetInput: 1 } },
      { type: 'addEdge', edge: { source: nodeId('cat'), target: nodeId('head'), targetInput: 0 } },
    ];
    return { g: applyAll(g, extra), a, b };
  }

  /** The same network written out layer by layer. */
  function handBuilt(filters = [6, 16]): Graph {
    const base = lenet5.project().graph;
    const gb = new GraphBuilder();
    for (const n of base.nodes) gb.layer(n.id, n.kind, { ...n.params }, base.edges.filter((e) => e.target === n.id).map((e) => e.source));
    const stack = (x: NodeId, suffix: string) =>
      gb.chain(x, [
        [`c1${suffix}`, 'Conv2D', { filters: filters[0], kernelSize: 5, padding: 'same', activation: 'relu' }],
        [`s2${suffix}`, 'MaxPooling2D', { poolSize: 2 }],
        [`c3${suffix}`, 'Conv2D', { filters: filters[1], kernelSize: 5, activation: 'relu' }],
        [`s4${suffix}`, 'MaxPooling2D', { poolSize: 2 }],
      ]);
    const l = stack(gb.input('left', [28, 28, 1]), '_2');
    const r = stack(gb.input('right', [28, 28, 1]), '_3');
    const cat = gb.layer('cat', 'Concatenate', {}, [gb.layer('fl', 'Flatten', {}, [l]), gb.layer('fr', 'Flatten', {}, [r])]);
    gb.layer('head', 'Dense', { units: 3, activation: 'softmax' }, [cat]);
    return gb.build();
  }

  it('two instances analyse and compile like the hand-built graph, and TF.js counts the same parameters', () => {
    const { g, a, b } = twoInstances();
    expect(a.nodeIds).toEqual(ids('c1_2', 's2_2', 'c3_2', 's4_2'));
    expect(b.nodeIds).toEqual(ids('c1_3', 's2_3', 'c3_3', 's4_3'));
    const ours = analyzeGraph(g);
    const theirs = analyzeGraph(handBuilt());
    expect(ours.diagnostics).toEqual([]);
    for (const [id, n] of theirs.nodes) {
      expect(ours.nodes.get(id)?.output?.shape, id).toEqual(n.output?.shape);
      expect(ours.nodes.get(id)?.paramCount, id).toEqual(n.paramCount);
    }
    expect(ours.totals).toEqual(theirs.totals);
    const model = compileGraph(ours).model;
    expect(model.countParams()).toBe(ours.totals.params);
    expect(compileGraph(theirs).model.countParams()).toBe(model.countParams());
    // Grouping changes nothing the compiler sees: the grouped LeNet counts like the plain one.
    const plain = lenet5.project().graph;
    expect(compileGraph(analyzeGraph(groupedLenet().after)).model.countParams()).toBe(compileGraph(analyzeGraph(plain)).model.countParams());
  });

  it("setBlockParam('filters') writes both convs of one instance, and only that instance", () => {
    const { g, a } = twoInstances();
    const group = g.groups!.find((x) => x.nodes[0] === a.nodeIds[0])!;
    expect(blockParamValue(g, group.id, 'filters')).toBe(6);
    const changes = setBlockParam(g, group.id, 'filters', 12);
    expect(changes.map((c) => c.type === 'setParams' && c.nodeId)).toEqual(ids('c1_2', 'c3_2'));
    const after = applyAll(g, changes);
    const param = (id: string) => after.nodes.find((n) => n.id === id)!.params['filters'];
    expect([param('c1_2'), param('c3_2'), param('c1_3'), param('c3_3')]).toEqual([12, 12, 6, 16]);
    expect(blockParamValue(after, group.id, 'filters')).toBe(12);
    // Shapes and counts follow: equal to a hand-built left stack with 12 filters in both convs.
    const ours = analyzeGraph(after);
    const theirs = analyzeGraph(handBuilt([12, 12]));
    expect(ours.nodes.get(nodeId('s4_2'))!.output!.shape).toEqual([null, 5, 5, 12]);
    expect(ours.nodes.get(nodeId('s4_2'))!.output!.shape).toEqual(theirs.nodes.get(nodeId('s4_2'))!.output!.shape);
    expect(compileGraph(ours).model.countParams()).toBe(ours.totals.params);
    expect(() => setBlockParam(g, group.id, 'units', 3)).toThrow('has no parameter "units"');
  });

  it('ungroup keeps the nodes and the block; a used block cannot be deleted, an unused one can, and each undoes exactly', () => {
    const { after, edit } = groupedLenet();
    expect(() => deleteBlock(after, edit.blockId)).toThrow('used by 1 instance');
    expect(() => applyChange(after, { type: 'removeBlock', blockId: edit.blockId })).toThrow('ungroup its instances first');
    const u = applyWithInverse(after, ungroup(after, edit.groupId));
    expect(u.after.groups).toBeUndefined();
    expect(u.after.nodes).toEqual(after.nodes);
    const d = applyWithInverse(u.after, deleteBlock(u.after, edit.blockId));
    expect(d.after).toEqual({ nodes: after.nodes, edges: after.edges });
    expect(applyAll(applyAll(d.after, d.inverse), u.inverse)).toEqual(after);
  });

  it('removing a node takes it out of its group (the instance loses its block link) and undo restores the group exactly', () => {
    const { after, edit } = groupedLenet();
    const r = applyWithInverse(after, [{ type: 'removeNode', nodeId: nodeId('s2') }]);
    expect(r.after.groups).toEqual([{ id: edit.groupId, name: 'Conv stack', nodes: ids('c1', 'c3', 's4'), collapsed: true }]);
    expect(applyAll(r.after, r.inverse)).toEqual(after);
    const all = applyWithInverse(after, STACK.map((id): GraphChange => ({ type: 'removeNode', nodeId: id })));
    expect(all.after.groups).toBeUndefined();
    expect(all.after.blocks).toHaveLength(1); // the definition stays in the palette
    expect(applyAll(all.after, all.inverse)).toEqual(after);
  });

  it('group changes refuse what does not fit, by name', () => {
    const { after, edit } = groupedLenet();
    const group = after.groups![0]!;
    expect(() => applyChange(after, { type: 'addGroup', group })).toThrow(`group "${edit.groupId}" exists`);
    expect(() => applyChange(after, { type: 'addGroup', group: { ...group, id: 'g2' as never } })).toThrow('node "c1" is already in group');
    expect(() => applyChange(after, { type: 'setGroup', groupId: 'nope' as never, patch: { collapsed: false } })).toThrow('no group "nope"');
    const expanded = applyWithInverse(after, [{ type: 'setGroup', groupId: edit.groupId, patch: { collapsed: false, name: 'Stack' } }]);
    expect(expanded.after.groups![0]).toMatchObject({ collapsed: false, name: 'Stack' });
    expect(collapsedView(expanded.after, analyzeGraph(expanded.after)).boxes).toEqual([]);
    expect(applyAll(expanded.after, expanded.inverse)).toEqual(after);
  });
});
