// Undo/redo as recorded diffs, checked against the graphs actually produced (engine applyChange
// and the real project document): 200 random edits undone give back the original graph, redone
// give the final one; coalescing; persistence across a "reload"; corrupt storage is dropped.
import { describe, expect, it } from 'vitest';
import { applyChange, type GraphChange } from '../../src/engine/graph/changes.js';
import { groupIntoBlock, instantiateBlock } from '../../src/engine/blocks/index.js';
import { nodeId } from '../../src/engine/ids.js';
import { groupId } from '../../src/engine/project/types.js';
import type { Graph } from '../../src/engine/project/types.js';
import { attachHistory } from '../../src/editor/graph-edit/editor-history.js';
import { createHistory } from '../../src/editor/graph-edit/history.js';
import { graphFingerprint, HISTORY_KEY_PREFIX, historyStore } from '../../src/editor/graph-edit/history-store.js';
import { applyWithInverse } from '../../src/editor/graph-edit/inverse.js';
import { layoutGraph } from '../../src/editor/graph-edit/layout.js';
import { residualMlp, rng } from '../helpers/random-graph.js';
import { freshIds, MapStorage, openDoc, randomEdit, unordered } from './graph-edit-helpers.js';

/** A residual MLP with every node placed (moveNode's inverse needs a position to go back to). */
function placed(n: number): Graph {
  const g = residualMlp(n);
  const at = layoutGraph(g);
  return { nodes: g.nodes.map((x) => ({ ...x, position: at.get(x.id)! })), edges: g.edges };
}
const applyAll = (g: Graph, cs: readonly GraphChange[]) => cs.reduce(applyChange, g);

