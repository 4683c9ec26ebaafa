// The serving bundle, tested as far as this machine allows. FastAPI, uvicorn and Python's
// onnxruntime are not installable here (no network for pip), so: the zip's entries; model.onnx
// through Debian's onnx.checker (full_check); app.py compiled by Python 3, then imported with
// stub `fastapi`/`onnxruntime` modules and its real request handling driven with a fake session
// (shapes, dtypes, batching and the 422 errors). Docker is not run either.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_ENTRIES, bundleFileName, servingBundle } from '../../src/engine/export/bundle.js';
import { exportOnnx, validateOnnx, type OnnxExport } from '../../src/engine/export/onnx/index.js';
import type { ValidationReport } from '../../src/engine/export/types.js';
import { findTemplate } from '../../src/engine/templates/index.js';
import { ort } from '../helpers/onnx-check.js';
import { runPython, SYSTEM_PYTHON } from '../helpers/python.js';
import { allProjects, compileProject, scratchDir } from './tfjs-cases.js';

const DRIVER = String.raw`
import importlib.util, json, py_compile, sys, types
import numpy as np
import onnx

class HTTPException(Exception):
    def __init__(self, status_code, detail=None):
        super().__init__(detail)
        self.status_code, self.detail = status_code, detail

class FastAPI:
    def __init__(self, **kwargs):
        self.routes = {}
    def route(self, method, path):
        def register(f):
            self.routes[method + " " + path] = f
            return f
        return register
    def get(self, path): return self.route("GET", path)
    def post(self, path): return self.route("POST", path)

class NoRuntime:
    def __init__(self, *args, **kwargs): raise RuntimeError("stub: no onnxruntime on this machine")

sys.modules["fastapi"] = types.SimpleNamespace(FastAPI=FastAPI, HTTPException=HTTPException)
sys.modules["onnxruntime"] = types.SimpleNamespace(InferenceSession=NoRuntime)

class FakeSession:
    """Returns, per output, the sum of every input value, broadcast to the output's shape."""
    def __init__(self, shapes): self.shapes, self.feeds = shapes, None
    def run(self, names, feeds):
        self.feeds = feeds
        batch = next(iter(feeds.values())).shape[0]
        total = float(sum(v.astype(np.float64).sum() for v in feeds.values()))
        return [np.full([batch] + self.shapes[n][1:], total, np.float32) for n in names]

def call(app, route, *args):
    try:
        return {"ok": app.app.routes[route](*args)}
    except HTTPException as e:
        return {"status": e.status_code, "detail": e.detail}

out = {}
for folder in sys.argv[1:]:
    r = {}
    try:
        onnx.checker.check_model(onnx.load(folder + "/model.onnx"), full_check=True)
        r["checker"] = "ok"
    except Exception as e:
        r["checker"] = str(e)[:500]
    py_compile.compile(folder + "/app.py", doraise=True)
    spec = importlib.util.spec_from_file_location("app_" + str(len(out)), folder + "/app.py")
    app = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(app)
    shapes = json.load(open(folder + "/output-shapes.json"))
    fake = FakeSession(shapes)
    app._session = fake
    example = json.load(open(folder + "/example-request.json"))
    r["routes"] = sorted(app.app.routes)
    r["health"] = call(app, "GET /health")
    r["example"] = call(app, "POST /predict", example)
    r["feeds"] = {k: [list(v.shape), str(v.dtype)] for k, v in fake.feeds.items()}
    name = next(iter(example["inputs"]))
    batch3 = {"inputs": {k: v * 3 for k, v in example["inputs"].items()}}
    r["batch3"] = call(app, "POST /predict", batch3)["ok"]["shapes"]
    ones = {"inputs": {k: (np.asarray(v) * 0 + 1).tolist() for k, v in example["inputs"].items()}}
    r["ones"] = call(app, "POST /predict", ones)["ok"]["outputs"]
    r["bad_shape"] = call(app, "POST /predict", {"inputs": {**example["inputs"], name: [[1.0, 2.0]]}})
    r["missing"] = call(app, "POST /predict", {"inputs": {}})
    r["not_numbers"] = call(app, "POST /predict", {"inputs": {**example["inputs"], name: "hello"}})
    r["not_object"] = call(app, "POST /predict", [1, 2])
    app._session = None
    try:
        app.session()
    except RuntimeError as e:
        r["no_runtime"] = str(e)
    out[folder] = r
print(json.dumps(out))
`;

