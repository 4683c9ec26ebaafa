// "New empty project": its default names, and that the project is a valid file (the format's own
// parser is the oracle) whose only diagnostics are the two that say what to do next, and which
// becomes a valid MNIST classifier with the palette's insert-after, as a person would build it.
import { describe, expect, it } from 'vitest';
import { emptyProject, untitledName } from '../../src/editor/storage/empty-project.js';
import { insertNode } from '../../src/editor/panels/insert-node.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { applyChange } from '../../src/engine/graph/changes.js';
import { nodeId, type NodeId } from '../../src/engine/ids.js';
import { parseProject } from '../../src/engine/project/parse.js';
import type { Graph } from '../../src/engine/project/types.js';
import { trainingConfigIssues } from '../../src/engine/train/config.js';

describe('untitled names', () => {
  it('takes "Untitled", then the first free "Untitled N"', () => {
    expect(untitledName([])).toBe('Untitled');
    expect(untitledName(['MLP on MNIST'])).toBe('Untitled');
    expect(untitledName(['Untitled'])).toBe('Untitled 2');
    expect(untitledName(['Untitled', 'Untitled 2', 'Untitled 4'])).toBe('Untitled 3');
    expect(untitledName([' Untitled ', 'Untitled 2'])).toBe('Untitled 3');
  });
});

describe('the empty project', () => {
  it('parses as a current project file with one Input and trainable defaults', () => {
    const p = emptyProject('Untitled 2');
    const parsed = parseProject(JSON.parse(JSON.stringify(p)));
    if (!parsed.ok) throw new Error(`${parsed.error.path}: ${parsed.error.message}`);
    expect(parsed.project).toEqual(p);
    expect(p.name).toBe('Untitled 2');
    expect(p.graph.nodes.map((n) => [n.id, n.kind, n.params['shape']])).toEqual([['input_1', 'Input', [28, 28, 1]]]);
    expect(trainingConfigIssues(p.training)).toEqual([]);
    expect(p.dataset).toEqual({ source: 'builtin', name: 'mnist' });
  });

  it('says what to add next, and nothing else', () => {
    const a = analyzeGraph(emptyProject('x').graph);
    expect(a.diagnostics.map((d) => [d.code, d.severity, d.nodeId])).toEqual([
      ['unconnected', 'warning', 'input_1'],
      ['no-output', 'error', null],
    ]);
    expect(a.diagnostics[1]!.suggestion).toBe('Add a layer after the Input; any layer nothing consumes is an output.');
    expect(a.nodes.get(nodeId('input_1'))!.output!.shape).toEqual([null, 28, 28, 1]);
  });

  it('grows into a valid classifier by inserting after the selection: Flatten, Dense', () => {
    let g: Graph = emptyProject('x').graph;
    let selected: NodeId = nodeId('input_1');
    for (const kind of ['Flatten', 'Dense']) {
      const { id, changes } = insertNode(g, kind, selected, { x: 0, y: 0 });
      g = changes.reduce(applyChange, g);
      selected = id;
    }
    const a = analyzeGraph(g);
    expect(a.diagnostics).toEqual([]);
    expect(g.edges.map((e) => `${e.source}->${e.target}`)).toEqual(['input_1->flatten_1', 'flatten_1->dense_1']);
    expect(a.nodes.get(nodeId('dense_1'))!.output!.shape).toEqual([null, 32]);
    expect(g.nodes.map((n) => n.position)).toEqual([{ x: 0, y: 0 }, { x: 0, y: 100 }, { x: 0, y: 200 }]);
  });
});