describe('recorded diffs (history core)', () => {
  it('undoes 200 random edits back to the original graph, step by step, and redoes them to the final graph', () => {
    const r = rng(7);
    const fresh = freshIds();
    const original = placed(40);
    let t = 0;
    const h = createHistory({ now: () => (t += 5000) }); // far apart: no coalescing
    const seen: Graph[] = [original];
    let g = original;
    for (let i = 0; i < 200; i++) {
      const edit = randomEdit(g, r, fresh);
      h.record(g, edit, `edit ${i}`);
      g = applyAll(g, edit);
      seen.push(g);
    }
    const final = g;
    expect(h.state().done).toHaveLength(200);
    for (let i = 199; i >= 0; i--) {
      g = applyAll(g, h.peekUndo()!.inverse);
      h.commitUndo();
      // The graph before edit i exactly, node and edge order included (the order is the model's input order).
      expect(g, `after undoing edit ${i}`).toEqual(seen[i]!);
    }
    expect(h.canUndo()).toBe(false);
    for (let i = 0; i < 200; i++) {
      g = applyAll(g, h.peekRedo()!.forward);
      h.commitRedo();
    }
    expect(unordered(g)).toEqual(unordered(final));
    expect(h.canRedo()).toBe(false);
  });

  it('undoes 200 random edits, group and block edits among them, back to the exact grouped original', () => {
    const r = rng(11);
    const fresh = freshIds();
    let g = placed(40);
    // Three groups to start with: a collapsed block instance, a plain frame, a single node.
    const first = groupIntoBlock(g, g.nodes.slice(1, 5).map((n) => n.id), { name: 'Stack', params: [] });
    g = applyAll(g, first.changes);
    g = applyAll(g, [
      { type: 'addGroup', group: { id: groupId('frame'), name: 'Frame', nodes: g.nodes.slice(8, 11).map((n) => n.id), collapsed: false } },
      { type: 'addGroup', group: { id: groupId('solo'), name: 'Solo', nodes: [g.nodes[20]!.id], collapsed: true } },
    ]);
    const original = g;
    let t = 0;
    const h = createHistory({ now: () => (t += 5000) }); // far apart: no coalescing
    const seen: Graph[] = [original];
    let made = 0;
    let groupEdits = 0;
    for (let i = 0; i < 200; i++) {
      const groups = g.groups ?? [];
      const free = g.nodes.filter((n) => !groups.some((x) => x.nodes.includes(n.id)));
      const roll = r();
      let edit: GraphChange[];
      if (roll < 0.1 && groups.length > 0) {
        const x = groups[Math.floor(r() * groups.length)]!;
        edit = [{ type: 'setGroup', groupId: x.id, patch: r() < 0.5 ? { collapsed: !x.collapsed } : { name: `g${i}` } }];
      } else if (roll < 0.15 && groups.length > 0) edit = [{ type: 'removeGroup', groupId: groups[Math.floor(r() * groups.length)]!.id }];
      else if (roll < 0.22 && free.length >= 2) {
        const pick = free.filter(() => r() < 0.2).slice(0, 5);
        edit = pick.length > 0 ? groupIntoBlock(g, pick.map((n) => n.id), { name: `b${made++}`, params: [] }).changes : randomEdit(g, r, fresh);
      } else if (roll < 0.25 && g.blocks?.length) edit = instantiateBlock(g, g.blocks[0]!.id, { x: 10, y: 10 }).changes;
      else edit = randomEdit(g, r, fresh);
      h.record(g, edit, `edit ${i}`);
      if (edit.some((c) => c.type.endsWith('Group') || c.type.endsWith('Block')) || edit.some((c) => c.type === 'removeNode' && groups.some((x) => x.nodes.includes(c.nodeId)))) groupEdits++;
      g = applyAll(g, edit);
      seen.push(g);
    }
    expect(groupEdits, 'edits that touch groups or blocks').toBeGreaterThan(30);
    expect(h.state().done.length).toBeGreaterThan(0);
    for (let i = seen.length - 1; h.canUndo(); i--) {
      g = applyAll(g, h.peekUndo()!.inverse);
      h.commitUndo();
      expect(g.groups ?? [], `groups after undoing to ${i - 1}`).toEqual(seen[i - 1]!.groups ?? []);
    }
    expect(g).toEqual(original);
  });

  it("restores a removed node's edges into the same ports", () => {
    const g = placed(7); // in → n0 → n1 → n2=Add(n1, in) → …
    const add = g.nodes.find((n) => n.kind === 'Add')!;
    const { after, inverse } = applyWithInverse(g, [{ type: 'removeNode', nodeId: add.id }]);
    expect(after.edges.some((e) => e.source === add.id || e.target === add.id)).toBe(false);
    const back = applyAll(after, inverse);
    const ports = (x: Graph) => x.edges.filter((e) => e.target === add.id).map((e) => [e.source, e.targetInput]).sort();
    expect(ports(back)).toEqual(ports(g));
    expect(ports(g)).toHaveLength(2);
    expect(back).toEqual(g); // order included: the node goes back to its old place
  });

  it('restores the exact graph, order included, when nothing was removed', () => {
    const g = placed(10);
    const id = g.nodes[3]!.id;
    const edit: GraphChange[] = [
      { type: 'setParams', nodeId: id, params: { units: 3 } },
      { type: 'setLabel', nodeId: id, label: 'three' },
      { type: 'moveNode', nodeId: id, position: { x: 9, y: 9 } },
      { type: 'addNode', node: { id: nodeId('extra'), kind: 'Dense', params: { units: 2 }, position: { x: 0, y: 0 } } },
      { type: 'addEdge', edge: { source: id, target: nodeId('extra'), targetInput: 0 } },
    ];
    const { after, inverse } = applyWithInverse(g, edit);
    expect(applyAll(after, inverse)).toEqual(g);
  });

  it('coalesces edits of one field within a second into one step, and nothing across an undo', () => {
    let t = 0;
    const h = createHistory({ now: () => t });
    let g = placed(7);
    const original = g;
    const id = g.nodes[1]!.id;
    const set = (units: number, dt: number) => {
      t += dt;
      const c: GraphChange[] = [{ type: 'setParams', nodeId: id, params: { units } }];
      h.record(g, c, 'Set units');
      g = applyAll(g, c);
    };
    set(6, 100);
    set(64, 300);
    set(640, 300); // typing "6", "64", "640"
    expect(h.state().done).toHaveLength(1);
    set(7, 1500); // after a pause: a new step
    expect(h.state().done).toHaveLength(2);
    t += 100;
    const other: GraphChange[] = [{ type: 'setParams', nodeId: g.nodes[2]!.id, params: { rate: 0.5 } }];
    h.record(g, other, 'Set rate'); // another node: a new step
    g = applyAll(g, other);
    expect(h.state().done.map((s) => s.label)).toEqual(['Set units', 'Set units', 'Set rate']);
    for (let i = 0; i < 2; i++) {
      g = applyAll(g, h.peekUndo()!.inverse);
      h.commitUndo();
    }
    expect(g.nodes[1]!.params).toEqual({ units: 640 });
    g = applyAll(g, h.peekUndo()!.inverse);
    h.commitUndo();
    expect(g).toEqual(original);
    g = applyAll(g, h.peekRedo()!.forward);
    h.commitRedo();
    set(1, 10); // right after a redo: its own step, the redone one stays whole
    expect(h.state().done).toHaveLength(2);
    expect(h.state().undone).toHaveLength(0);
  });

  it('keeps two quick drags of the same node as two steps, and records no empty edit', () => {
    let t = 0;
    const h = createHistory({ now: () => (t += 50) });
    let g = placed(5);
    const id = g.nodes[1]!.id;
    for (const x of [10, 20]) {
      const move: GraphChange[] = [{ type: 'moveNode', nodeId: id, position: { x, y: 0 } }];
      h.record(g, move, 'Move 1 layer');
      g = applyAll(g, move);
    }
    h.record(g, [], 'nothing');
    expect(h.state().done.map((s) => s.forward)).toEqual([
      [{ type: 'moveNode', nodeId: id, position: { x: 10, y: 0 } }],
      [{ type: 'moveNode', nodeId: id, position: { x: 20, y: 0 } }],
    ]);
  });

  it('keeps at most the newest 200 steps', () => {
    const h = createHistory({ now: (() => { let t = 0; return () => (t += 5000); })() });
    let g = placed(5);
    for (let i = 0; i < 250; i++) {
      const c: GraphChange[] = [{ type: 'moveNode', nodeId: g.nodes[i % 5]!.id, position: { x: i, y: i } }];
      h.record(g, c, `move ${i}`);
      g = applyAll(g, c);
    }
    expect(h.state().done).toHaveLength(200);
    expect(h.state().done[0]!.label).toBe('move 50');
  });
});

