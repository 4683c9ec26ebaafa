// Copy/paste/duplicate/delete of node groups, checked on the graphs the engine produces: a
// copied group keeps its internal edges (same ports) and drops the external ones; ids stay
// unique over repeated pastes; clipboard text from elsewhere is refused with a reason.
import { describe, expect, it } from 'vitest';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { applyChange, type GraphChange } from '../../src/engine/graph/changes.js';
import { nodeId } from '../../src/engine/ids.js';
import type { Graph } from '../../src/engine/project/types.js';
import { TEMPLATES } from '../../src/engine/templates/index.js';
import { applyWithInverse } from '../../src/editor/graph-edit/inverse.js';
import { copyGroup, deleteChanges, duplicateChanges, parseGroup, pasteChanges, serializeGroup, PASTE_OFFSET } from '../../src/editor/graph-edit/clipboard.js';

const applyAll = (g: Graph, cs: readonly GraphChange[]) => cs.reduce(applyChange, g);
const lenet = () => TEMPLATES.find((t) => t.id === 'lenet5')!.project().graph;
const resnet = () => TEMPLATES.find((t) => t.id === 'resnet18')!.project().graph;

describe('copy and paste', () => {
  it('keeps the edges inside the group (same ports) and drops the ones leaving it', () => {
    const g = resnet();
    // A residual block's nodes: its Add has two inputs from inside the group, one from outside.
    const add = g.nodes.find((n) => n.kind === 'Add')!;
    const inside = g.edges.filter((e) => e.target === add.id).map((e) => e.source);
    const ids = [add.id, ...inside];
    const group = copyGroup(g, ids);
    expect(group.nodes.map((n) => n.id).sort()).toEqual([...ids].sort());
    const internal = g.edges.filter((e) => ids.includes(e.source) && ids.includes(e.target));
    expect(group.edges).toEqual(internal);
    expect(g.edges.some((e) => ids.includes(e.target) && !ids.includes(e.source))).toBe(true); // there were external ones

    const parsed = parseGroup(serializeGroup(group));
    if (!parsed.ok) throw new Error(parsed.reason);
    const { changes, ids: pasted } = pasteChanges(g, parsed.group);
    const after = applyAll(g, changes);
    expect(after.nodes).toHaveLength(g.nodes.length + ids.length);
    const rename = new Map(group.nodes.map((n, i) => [n.id, pasted[i]!]));
    const newEdges = after.edges.filter((e) => pasted.includes(e.target));
    expect(newEdges.map((e) => [e.source, e.target, e.targetInput]).sort()).toEqual(internal.map((e) => [rename.get(e.source), rename.get(e.target), e.targetInput]).sort());
    // Each pasted node is its original (kind, params, label) moved by the offset.
    for (const n of group.nodes) {
      const copy = after.nodes.find((x) => x.id === rename.get(n.id))!;
      expect(copy.kind).toBe(n.kind);
      expect(copy.params).toEqual(n.params);
      expect(copy.position).toEqual({ x: n.position!.x + PASTE_OFFSET, y: n.position!.y + PASTE_OFFSET });
    }
  });

  it('gives fresh unique ids and a new place on every paste', () => {
    let g = lenet();
    const group = copyGroup(g, g.nodes.slice(1, 4).map((n) => n.id));
    const positions = new Set(g.nodes.map((n) => `${n.position!.x},${n.position!.y}`));
    for (let i = 0; i < 3; i++) {
      const { changes, ids } = pasteChanges(g, group);
      g = applyAll(g, changes);
      for (const id of ids) {
        const p = g.nodes.find((n) => n.id === id)!.position!;
        expect(positions.has(`${p.x},${p.y}`), `paste ${i} lands on another node`).toBe(false);
        positions.add(`${p.x},${p.y}`);
        expect(id).toMatch(/^[A-Za-z0-9_.-]{1,64}$/);
      }
    }
    expect(new Set(g.nodes.map((n) => n.id)).size).toBe(g.nodes.length);
    expect(g.nodes).toHaveLength(lenet().nodes.length + 9);
  });

  it('pastes a copied chain into another project as a working subgraph', () => {
    const from = lenet();
    const chain = from.nodes.filter((n) => n.kind !== 'Input').slice(0, 3).map((n) => n.id);
    const parsed = parseGroup(serializeGroup(copyGroup(from, chain)));
    if (!parsed.ok) throw new Error(parsed.reason);
    const into = resnet();
    const { changes } = pasteChanges(into, parsed.group);
    const after = applyAll(into, changes);
    // The engine still analyses the target project (the pasted nodes are unconnected at the top).
    expect(analyzeGraph(after).nodes.size).toBe(into.nodes.length + 3);
  });

  it('refuses clipboard text that is not a NeuralForge group, saying why', () => {
    const group = copyGroup(lenet(), [lenet().nodes[1]!.id]);
    const reason = (text: string) => {
      const p = parseGroup(text);
      return p.ok ? 'accepted' : p.reason;
    };
    expect(reason('hello')).toMatch(/not JSON/);
    expect(reason('{"a":1}')).toMatch(/does not hold layers copied from NeuralForge/);
    expect(reason(JSON.stringify({ ...group, version: 2 }))).toMatch(/damaged: version/);
    expect(reason(JSON.stringify({ ...group, nodes: [{ ...group.nodes[0], id: 'a b' }] }))).toMatch(/damaged: nodes\.0\.id/);
    expect(reason(JSON.stringify({ ...group, edges: [{ source: group.nodes[0]!.id, target: 'elsewhere', targetInput: 0 }] }))).toMatch(/leaves the group/);
    expect(reason(JSON.stringify({ ...group, nodes: [group.nodes[0], group.nodes[0]] }))).toMatch(/share an id/);
    expect(reason(serializeGroup(group).replace('"params":{', '"params":{"__proto__":{"x":1},'))).toMatch(/__proto__/);
    expect(reason('x'.repeat(5_000_001))).toMatch(/at most/);
    expect(reason(serializeGroup(group))).toBe('accepted');
  });
});

describe('duplicate and delete', () => {
  it('duplicates a group next to itself with its internal edges', () => {
    const g = lenet();
    const ids = g.nodes.slice(1, 3).map((n) => n.id);
    const { changes, ids: copies } = duplicateChanges(g, ids);
    const after = applyAll(g, changes);
    expect(copies).toHaveLength(2);
    expect(after.edges.filter((e) => copies.includes(e.source) && copies.includes(e.target))).toHaveLength(1);
    expect(duplicateChanges(g, [nodeId('missing')]).changes).toEqual([]);
  });

  it('deletes nodes with every edge touching them', () => {
    const g = lenet();
    const id = g.nodes[2]!.id;
    const after = applyAll(g, deleteChanges(g, [id, nodeId('missing')]));
    expect(after.nodes.some((n) => n.id === id)).toBe(false);
    expect(after.edges.some((e) => e.source === id || e.target === id)).toBe(false);
    expect(after.edges).toHaveLength(g.edges.filter((e) => e.source !== id && e.target !== id).length);
  });

  it('deletes last first, so undoing a delete of everything restores the node order exactly', () => {
    const g = lenet();
    const { after, inverse } = applyWithInverse(g, deleteChanges(g, g.nodes.map((n) => n.id)));
    expect(after.nodes).toEqual([]);
    expect(applyAll(after, inverse).nodes).toEqual(g.nodes);
  });
});
