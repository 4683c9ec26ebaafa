// Format version 2: v1 files migrate forward unchanged but for the version, a v3 file is refused
// as newer, and groups and blocks are checked for referential integrity, naming the field.
import { describe, expect, it } from 'vitest';
import { describeProjectError, parseProject } from '../../src/engine/project/parse.js';
import { CURRENT_VERSION } from '../../src/engine/project/types.js';
import { LIMITS } from '../../src/engine/project/schema.js';

const v1 = () => ({
  format: 'neuralforge-project',
  version: 1,
  name: 'tiny',
  graph: {
    nodes: [
      { id: 'in', kind: 'Input', params: { shape: [28, 28, 1] } },
      { id: 'c1', kind: 'Conv2D', params: { filters: 16, kernelSize: 3 } },
      { id: 'p1', kind: 'MaxPooling2D', params: {} },
    ],
    edges: [
      { source: 'in', target: 'c1', targetInput: 0 },
      { source: 'c1', target: 'p1', targetInput: 0 },
    ],
  },
});

const block = () => ({
  id: 'block-1',
  name: 'Conv + pool',
  nodes: [
    { id: 'c1', kind: 'Conv2D', params: { filters: 16, kernelSize: 3 }, position: { x: 0, y: 0 } },
    { id: 'p1', kind: 'MaxPooling2D', params: {}, position: { x: 0, y: 100 } },
  ],
  edges: [{ source: 'c1', target: 'p1', targetInput: 0 }],
  params: [{ name: 'filters', targets: [{ node: 'c1', param: 'filters' }] }],
});

const v2 = () => ({
  ...v1(),
  version: 2,
  graph: { ...v1().graph, blocks: [block()], groups: [{ id: 'group-1', name: 'Conv + pool', block: 'block-1', nodes: ['c1', 'p1'], collapsed: true }] },
});

function refusal(value: unknown): string {
  const r = parseProject(value);
  if (r.ok) throw new Error('expected a refusal');
  return describeProjectError(r.error);
}

describe('project format v2', () => {
  it('is the current version', () => expect(CURRENT_VERSION).toBe(2));

  it('reads a v1 file through the v1→v2 migration, with nothing added but the version', () => {
    const r = parseProject(v1());
    if (!r.ok) throw new Error(describeProjectError(r.error));
    expect(r.migratedFrom).toBe(1);
    expect(r.project.version).toBe(2);
    expect(r.project.graph).toEqual(v1().graph);
  });

  it('refuses a v3 file as newer', () => {
    const r = parseProject({ ...v2(), version: 3 });
    expect(!r.ok && r.error.code).toBe('newer-version');
    expect(refusal({ ...v2(), version: 3 })).toBe('version: made by a newer NeuralForge (format version 3; this one reads up to 2). Update the app to open it.');
  });

  it('keeps groups and blocks as written', () => {
    const r = parseProject(v2());
    if (!r.ok) throw new Error(describeProjectError(r.error));
    expect(r.migratedFrom).toBeNull();
    expect(r.project.graph.groups).toEqual(v2().graph.groups);
    expect(r.project.graph.blocks).toEqual(v2().graph.blocks);
  });

  type Doc = ReturnType<typeof v2>;
  const cases: [string, (d: Doc) => unknown, string][] = [
    ['a duplicate group id', (d) => ({ ...d, graph: { ...d.graph, groups: [...d.graph.groups, { ...d.graph.groups[0]!, nodes: ['in'] }] } }), 'graph.groups[1].id: duplicate group id "group-1" (first used by graph.groups[0])'],
    ['a group naming a missing node', (d) => ({ ...d, graph: { ...d.graph, groups: [{ ...d.graph.groups[0]!, block: undefined, nodes: ['c1', 'ghost'] }] } }), 'graph.groups[0].nodes[1]: "ghost" is not a node'],
    ['a node in two groups', (d) => ({ ...d, graph: { ...d.graph, groups: [{ ...d.graph.groups[0]! }, { id: 'group-2', name: 'x', nodes: ['p1'], collapsed: false }] } }), 'graph.groups[1].nodes[0]: node "p1" is already in graph.groups[0]'],
    ['a group of an unknown block', (d) => ({ ...d, graph: { ...d.graph, groups: [{ ...d.graph.groups[0]!, block: 'block-9' }] } }), 'graph.groups[0].block: "block-9" is not a block in graph.blocks'],
    ['an instance with the wrong node count', (d) => ({ ...d, graph: { ...d.graph, groups: [{ ...d.graph.groups[0]!, nodes: ['c1'] }] } }), 'graph.groups[0].nodes: an instance of block "Conv + pool" has 2 nodes; this group has 1'],
    ['a bad group id', (d) => ({ ...d, graph: { ...d.graph, groups: [{ ...d.graph.groups[0]!, id: 'a b' }] } }), 'graph.groups[0].id: ids may use letters, digits, "_", "." and "-" only'],
    ['an unknown group field', (d) => ({ ...d, graph: { ...d.graph, groups: [{ ...d.graph.groups[0]!, colour: 'red' }] } }), 'graph.groups[0]: unknown field "colour"'],
    ['a duplicate block id', (d) => ({ ...d, graph: { ...d.graph, groups: [], blocks: [block(), block()] } }), 'graph.blocks[1].id: duplicate block id "block-1" (first used by graph.blocks[0])'],
    ['a block edge to a node outside it', (d) => ({ ...d, graph: { ...d.graph, blocks: [{ ...block(), edges: [{ source: 'c1', target: 'in', targetInput: 0 }] }] } }), 'graph.blocks[0].edges[0].target: edge goes to "in", which is not a node of block "Conv + pool"'],
    ['a param target outside the block', (d) => ({ ...d, graph: { ...d.graph, blocks: [{ ...block(), params: [{ name: 'f', targets: [{ node: 'in', param: 'shape' }] }] }] } }), 'graph.blocks[0].params[0].targets[0].node: "in" is not a node of block "Conv + pool"'],
    ['a param the kind does not have', (d) => ({ ...d, graph: { ...d.graph, blocks: [{ ...block(), params: [{ name: 'u', targets: [{ node: 'c1', param: 'units' }] }] }] } }), 'graph.blocks[0].params[0].targets[0].param: Conv2D has no param "units"'],
    ['two params of one name', (d) => ({ ...d, graph: { ...d.graph, blocks: [{ ...block(), params: [block().params[0]!, block().params[0]!] }] } }), 'graph.blocks[0].params[1].name: duplicate block parameter "filters"'],
    ['an empty block', (d) => ({ ...d, graph: { ...d.graph, groups: [], blocks: [{ ...block(), nodes: [], edges: [], params: [] }] } }), 'graph.blocks[0].nodes: Too small: expected array to have >=1 items'],
    [
      'too many blocks',
      (d) => ({ ...d, graph: { ...d.graph, groups: [], blocks: Array.from({ length: LIMITS.maxBlocks + 1 }, (_, i) => ({ ...block(), id: `b${i}` })) } }),
      `graph.blocks: Too big: expected array to have <=${LIMITS.maxBlocks} items`,
    ],
  ];
  for (const [what, make, message] of cases) it(`refuses ${what}, naming the field`, () => expect(refusal(make(v2()))).toBe(message));
});
