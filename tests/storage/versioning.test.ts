// Architecture versions: the graph hash is checked against Python's own canonical JSON and
// SHA-256, and saving creates a version only when what the graph computes has changed.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { groupIntoBlock } from '../../src/engine/blocks/index.js';
import { applyChange } from '../../src/engine/graph/changes.js';
import type { Graph } from '../../src/engine/project/types.js';
import { TEMPLATES } from '../../src/engine/templates/index.js';
import { openStorageDb } from '../../src/storage/db/index.js';
import type { StorageDb } from '../../src/storage/types.js';
import { graphHash, saveVersion } from '../../src/storage/versioning.js';
import { runPython } from '../helpers/python.js';
import { PROJECT_ID, sampleDraft, sampleProject } from '../fixtures/storage/sample.js';

const totals = { params: 10, trainableParams: 10, flops: 20 };

const moveNode = (g: Graph): Graph => ({ ...g, nodes: g.nodes.map((n, i) => (i === 1 ? { ...n, position: { x: 999, y: -5 }, label: 'renamed' } : n)) });
const setUnits = (g: Graph, units: number): Graph => ({ ...g, nodes: g.nodes.map((n) => (n.id === 'hidden' ? { ...n, params: { ...n.params, units } } : n)) });

describe('graphHash', () => {
  // The oracle: Python builds the canonical form on its own (drop positions and labels, nodes by
  // id, edges by source/target/port) and serialises it as RFC 8785 (JCS) says: keys sorted,
  // compact, numbers as ECMAScript prints them (1e-05 in Python is 0.00001 here), then hashlib.
  it('equals Python’s SHA-256 of the RFC 8785 canonical JSON, for every template', async () => {
    const graphs = TEMPLATES.map((t) => t.project().graph);
    const script = `
import hashlib, json, math, sys
from decimal import Decimal

def es_number(x):
    if isinstance(x, int): return str(x)
    if math.isnan(x) or math.isinf(x): return "null"
    if x == 0: return "0"
    sign, digits, exp = Decimal(repr(abs(x))).normalize().as_tuple()
    s = "".join(map(str, digits)); k = len(s); n = exp + k
    if k <= n <= 21: out = s + "0" * (n - k)
    elif 0 < n <= 21: out = s[:n] + "." + s[n:]
    elif -6 < n <= 0: out = "0." + "0" * -n + s
    else:
        e = n - 1
        out = (s if k == 1 else s[0] + "." + s[1:]) + "e" + ("+" if e > 0 else "-") + str(abs(e))
    return ("-" if x < 0 else "") + out

def jcs(v):
    if v is None or isinstance(v, bool): return json.dumps(v)
    if isinstance(v, (int, float)): return es_number(v)
    if isinstance(v, str): return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list): return "[" + ",".join(jcs(e) for e in v) + "]"
    keys = sorted(v, key=lambda k: k.encode("utf-16-be"))
    return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + jcs(v[k]) for k in keys) + "}"

for g in json.load(sys.stdin):
    nodes = sorted(({"id": n["id"], "kind": n["kind"], "params": n.get("params", {})} for n in g["nodes"]), key=lambda n: n["id"])
    edges = sorted(({"source": e["source"], "target": e["target"], "targetInput": e["targetInput"]} for e in g["edges"]), key=lambda e: (e["source"], e["target"], e["targetInput"]))
    print(hashlib.sha256(jcs({"nodes": nodes, "edges": edges}).encode("utf-8")).hexdigest())
`;
    const r = runPython(script, [], { input: JSON.stringify(graphs) });
    expect(r.stderr).toBe('');
    const expected = r.stdout.trim().split('\n');
    expect(expected).toHaveLength(graphs.length);
    expect(await Promise.all(graphs.map(graphHash))).toEqual(expected);
  });

  it('ignores positions, labels and the order of nodes, edges and keys; sees kinds, params and wiring', async () => {
    const g = sampleDraft().graph;
    const h = await graphHash(g);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(await graphHash(moveNode(g))).toBe(h);
    expect(await graphHash({ nodes: [...g.nodes].reverse(), edges: [...g.edges].reverse() })).toBe(h);
    expect(await graphHash({ ...g, nodes: g.nodes.map((n) => ({ ...n, params: Object.fromEntries(Object.entries(n.params).reverse()) })) })).toBe(h);

    expect(await graphHash(setUnits(g, 33))).not.toBe(h);
    expect(await graphHash({ ...g, nodes: g.nodes.map((n) => (n.id === 'hidden' ? { ...n, kind: 'Dropout' } : n)) })).not.toBe(h);
    expect(await graphHash({ ...g, edges: g.edges.map((e, i) => (i === 1 ? { ...e, targetInput: 1 } : e)) })).not.toBe(h);
    expect(await graphHash({ ...g, edges: g.edges.slice(0, 1) })).not.toBe(h);
  });

  it('ignores groups and block definitions: grouping layers does not change what the model computes', async () => {
    const g = sampleDraft().graph;
    const h = await graphHash(g);
    const edit = groupIntoBlock(g, [g.nodes[1]!.id], { name: 'One layer', params: [] });
    const grouped = edit.changes.reduce(applyChange, g);
    expect(grouped.groups).toHaveLength(1);
    expect(grouped.blocks).toHaveLength(1);
    expect(await graphHash(grouped)).toBe(h);
    expect(await graphHash(applyChange(grouped, { type: 'setGroup', groupId: edit.groupId, patch: { collapsed: false, name: 'renamed' } }))).toBe(h);
  });
});