describe('history on the project document', () => {
  it('records the layer table\'s and the editor\'s edits, undoes and redoes them through the document', async () => {
    const { doc } = await openDoc(placed(12));
    const original = doc.record().draft.graph;
    const h = attachHistory(doc, { saveDelayMs: 0 });
    const r = rng(3);
    const fresh = freshIds('y');
    const seen = [original];
    for (let i = 0; i < 50; i++) {
      const edit = randomEdit(doc.record().draft.graph, r, fresh);
      // Odd steps as the layer table does it (setParams straight on the doc), others through apply.
      const ok = i % 2 === 1 && edit.length === 1 && edit[0]!.type === 'setParams' ? doc.setParams(edit[0]!.nodeId, edit[0]!.params) : h.apply(edit, `edit ${i}`);
      expect(ok).toBe(true);
      seen.push(doc.record().draft.graph);
    }
    let undone = 0;
    while (h.canUndo()) {
      expect(h.undo()).toBe(true);
      undone++;
    }
    expect(undone).toBeGreaterThan(40); // some setParams pairs may have coalesced
    expect(unordered(doc.record().draft.graph)).toEqual(unordered(original));
    // The analysis follows: it is the analysis of the restored graph.
    expect([...doc.analysis().nodes.keys()].sort()).toEqual(original.nodes.map((n) => n.id).sort());
    while (h.canRedo()) expect(h.redo()).toBe(true);
    expect(unordered(doc.record().draft.graph)).toEqual(unordered(seen.at(-1)!));
    h.dispose();
    await doc.close();
  });

  it('survives a reload: the stored history undoes on a new document over the saved graph', async () => {
    const storage = new MapStorage();
    const first = await openDoc(placed(8));
    const original = first.doc.record().draft.graph;
    const h1 = attachHistory(first.doc, { storage, saveDelayMs: 0 });
    const target = original.nodes[2]!.id;
    expect(h1.apply([{ type: 'removeNode', nodeId: target }], 'Delete 1 layer')).toBe(true);
    expect(h1.apply([{ type: 'moveNode', nodeId: original.nodes[0]!.id, position: { x: 500, y: 5 } }], 'Move')).toBe(true);
    expect(h1.undo()).toBe(true); // one step on the redo list too
    const saved = first.doc.record().draft.graph;
    h1.dispose();
    await first.doc.close();
    expect(storage.map.has(HISTORY_KEY_PREFIX + first.doc.id)).toBe(true);

    // "Reload": a new document over the saved record, a new history over the same storage.
    const second = await openDoc(saved);
    const h2 = attachHistory(second.doc, { storage, saveDelayMs: 0 });
    expect(h2.canUndo()).toBe(true);
    expect(h2.undoLabel()).toBe('Delete 1 layer');
    expect(h2.redoLabel()).toBe('Move');
    expect(h2.undo()).toBe(true);
    expect(unordered(second.doc.record().draft.graph)).toEqual(unordered(original));
    expect(h2.redo()).toBe(true);
    expect(second.doc.record().draft.graph.nodes.some((n) => n.id === target)).toBe(false);
    h2.dispose();
    await second.doc.close();
  });

  it('drops a stored history that is corrupt, foreign, or for another graph, and never applies it', async () => {
    const g = placed(6);
    const { doc } = await openDoc(g);
    const key = HISTORY_KEY_PREFIX + doc.id;
    const good = () => {
      const s = new MapStorage();
      historyStore(s, doc.id).save({ done: [{ label: 'Move', forward: [{ type: 'moveNode', nodeId: g.nodes[0]!.id, position: { x: 1, y: 1 } }], inverse: [{ type: 'moveNode', nodeId: g.nodes[0]!.id, position: g.nodes[0]!.position! }], at: 0, key: null }], undone: [] }, g);
      return JSON.parse(s.map.get(key)!) as Record<string, unknown>;
    };
    expect(historyStore(new MapStorage(), doc.id).load(g)).toBeNull();
    const cases: Record<string, string> = {
      'not JSON': '{"format":"neuralforge-hist',
      'another format': JSON.stringify({ ...good(), format: 'something-else' }),
      'another project': JSON.stringify({ ...good(), projectId: 'proj-2' }),
      'another graph': JSON.stringify({ ...good(), graph: graphFingerprint({ nodes: [], edges: [] }) }),
      'an unknown change': JSON.stringify({ ...good(), done: [{ label: 'x', forward: [{ type: 'explode', nodeId: 'a' }], inverse: [], at: 0, key: null }] }),
      'a __proto__ param': JSON.stringify({ ...good(), done: [{ label: 'x', forward: [{ type: 'setParams', nodeId: g.nodes[0]!.id, params: JSON.parse('{"__proto__":{"polluted":true}}') as unknown }], inverse: [], at: 0, key: null }] }),
      'a bad id': JSON.stringify(good()).replace(`"nodeId":"${g.nodes[0]!.id}"`, '"nodeId":"../../etc"'),
    };
    for (const [what, text] of Object.entries(cases)) {
      const s = new MapStorage();
      s.setItem(key, text);
      expect(historyStore(s, doc.id).load(g), what).toBeNull();
      expect(s.map.has(key), `${what}: the entry is removed`).toBe(false);
      const h = attachHistory(doc, { storage: s, saveDelayMs: 0 });
      expect(h.canUndo(), what).toBe(false);
      h.dispose();
    }
    // The same entry, untouched, is accepted: the cases above fail for their own reason.
    const s = new MapStorage();
    s.setItem(key, JSON.stringify(good()));
    expect(historyStore(s, doc.id).load(g)?.done).toHaveLength(1);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    await doc.close();
  });

  it('starts over when another tab changed the graph, instead of applying inverses that no longer fit', async () => {
    const { doc, saved } = await openDoc(placed(6));
    const h = attachHistory(doc, { saveDelayMs: 0 });
    const id = doc.record().draft.graph.nodes[1]!.id;
    expect(h.apply([{ type: 'removeNode', nodeId: id }], 'Delete')).toBe(true);
    await doc.flush();
    // Another tab's save, loaded by this one.
    const stored = saved.get(doc.id)!;
    saved.set(doc.id, { ...stored, updatedAt: stored.updatedAt + 10, draft: { ...stored.draft, graph: placed(9) } });
    await doc.reload();
    expect(h.undo()).toBe(false);
    expect(h.canUndo()).toBe(false);
    expect(doc.record().draft.graph.nodes).toHaveLength(9);
    h.dispose();
    await doc.close();
  });
});
