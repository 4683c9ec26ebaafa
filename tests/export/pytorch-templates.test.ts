// Every template exported to PyTorch and run on the same inputs as TF.js's predict, in one
// Python process: max |Δ| ≤ 1e-4 on each template's output; `python model.py` runs too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEMPLATES } from '../../src/engine/templates/index.js';
import { compareInTorch, writeCase, type Comparison } from '../fixtures/export/torch-harness.js';
import { pythonHas } from '../helpers/python.js';

/** The vocabulary of a template's token input (its Embedding's inputDim), else unused. */
function vocabOf(graph: ReturnType<(typeof TEMPLATES)[number]['project']>['graph']): number {
  const embedding = graph.nodes.find((n) => n.kind === 'Embedding');
  return embedding ? (embedding.params['inputDim'] as number) : 10;
}

describe('PyTorch export of the templates', () => {
  const root = mkdtempSync(join(tmpdir(), 'nf-torch-templates-'));
  const dirs = new Map<string, string>();
  let results: Record<string, Comparison> = {};

  beforeAll(() => {
    expect(pythonHas('torch', 'numpy'), 'Debian python3-torch and python3-numpy at /usr/bin/python3').toBe(true);
    for (const t of TEMPLATES) {
      const p = t.project();
      dirs.set(t.id, writeCase(join(root, t.id), p.graph, { training: p.training, vocab: vocabOf(p.graph) }).dir);
    }
    results = compareInTorch([...dirs.values()]);
  }, 300_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each(TEMPLATES.map((t) => t.id))('%s matches TF.js', (id) => {
    const r = results[dirs.get(id)!]!;
    if ('error' in r) expect.fail(`${id}: ${r.error}`);
    expect(r.maxAbsDiff, id).toBeLessThanOrEqual(1e-4);
    // `python model.py` loads the weights and prints the output shape for a batch of 2.
    expect(r.mainPrinted).toBe(`torch.Size([${r.shapes[0]!.join(', ')}])`);
  });
});