describe('saveVersion', () => {
  let db: StorageDb;
  beforeEach(async () => {
    db = await openStorageDb({ indexedDB: new IDBFactory(), name: 'nf' });
    await db.putProject(sampleProject({ headVersion: null }));
  });
  afterEach(() => db.close());

  it('creates a version only when the graph changed, chaining parents and moving the project head', async () => {
    let project = (await db.getProject(PROJECT_ID))!;
    const g = sampleDraft().graph;

    const v1 = (await saveVersion(db, project, g, totals, 'first'))!;
    expect(v1).toMatchObject({ projectId: PROJECT_ID, parent: null, message: 'first', graphHash: await graphHash(g), totals });
    project = (await db.getProject(PROJECT_ID))!;
    expect(project.headVersion).toBe(v1.id);

    expect(await saveVersion(db, project, moveNode(g), totals, 'moved a node')).toBeNull();
    expect(await db.listVersions(PROJECT_ID)).toHaveLength(1);

    const v2 = (await saveVersion(db, project, setUnits(g, 64), { ...totals, params: 99 }, 'wider'))!;
    expect(v2.parent).toBe(v1.id);
    project = (await db.getProject(PROJECT_ID))!;
    const v3 = (await saveVersion(db, project, g, totals, 'back to 32'))!;
    expect(v3.parent).toBe(v2.id); // same graph as v1, but a change from the head: a new version

    const chain = [];
    for (let id = (await db.getProject(PROJECT_ID))!.headVersion; id; ) {
      const v = (await db.getVersion(id))!;
      chain.push(v.message);
      id = v.parent;
    }
    expect(chain).toEqual(['back to 32', 'wider', 'first']);
    expect((await db.getVersion(v2.id))?.graph).toEqual(setUnits(g, 64));
  });

  it('refuses to save over a head that another tab moved, and writes nothing', async () => {
    const stale = (await db.getProject(PROJECT_ID))!;
    await saveVersion(db, stale, sampleDraft().graph, totals, 'from tab A');
    await expect(saveVersion(db, stale, setUnits(sampleDraft().graph, 8), totals, 'from tab B')).rejects.toMatchObject({ code: 'conflict' });
    expect((await db.listVersions(PROJECT_ID)).map((v) => v.message)).toEqual(['from tab A']);
  });

  it('writes the version and the new head together: a failure leaves neither', async () => {
    const project = (await db.getProject(PROJECT_ID))!;
    // An invalid project record (an over-long name) fails inside the shared transaction.
    await expect(saveVersion(db, { ...project, name: 'x'.repeat(300) }, sampleDraft().graph, totals, 'bad')).rejects.toMatchObject({ code: 'invalid-record' });
    expect(await db.listVersions(PROJECT_ID)).toEqual([]);
    expect((await db.getProject(PROJECT_ID))?.headVersion).toBeNull();
  });
});