interface Case {
  readonly name: string;
  readonly exported: OnnxExport;
  readonly report: ValidationReport;
  readonly zip: Uint8Array;
  readonly dir: string;
}

const dir = scratchDir('nf-bundle-');
const cases: Case[] = [];
let py: Record<string, Record<string, unknown>> = {};

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
    for (const [path, bytes] of Object.entries(unzipSync(zip))) writeFileSync(join(folder, path), bytes);
    const shapes = Object.fromEntries(exported.outputs.map((o) => [o.name, o.shape.map((d) => (typeof d === 'number' ? d : 1))]));
    writeFileSync(join(folder, 'output-shapes.json'), JSON.stringify(shapes));
    cases.push({ name: p.name, exported, report, zip, dir: folder });
  }
  const r = runPython(DRIVER, cases.map((c) => c.dir));
  if (r.code !== 0) throw new Error(`${SYSTEM_PYTHON} failed: ${r.stderr}`);
  py = JSON.parse(r.stdout) as typeof py;
}, 120_000);

const find = (name: string) => cases.find((c) => c.name === name)!;

describe('serving bundle', () => {
  it('zips exactly the bundle files, and is byte-identical for the same model', () => {
    const c = find('mlp');
    expect(Object.keys(unzipSync(c.zip)).sort()).toEqual([...BUNDLE_ENTRIES].sort());
    expect(servingBundle('MLP on MNIST', c.exported, c.report)).toEqual(c.zip);
    expect(bundleFileName('MLP on MNIST')).toBe('mlp-on-mnist-serving.zip');
    expect(c.report.passed).toBe(true);
  });

  it.each(['mlp', 'Add#0', 'Embedding#0'])('%s: model.onnx passes onnx.checker (full_check)', (name) => {
    expect(py[find(name).dir]!['checker']).toBe('ok');
  });

  it('app.py compiles, registers GET /health and POST /predict, and answers the example request', () => {
    const r = py[find('mlp').dir]!;
    expect(r['routes']).toEqual(['GET /health', 'POST /predict']);
    expect(r['health']).toEqual({ ok: { status: 'ok', model: 'MLP on MNIST', inputs: { image: { shape: [null, 28, 28, 1], dtype: 'float32' } }, outputs: ['logits'] } });
    expect(r['example']).toMatchObject({ ok: { shapes: { logits: [1, 10] } } });
    expect(r['feeds']).toEqual({ image: [[1, 28, 28, 1], 'float32'] });
    expect(r['batch3']).toEqual({ logits: [3, 10] });
    // 784 ones reach the session: the fake returns their sum.
    expect((r['ones'] as { logits: number[][] }).logits[0]![0]).toBe(784);
  });

  it('feeds every input under its ONNX name and dtype (two inputs; int32 token ids)', () => {
    expect(py[find('Add#0').dir]!['feeds']).toEqual({ in0: [[1, 5], 'float32'], in1: [[1, 5], 'float32'] });
    expect(py[find('Embedding#0').dir]!['feeds']).toEqual({ in0: [[1, 7], 'int32'] });
    expect(find('Embedding#0').exported.inputs[0]!.dtype).toBe('int32');
  });

  it('answers requests that do not fit with 422 and a message naming the input', () => {
    const r = py[find('mlp').dir]!;
    expect(r['bad_shape']).toEqual({ status: 422, detail: "input 'image': shape [1, 2] does not fit [batch, 28, 28, 1]" });
    expect(r['missing']).toEqual({ status: 422, detail: "inputs must be exactly ['image']; missing ['image'], unknown []" });
    expect(r['not_numbers']).toMatchObject({ status: 422, detail: "input 'image': not a nested list of numbers of one shape" });
    expect(r['not_object']).toMatchObject({ status: 422, detail: expect.stringContaining('{"inputs"') });
    expect(r['no_runtime']).toBe('stub: no onnxruntime on this machine'); // the real session is created lazily, through onnxruntime
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
