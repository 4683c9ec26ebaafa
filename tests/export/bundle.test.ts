// The serving bundle, run for real as far as this machine allows: the zip's entries; model.onnx
// through Debian's onnx.checker (full_check); app.py compiled, imported and driven over HTTP by the
// real FastAPI TestClient (Debian's python3-fastapi). Only Python's onnxruntime (not installable
// here) is a stand-in: it checks feeds against model.onnx's declared inputs, records them and
// answers with the outputs onnxruntime-web computed in Node on the same request. Docker is not run.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_ENTRIES, bundleFileName, servingBundle } from '../../src/engine/export/bundle.js';
import { exportOnnx, validateOnnx, type OnnxDtype, type OnnxExport } from '../../src/engine/export/onnx/index.js';
import type { ValidationReport } from '../../src/engine/export/types.js';
import { rng } from '../../src/engine/random.js';
import { findTemplate } from '../../src/engine/templates/index.js';
import { ort } from '../helpers/onnx-check.js';
import { runPython, SYSTEM_PYTHON } from '../helpers/python.js';
import { allProjects, compileProject, scratchDir } from './tfjs-cases.js';

const CLIENT = join(import.meta.dirname, '../fixtures/export/bundle_client.py');

type Nested = number | string | boolean | Nested[];
type Inputs = Record<string, Nested>;
interface Flat {
  readonly dtype: string;
  readonly shape: number[];
  readonly data: number[];
}
/** One HTTP request for the client; `outputs` (onnxruntime-web's answer) only where it must succeed. */
interface PlanRequest {
  readonly id: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly json?: unknown;
  readonly raw?: string;
  readonly outputs?: Record<string, Flat>;
}
interface Reply {
  readonly status: number;
  readonly body: { detail?: unknown; outputs?: Record<string, Nested>; shapes?: Record<string, number[]> } & Record<string, unknown>;
  readonly feeds: Record<string, Flat> | null;
}
interface FolderResult {
  readonly checker: string;
  readonly declared: Record<string, { dtype: string; shape: (number | null)[] }>;
  readonly sessions: { path: string; providers: string[] }[];
  readonly responses: Record<string, Reply>;
}
interface Case {
  readonly name: string;
  /** The project's name, as the app reports it. */
  readonly model: string;
  readonly exported: OnnxExport;
  readonly report: ValidationReport;
  readonly zip: Uint8Array;
  readonly dir: string;
  /** The valid requests' inputs, flat, by request id then input name. */
  readonly sent: Record<string, Record<string, Flat>>;
  readonly expected: Record<string, Record<string, Flat>>;
}

/** Nested lists of `shape` filled row-major from `data`. */
const nest = (data: readonly Nested[], shape: readonly number[]): Nested => {
  if (!shape.length) return data[0]!;
  const step = data.length / shape[0]!;
  return Array.from({ length: shape[0]! }, (_, i) => nest(data.slice(i * step, (i + 1) * step), shape.slice(1)));
};
const flatten = (x: Nested): Nested[] => (Array.isArray(x) ? x.flatMap(flatten) : [x]);
const shapeOf = (x: Nested): number[] => (Array.isArray(x) ? [x.length, ...shapeOf(x[0]!)] : []);

/** What a feed of `dtype` holds after the app's conversion (float32 rounds; ids stay exact). */
function asDtype(dtype: OnnxDtype, data: readonly number[]): number[] {
  switch (dtype) {
    case 'float32':
      return Array.from(Float32Array.from(data));
    case 'int32':
    case 'int64':
      return [...data];
    default: {
      const never: never = dtype;
      throw new Error(`unknown dtype ${String(never)}`);
    }
  }
}

