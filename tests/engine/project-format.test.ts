// The project file boundary: malformed, hostile or newer files are refused with a message
// that names the field; older files migrate forward.
import { describe, expect, it } from 'vitest';
import { describeProjectError, parseProject, parseProjectText } from '../../src/engine/project/parse.js';
import { migrateForward, type Migration } from '../../src/engine/project/migrate.js';

const minimal = () => ({
  format: 'neuralforge-project',
  version: 2,
  name: 'tiny',
  graph: {
    nodes: [
      { id: 'in', kind: 'Input', params: { shape: [28, 28, 1] }, position: { x: 0, y: 0 } },
      { id: 'c1', kind: 'Conv2D', params: { filters: 16, kernelSize: 3, padding: 'same' }, position: { x: 0, y: 100 } },
    ],
    edges: [{ source: 'in', target: 'c1', targetInput: 0 }],
  },
  training: {},
  dataset: {},
});

function refusal(value: unknown) {
  const r = parseProject(value);
  if (r.ok) throw new Error('expected a refusal');
  return r.error;
}

describe('project format v2 (current)', () => {
  it('accepts the documented minimum and fills defaults', () => {
    const doc = minimal();
    delete (doc as Partial<typeof doc>).training;
    const r = parseProject(doc);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.project.training).toEqual({});
      expect(r.project.graph.nodes[1]!.params).toEqual({ filters: 16, kernelSize: 3, padding: 'same' });
      expect(r.migratedFrom).toBeNull();
    }
  });

  it('accepts the training and dataset sections of the issue example', () => {
    const doc = {
      ...minimal(),
      training: { optimizer: { name: 'adam', learningRate: 0.001 }, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'], batchSize: 64, epochs: 8, seed: 1, validationSplit: 0.2 },
      dataset: { source: 'builtin', name: 'mnist' },
    };
    expect(parseProject(doc).ok).toBe(true);
    expect(parseProject({ ...doc, dataset: { source: 'file', path: 'data.csv', label: 'species' } }).ok).toBe(true);
  });

  const cases: [string, (d: ReturnType<typeof minimal>) => unknown, string, string][] = [
    ['wrong format tag', (d) => ({ ...d, format: 'keras' }), 'format', 'not a NeuralForge project: "format" must be "neuralforge-project"'],
    ['missing name', (d) => ({ ...d, name: undefined }), 'name', 'Invalid input: expected string, received undefined'],
    ['node without id', (d) => ({ ...d, graph: { ...d.graph, nodes: [{ kind: 'Input', params: {} }] } }), 'graph.nodes[0].id', 'Invalid input: expected string, received undefined'],
    ['position not a number', (d) => { (d.graph.nodes[1]!.position as { x: unknown }).x = 'left'; return d; }, 'graph.nodes[1].position.x', 'Invalid input: expected number, received string'],
    ['unknown top-level field', (d) => ({ ...d, extra: 1 }), '', 'unknown field "extra"'],
    ['unknown node field', (d) => { (d.graph.nodes[0] as Record<string, unknown>)['colour'] = 'red'; return d; }, 'graph.nodes[0]', 'unknown field "colour"'],
    ['negative targetInput', (d) => { (d.graph.edges[0] as { targetInput: number }).targetInput = -1; return d; }, 'graph.edges[0].targetInput', 'Too small: expected number to be >=0'],
    ['edge to a missing node', (d) => { d.graph.edges[0]!.target = 'ghost'; return d; }, 'graph.edges[0].target', 'edge goes to "ghost", which is not a node'],
    ['duplicate node id', (d) => { d.graph.nodes[1]!.id = 'in'; return d; }, 'graph.nodes[1].id', 'duplicate node id "in" (first used by graph.nodes[0])'],
    ['bad id characters', (d) => { d.graph.nodes[1]!.id = 'c 1'; return d; }, 'graph.nodes[1].id', 'ids may use letters, digits, "_", "." and "-" only'],
    ['unknown optimizer', (d) => ({ ...d, training: { optimizer: { name: 'lion' } } }), 'training.optimizer.name', 'Invalid option: expected one of "sgd"|"adam"|"adamw"|"rmsprop"|"adagrad"'],
    ['batch size zero', (d) => ({ ...d, training: { batchSize: 0 } }), 'training.batchSize', 'Too small: expected number to be >=1'],
    ['not a whole version', (d) => ({ ...d, version: 1.5 }), 'version', '"version" must be a whole number ≥ 1; got 1.5'],
  ];
  for (const [what, mutate, path, message] of cases) {
    it(`refuses ${what}, naming the field`, () => {
      const e = refusal(mutate(minimal()));
      expect(e.path).toBe(path);
      expect(e.message).toBe(message);
    });
  }

  it('refuses a file from a newer version instead of misreading it', () => {
    const e = refusal({ ...minimal(), version: 7, graph: { somethingNew: true } });
    expect(e.code).toBe('newer-version');
    expect(describeProjectError(e)).toBe('version: made by a newer NeuralForge (format version 7; this one reads up to 2). Update the app to open it.');
  });

  it('refuses prototype-pollution keys anywhere, before copying anything', () => {
    const text = '{"format":"neuralforge-project","version":1,"name":"x","graph":{"nodes":[{"id":"a","kind":"Input","params":{"__proto__":{"polluted":true}}}],"edges":[]}}';
    const r = parseProjectText(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(describeProjectError(r.error)).toBe('graph.nodes[0].params.__proto__: the key "__proto__" is not allowed');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const r2 = parseProjectText('{"format":"neuralforge-project","version":1,"name":"x","graph":{"nodes":[],"edges":[]},"training":{"constructor":{"prototype":{}}}}');
    expect(!r2.ok && r2.error.path).toBe('training.constructor');
  });

  it('refuses absurd nesting, non-JSON and oversized text', () => {
    const deep = '{"format":"neuralforge-project","version":1,"name":"x","graph":{"nodes":[{"id":"a","kind":"Input","params":{"p":' + '['.repeat(100) + ']'.repeat(100) + '}}],"edges":[]}}';
    const r = parseProjectText(deep);
    expect(!r.ok && r.error.code).toBe('hostile');
    const j = parseProjectText('{"format": ');
    expect(!j.ok && j.error.code).toBe('not-json');
    const big = parseProjectText(' '.repeat(17 * 1024 * 1024));
    expect(!big.ok && big.error.message).toBe('project file is over 16 MB');
  });

  it('refuses graphs over the node limit', () => {
    const d = minimal();
    const nodes = Array.from({ length: 5001 }, (_, i) => ({ id: `n${i}`, kind: 'Dense', params: {} }));
    const e = refusal({ ...d, graph: { nodes, edges: [] } });
    expect(e.path).toBe('graph.nodes');
    expect(e.message).toMatch(/5000/);
  });
});

describe('migrations', () => {
  it('runs every step, in order, from the file version to the target', () => {
    const seen: number[] = [];
    const chain: Migration[] = [
      { from: 2, describe: 'b', migrate: (d) => (seen.push(2), { ...d, b: true }) },
      { from: 1, describe: 'a', migrate: (d) => (seen.push(1), { ...d, a: true }) },
    ];
    const out = migrateForward({ version: 1 }, 3, chain);
    expect(seen).toEqual([1, 2]);
    expect(out).toEqual({ version: 3, a: true, b: true });
  });
  it('a gap in the chain is a programming error, not a silent skip', () => {
    expect(() => migrateForward({ version: 1 }, 3, [{ from: 2, describe: 'b', migrate: (d) => d }])).toThrow('no migration from project format version 1');
  });
});
