// The notebook export: valid nbformat 4.5 (the schema's required keys and shapes, checked here
// for every template), and executed for real: all code cells, in order, in one Python process,
// for MNIST (the MLP template, a recorded run with a plot cell) and for a CSV table.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../src/engine/compile/compile.js';
import { loadCsv } from '../../src/engine/data/csv.js';
import { encodeMnistBinary } from '../../src/engine/data/mnist.js';
import { exportNotebook } from '../../src/engine/export/notebook.js';
import type { ExportFile, ExportRunInfo } from '../../src/engine/export/types.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import type { Project } from '../../src/engine/project/types.js';
import { GraphBuilder, project } from '../../src/engine/templates/builder.js';
import { findTemplate, TEMPLATES } from '../../src/engine/templates/index.js';
import { runPython } from '../helpers/python.js';

const RUN: ExportRunInfo = {
  id: 'run-7',
  epochs: [
    { epoch: 1, loss: 0.91, valLoss: 0.7, metrics: { accuracy: 0.71 } },
    { epoch: 2, loss: 0.52, valLoss: null, metrics: { accuracy: 0.84 } },
  ],
  testMetrics: { loss: 0.5, accuracy: 0.86 },
};

function exported(p: Project, run?: ExportRunInfo): ExportFile[] {
  const analysis = analyzeGraph(p.graph);
  const { model } = compileGraph(analysis, { seed: 1 });
  return exportNotebook({ project: p, analysis, model, ...(run ? { run } : {}) });
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What the nbformat 4.5 schema requires of a notebook; the list of violations. */
function nbformatProblems(nb: unknown): string[] {
  const problems: string[] = [];
  const keysOf = (o: Json, allowed: readonly string[], required: readonly string[], where: string) => {
    for (const k of Object.keys(o)) if (!allowed.includes(k)) problems.push(`${where}: unexpected key ${k}`);
    for (const k of required) if (!(k in o)) problems.push(`${where}: missing ${k}`);
  };
  if (!isObject(nb)) return ['not an object'];
  keysOf(nb, ['cells', 'metadata', 'nbformat', 'nbformat_minor'], ['cells', 'metadata', 'nbformat', 'nbformat_minor'], 'notebook');
  if (nb['nbformat'] !== 4 || nb['nbformat_minor'] !== 5) problems.push('not nbformat 4.5');
  const meta = nb['metadata'];
  if (!isObject(meta) || !isObject(meta['kernelspec']) || typeof meta['kernelspec']['name'] !== 'string' || typeof meta['kernelspec']['display_name'] !== 'string')
    problems.push('metadata.kernelspec needs name and display_name');
  const ids = new Set<string>();
  const cells = Array.isArray(nb['cells']) ? nb['cells'] : [];
  if (!Array.isArray(nb['cells'])) problems.push('cells is not a list');
  cells.forEach((cell: unknown, i) => {
    const where = `cell ${i}`;
    if (!isObject(cell)) return void problems.push(`${where}: not an object`);
    const id = cell['id'];
    if (typeof id !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(id)) problems.push(`${where}: bad id ${String(id)}`);
    else if (ids.has(id)) problems.push(`${where}: repeated id ${id}`);
    else ids.add(id);
    if (!isObject(cell['metadata'])) problems.push(`${where}: metadata is not an object`);
    const source = cell['source'];
    const lines = typeof source === 'string' ? [source] : Array.isArray(source) ? source : null;
    if (!lines || lines.some((l) => typeof l !== 'string')) problems.push(`${where}: source must be a string or a list of strings`);
    else if (lines.slice(0, -1).some((l: string) => !l.endsWith('\n'))) problems.push(`${where}: a source line other than the last lacks its newline`);
    switch (cell['cell_type']) {
      case 'markdown':
        keysOf(cell, ['id', 'cell_type', 'metadata', 'source', 'attachments'], ['id', 'cell_type', 'metadata', 'source'], where);
        break;
      case 'code':
        keysOf(cell, ['id', 'cell_type', 'metadata', 'source', 'outputs', 'execution_count'], ['id', 'cell_type', 'metadata', 'source', 'outputs', 'execution_count'], where);
        if (!Array.isArray(cell['outputs'])) problems.push(`${where}: outputs is not a list`);
        if (cell['execution_count'] !== null && !Number.isInteger(cell['execution_count'])) problems.push(`${where}: execution_count must be null or an integer`);
        break;
      default:
        problems.push(`${where}: cell_type ${String(cell['cell_type'])}`);
    }
  });
  return problems;
}

const notebookOf = (files: readonly ExportFile[]) => JSON.parse(strFromU8(files.find((f) => f.path.endsWith('.ipynb'))!.bytes)) as { cells: { cell_type: string; id: string; source: string[] }[] };

describe('notebook structure', () => {
  it.each(TEMPLATES.map((t) => t.id))('%s: a valid nbformat 4.5 notebook plus the weights it loads', (id) => {
    const files = exported(findTemplate(id)!.project(), RUN);
    expect(files.map((f) => f.path)).toEqual([expect.stringMatching(/^[a-z0-9-]+\.ipynb$/), 'weights.npz']);
    const nb = notebookOf(files);
    expect(nbformatProblems(nb)).toEqual([]);
    expect(nb.cells.map((c) => c.id)).toEqual(['title', 'imports', 'model-intro', 'model', 'weights-intro', 'weights', 'data-intro', 'data', 'training-intro', 'training-code', 'train', 'recorded-run', 'plot']);
    const table = nb.cells.find((c) => c.id === 'recorded-run')!.source.join('');
    expect(table).toContain('| 2 | 0.5200 |  | 0.8400 |');
    expect(table).toContain('Test: loss 0.5000, accuracy 0.8600.');
  });

  it('without a run has no results; a model that cannot train says why and has no training cells', () => {
    const g = new GraphBuilder();
    g.layer('sum', 'Add', {}, [g.input('a', [3]), g.input('b', [3])]);
    const nb = notebookOf(exported(project('Two inputs', '', g.build(), { loss: 'meanSquaredError' })));
    expect(nbformatProblems(nb)).toEqual([]);
    expect(nb.cells.map((c) => c.id)).toEqual(['title', 'imports', 'model-intro', 'model', 'weights-intro', 'weights']);
    expect(nb.cells[0]!.source.join('')).toContain('It cannot be trained here: training needs one Input and one output; this model has 2 and 1.');
  });
});

/** 300 learnable digits: a bright block whose place says the digit. */
function mnistFixture(): Uint8Array {
  const labels = Uint8Array.from({ length: 300 }, (_, i) => i % 10);
  const pixels = new Uint8Array(300 * 784);
  labels.forEach((d, i) => {
    const [row, col] = [2 + 8 * Math.floor(d / 3), 2 + 8 * (d % 3)];
    for (let y = row; y < row + 6; y++) for (let x = col; x < col + 6; x++) pixels[i * 784 + y * 28 + x] = 255;
  });
  return encodeMnistBinary(pixels, labels);
}

/** Executes every code cell of each notebook, in order, in one interpreter (a fresh namespace and folder each). */
const DRIVER = `
import contextlib, io, json, os, sys, traceback
results = []
for folder, name in zip(sys.argv[1::2], sys.argv[2::2]):
    os.chdir(folder)
    cells = [c for c in json.load(open(name))['cells'] if c['cell_type'] == 'code']
    printed, done, error = io.StringIO(), 0, None
    namespace = {'__name__': '__main__'}
    with contextlib.redirect_stdout(printed):
        try:
            for cell in cells:
                exec(compile(''.join(cell['source']), f"{name}:{cell['id']}", 'exec'), namespace)
                done += 1
        except Exception:
            error = traceback.format_exc(limit=3)
    results.append({'cells': len(cells), 'done': done, 'error': error, 'stdout': printed.getvalue()})
print(json.dumps(results))
`;

describe('notebook execution', () => {
  const root = mkdtempSync(join(tmpdir(), 'nf-notebook-'));
  let results: { cells: number; done: number; error: string | null; stdout: string }[] = [];

  beforeAll(() => {
    const jobs: [string, string][] = [];
    const write = (name: string, files: readonly ExportFile[], data: [string, Uint8Array]) => {
      const dir = join(root, name);
      mkdirSync(dir);
      for (const f of files) writeFileSync(join(dir, f.path), f.bytes);
      writeFileSync(join(dir, data[0]), data[1]);
      jobs.push([dir, files[0]!.path]);
    };
    write('mlp', exported(findTemplate('mlp')!.project(), RUN), ['mnist.bin', mnistFixture()]);
    const houses = readFileSync(join(import.meta.dirname, '../fixtures/data/houses.csv'));
    const g = new GraphBuilder();
    g.chain(g.input('features', [loadCsv(houses, { label: 'price_band' }).train.x.shape[0]!]), [['band', 'Dense', { units: 3, activation: 'softmax' }]]);
    const table = project('Houses', 'Price bands from a table.', g.build(), {
      loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'], batchSize: 4, epochs: 3, validationSplit: 0.25,
      optimizer: { name: 'rmsprop', learningRate: 0.01, centered: true }, schedule: { name: 'exponential', gamma: 0.8, unit: 'step' },
      earlyStopping: { monitor: 'valAccuracy', patience: 2 },
    }, { source: 'file', path: 'houses.csv', label: 'price_band' });
    write('houses', exported(table), ['houses.csv', houses]);
    const r = runPython(DRIVER, jobs.flat());
    if (r.code !== 0) throw new Error(`the notebook driver failed: ${r.stderr}`);
    results = JSON.parse(r.stdout);
  }, 300_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('runs every code cell of the MNIST notebook to the end: model, weights, data, training, plot guard', () => {
    const r = results[0]!;
    expect(r.error, r.stdout).toBeNull();
    expect(r.done).toBe(r.cells);
    expect(r.stdout).toContain('torch.Size([2, 10])');
    expect(r.stdout).toMatch(/^training samples: 150$/m);
    expect(r.stdout.match(/^epoch \d\/8  loss \d+\.\d{4}  accuracy/gm)).toHaveLength(8);
    expect(r.stdout).toMatch(/^test \{'loss': /m);
    expect(r.stdout).toContain('matplotlib is not installed'); // the plot cell's guard ran
  });

  it('runs every code cell of a CSV-table notebook to the end', () => {
    const r = results[1]!;
    expect(r.error, r.stdout).toBeNull();
    expect(r.done).toBe(r.cells);
    expect(r.stdout.match(/^epoch \d\/3  loss/gm)?.length).toBeGreaterThanOrEqual(2); // early stopping may end it sooner
  });
});