function ortTensor(f: Flat & { dtype: OnnxDtype }): ort.Tensor {
  switch (f.dtype) {
    case 'float32':
      return new ort.Tensor('float32', Float32Array.from(f.data), f.shape);
    case 'int32':
      return new ort.Tensor('int32', Int32Array.from(f.data), f.shape);
    case 'int64':
      return new ort.Tensor('int64', BigInt64Array.from(f.data.map(BigInt)), f.shape);
    default: {
      const never: never = f.dtype;
      throw new Error(`unknown dtype ${String(never)}`);
    }
  }
}

/** `batch` random samples per input: normals for floats, ids in [0, 10) for integers. */
function randomInputs(exported: OnnxExport, batch: number, seed: number): Record<string, Flat> {
  const r = rng(seed);
  return Object.fromEntries(
    exported.inputs.map((io) => {
      const shape = [batch, ...io.shape.slice(1).map((d) => (typeof d === 'number' ? d : 1))];
      const n = shape.reduce((a, b) => a * b, 1);
      const float = io.dtype === 'float32';
      const data = Array.from({ length: n }, () => (float ? Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r()) : Math.floor(r() * 10)));
      return [io.name, { dtype: io.dtype, shape, data }];
    }),
  );
}

/** onnxruntime-web's outputs for `inputs`: what the stand-in session hands back to app.py. */
async function ortOutputs(session: ort.InferenceSession, exported: OnnxExport, inputs: Record<string, Flat>): Promise<Record<string, Flat>> {
  const feeds = Object.fromEntries(exported.inputs.map((io) => [io.name, ortTensor({ ...inputs[io.name]!, dtype: io.dtype })]));
  const out = await session.run(feeds);
  return Object.fromEntries(exported.outputs.map((o) => [o.name, { dtype: 'float32', shape: [...out[o.name]!.dims], data: Array.from(out[o.name]!.data as Float32Array) }]));
}

const dir = scratchDir('nf-bundle-');
const cases: Case[] = [];
let py: Record<string, FolderResult> = {};

/** Valid requests (answered from onnxruntime-web) and refused ones, per case. */
async function plan(c: Omit<Case, 'sent' | 'expected'>, example: { inputs: Inputs }): Promise<Pick<Case, 'sent' | 'expected'> & { requests: PlanRequest[] }> {
  const session = await ort.InferenceSession.create(c.exported.bytes);
  const first = c.exported.inputs[0]!;
  const valid: Record<string, Record<string, Flat>> = {
    example: Object.fromEntries(c.exported.inputs.map((io) => [io.name, { dtype: io.dtype, shape: shapeOf(example.inputs[io.name]!), data: flatten(example.inputs[io.name]!) as number[] }])),
    batch: randomInputs(c.exported, 3, 11),
  };
  const body = (inputs: Record<string, Flat>, unbatched = false): { inputs: Inputs } => ({
    inputs: Object.fromEntries(Object.entries(inputs).map(([k, f]) => [k, unbatched ? (nest(f.data, f.shape) as Nested[])[0]! : nest(f.data, f.shape)])),
  });
  const requests: PlanRequest[] = [{ id: 'health', method: 'GET', path: '/health' }];
  const sent: Record<string, Record<string, Flat>> = {};
  const expected: Record<string, Record<string, Flat>> = {};
  for (const [id, inputs] of Object.entries(valid)) {
    sent[id] = inputs;
    expected[id] = await ortOutputs(session, c.exported, inputs);
    requests.push({ id, method: 'POST', path: '/predict', json: body(inputs), outputs: expected[id] });
  }
  // One sample without its batch dimension becomes a batch of one.
  sent['single'] = randomInputs(c.exported, 1, 12);
  expected['single'] = await ortOutputs(session, c.exported, sent['single']);
  requests.push({ id: 'single', method: 'POST', path: '/predict', json: body(sent['single'], true), outputs: expected['single'] });
  await session.release();
  const ok = body(valid['batch']!).inputs;
  const refused = (id: string, json: unknown): PlanRequest => ({ id, method: 'POST', path: '/predict', json });
  requests.push(
    refused('bad_shape', { inputs: { ...ok, [first.name]: [[1.0, 2.0]] } }),
    refused('missing', { inputs: Object.fromEntries(Object.entries(ok).slice(1)) }),
    refused('strings', { inputs: { ...ok, [first.name]: nest(flatten(ok[first.name]!).map(String), shapeOf(ok[first.name]!)) } }),
    refused('booleans', { inputs: { ...ok, [first.name]: nest(flatten(ok[first.name]!).map((v) => v !== 0), shapeOf(ok[first.name]!)) } }),
    // Fractions and int32 overflow are wrong only for integer inputs (token ids).
    ...(first.dtype === 'float32'
      ? []
      : [
          refused('fractions', { inputs: { ...ok, [first.name]: nest(flatten(ok[first.name]!).map((v) => Number(v) + 0.5), shapeOf(ok[first.name]!)) } }),
          refused('too_big', { inputs: { ...ok, [first.name]: nest(flatten(ok[first.name]!).map(() => 2 ** 40), shapeOf(ok[first.name]!)) } }),
        ]),
    refused('not_object', [1, 2]),
    { id: 'malformed', method: 'POST', path: '/predict', raw: `{"inputs": {"${first.name}": [[1, 2` },
    ...(c.exported.inputs.length > 1 ? [refused('batch_mismatch', { inputs: { ...ok, [c.exported.inputs[1]!.name]: (ok[c.exported.inputs[1]!.name] as Nested[]).slice(0, 1) } })] : []),
  );
  return { requests, sent, expected };
}

beforeAll(async () => {
  ort.env.wasm.numThreads = 1;
  const projects = [
    { name: 'mlp', project: findTemplate('mlp')!.project() },
    // Two float inputs, and an int32 token input.
    allProjects().find((p) => p.name === 'Add#0')!,
    allProjects().find((p) => p.name === 'Embedding#0')!,
  ];
  for (const p of projects) {
    const input = compileProject(p.project);
    const exported = exportOnnx(input);
    const report = await validateOnnx(input, exported, { ort, samples: 4, repeats: 1 });
    const zip = servingBundle(p.project.name, exported, report);
    const folder = join(dir, p.name.replace(/\W/g, '_'));
    mkdirSync(folder);
    const files = unzipSync(zip);
    for (const [path, bytes] of Object.entries(files)) writeFileSync(join(folder, path), bytes);
    const c = { name: p.name, model: p.project.name, exported, report, zip, dir: folder };
    const example = JSON.parse(new TextDecoder().decode(files['example-request.json'])) as { inputs: Inputs };
    const { requests, sent, expected } = await plan(c, example);
    writeFileSync(join(folder, 'plan.json'), JSON.stringify({ requests }));
    cases.push({ ...c, sent, expected });
  }
  const r = runPython(readFileSync(CLIENT, 'utf8'), cases.map((c) => c.dir));
  if (r.code !== 0) throw new Error(`${SYSTEM_PYTHON} ${CLIENT} failed: ${r.stderr}`);
  py = JSON.parse(r.stdout) as typeof py;
}, 120_000);

const find = (name: string) => cases.find((c) => c.name === name)!;
const reply = (name: string, id: string): Reply => py[find(name).dir]!.responses[id]!;
const NAMES = ['mlp', 'Add#0', 'Embedding#0'];

describe('serving bundle files', () => {
  it('zips exactly the bundle files, and is byte-identical for the same model', () => {
    const c = find('mlp');
    expect(Object.keys(unzipSync(c.zip)).sort()).toEqual([...BUNDLE_ENTRIES].sort());
    expect(servingBundle('MLP on MNIST', c.exported, c.report)).toEqual(c.zip);
    expect(bundleFileName('MLP on MNIST')).toBe('mlp-on-mnist-serving.zip');
    expect(c.report.passed).toBe(true);
  });

  it('documents the real input shape, a non-root Dockerfile and pinned requirements', () => {
    const files = unzipSync(find('mlp').zip);
    const text = (p: string) => new TextDecoder().decode(files[p]);
    expect(text('README.md')).toContain('- `image`: float32 [batch, 28, 28, 1]');
    expect(text('README.md')).toContain("curl -s -X POST localhost:8000/predict -H 'Content-Type: application/json' -d @example-request.json");
    expect(text('README.md')).toMatch(/\| onnxruntime-web\/wasm \| \d\.\d\de-\d+ \| .* \| pass \|/);
    expect(JSON.parse(text('example-request.json')).inputs.image).toHaveLength(1);
    expect(text('Dockerfile')).toMatch(/^FROM python:3\.12-slim$/m);
    expect(text('Dockerfile')).toMatch(/^USER app$/m);
    expect(text('Dockerfile')).toMatch(/^EXPOSE 8000$/m);
    expect(text('Dockerfile')).toMatch(/^CMD \["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "8000"\]$/m);
    expect(text('requirements.txt').trim().split('\n')).toEqual(['fastapi==0.115.*', 'uvicorn[standard]==0.32.*', 'onnxruntime==1.20.*', 'numpy==2.1.*']);
  });
});

describe('serving bundle under Python: onnx.checker, real FastAPI, stand-in onnxruntime', () => {
  it.each(NAMES)('%s: model.onnx passes onnx.checker (full_check)', (name) => {
    expect(py[find(name).dir]!.checker).toBe('ok');
  });

  it.each(NAMES)('%s: GET /health is 200 with the inputs model.onnx declares, loading it once on the CPU provider', (name) => {
    const c = find(name);
    const r = py[c.dir]!;
    const health = reply(name, 'health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok', model: c.model, inputs: r.declared, outputs: c.exported.outputs.map((o) => o.name) });
    expect(r.declared).toEqual(Object.fromEntries(c.exported.inputs.map((io) => [io.name, { dtype: io.dtype, shape: io.shape.map((d) => (typeof d === 'number' ? d : null)) }])));
    expect(r.sessions).toEqual([{ path: join(c.dir, 'model.onnx'), providers: ['CPUExecutionProvider'] }]);
  });

  it('GET /health names the MLP model and its image input', () => {
    expect(reply('mlp', 'health').body).toEqual({ status: 'ok', model: 'MLP on MNIST', inputs: { image: { shape: [null, 28, 28, 1], dtype: 'float32' } }, outputs: ['logits'] });
  });

  it.each(NAMES.flatMap((n) => ['example', 'batch', 'single'].map((id) => [n, id])))('%s: POST /predict (%s) is 200 with onnxruntime-web\'s outputs and shapes', (name, id) => {
    const got = reply(name, id);
    expect(got.status, JSON.stringify(got.body).slice(0, 300)).toBe(200);
    for (const [out, want] of Object.entries(find(name).expected[id]!)) {
      expect(got.body.shapes![out]).toEqual(want.shape);
      expect(shapeOf(got.body.outputs![out]!)).toEqual(want.shape);
      const values = flatten(got.body.outputs![out]!) as number[];
      expect(values).toHaveLength(want.data.length);
      expect(Math.max(...values.map((v, i) => Math.abs(v - want.data[i]!)))).toBeLessThanOrEqual(1e-6);
    }
    expect(Object.keys(got.body.outputs!)).toEqual(find(name).exported.outputs.map((o) => o.name));
  });

  it.each(NAMES.flatMap((n) => ['example', 'batch', 'single'].map((id) => [n, id])))('%s: the session got the request (%s) as arrays of the ONNX dtypes', (name, id) => {
    const c = find(name);
    const feeds = reply(name, id).feeds!;
    expect(Object.keys(feeds).sort()).toEqual(c.exported.inputs.map((io) => io.name).sort());
    for (const io of c.exported.inputs) {
      const sent = c.sent[id]![io.name]!;
      expect(feeds[io.name]).toEqual({ dtype: io.dtype, shape: sent.shape, data: asDtype(io.dtype, sent.data) });
    }
    // 'single' was sent without its batch dimension; the app adds it.
    if (id === 'batch') expect(feeds[c.exported.inputs[0]!.name]!.shape[0]).toBe(3);
    if (id === 'single') expect(feeds[c.exported.inputs[0]!.name]!.shape[0]).toBe(1);
  });

  it('feeds every input under its ONNX name and dtype (two float inputs; int32 token ids)', () => {
    expect(Object.fromEntries(Object.entries(reply('Add#0', 'batch').feeds!).map(([k, f]) => [k, [f.shape, f.dtype]]))).toEqual({ in0: [[3, 5], 'float32'], in1: [[3, 5], 'float32'] });
    expect(Object.fromEntries(Object.entries(reply('Embedding#0', 'batch').feeds!).map(([k, f]) => [k, [f.shape, f.dtype]]))).toEqual({ in0: [[3, 7], 'int32'] });
  });

  const notNumbers = (input: string) => `input '${input}': not a nested list of numbers of one shape`;
  const refusals: [string, string, string][] = [
    ['mlp', 'bad_shape', "input 'image': shape [1, 2] does not fit [batch, 28, 28, 1]"],
    ['mlp', 'missing', "inputs must be exactly ['image']; missing ['image'], unknown []"],
    ['mlp', 'strings', notNumbers('image')],
    ['mlp', 'booleans', notNumbers('image')],
    ['Add#0', 'bad_shape', "input 'in0': shape [1, 2] does not fit [batch, 5]"],
    ['Add#0', 'missing', "inputs must be exactly ['in0', 'in1']; missing ['in0'], unknown []"],
    ['Add#0', 'strings', notNumbers('in0')],
    ['Add#0', 'booleans', notNumbers('in0')],
    ['Add#0', 'batch_mismatch', "input 'in1': batch of 1, but another input has 3"],
    ['Embedding#0', 'bad_shape', "input 'in0': shape [1, 2] does not fit [batch, 7]"],
    ['Embedding#0', 'missing', "inputs must be exactly ['in0']; missing ['in0'], unknown []"],
    ['Embedding#0', 'strings', notNumbers('in0')],
    ['Embedding#0', 'booleans', notNumbers('in0')],
    ['Embedding#0', 'fractions', "input 'in0': int32 input (token ids) needs whole numbers, got a fraction"],
    ['Embedding#0', 'too_big', "input 'in0': values must lie in [-2147483648, 2147483647] for int32"],
  ];
  it.each(refusals)('%s: %s is refused with 422 naming the input, before the session runs', (name, id, detail) => {
    expect(reply(name, id)).toEqual({ status: 422, body: { detail }, feeds: null });
  });

  it('every refused request in the plan is checked above', () => {
    const planned = cases.flatMap((c) => Object.keys(py[c.dir]!.responses).filter((id) => !['health', 'not_object', 'malformed'].includes(id) && !(id in c.expected)).map((id) => `${c.name} ${id}`));
    expect(planned.sort()).toEqual(refusals.map(([n, id]) => `${n} ${id}`).sort());
  });

  it.each(NAMES)('%s: malformed JSON and a body that is not an object are refused by FastAPI with 422 at the body', (name) => {
    const malformed = reply(name, 'malformed');
    expect(malformed.status).toBe(422);
    expect(malformed.feeds).toBeNull();
    // The body breaks off where the JSON ends, and FastAPI points there.
    const raw = `{"inputs": {"${find(name).exported.inputs[0]!.name}": [[1, 2`;
    expect(malformed.body.detail).toEqual([expect.objectContaining({ loc: ['body', raw.length], type: 'value_error.jsondecode' })]);
    const notObject = reply(name, 'not_object');
    expect(notObject.status).toBe(422);
    expect(notObject.body.detail).toEqual([expect.objectContaining({ loc: ['body'], msg: 'value is not a valid dict' })]);
  });
});
