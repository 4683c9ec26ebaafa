// Hostile and broken ONNX files are refused fast, with a code and a message that says what and
// where, and without allocating what the file claims. Every refusal is timed (< 1 s).
import { describe, expect, it } from 'vitest';
import { importOnnx, IMPORT_LIMITS, OnnxImportError, type OnnxImportErrorCode } from '../../src/engine/import/onnx/index.js';
import { attr, floats, model, node, onnx, valueInfo } from './build.js';
import { rng } from '../../src/engine/random.js';
import { fixture } from './helpers.js';

/** Asserts importOnnx refuses `bytes` with `code` (and message text) in under a second. */
function refused(bytes: Uint8Array, code: OnnxImportErrorCode, message?: RegExp): OnnxImportError {
  const t0 = performance.now();
  let error: unknown;
  try {
    importOnnx(bytes);
  } catch (e) {
    error = e;
  }
  const ms = performance.now() - t0;
  expect(error).toBeInstanceOf(OnnxImportError);
  const e = error as OnnxImportError;
  expect({ code: e.code, message: e.message }).toMatchObject({ code, ...(message ? { message: expect.stringMatching(message) } : {}) });
  expect(ms).toBeLessThan(1000);
  return e;
}

type Tensor = Parameters<typeof onnx.TensorProto.encode>[0];

/** x [batch, 4] → Gemm(W [3, 4], b) → y, with W replaced by `weight`. */
function gemmModel(weight: Tensor, input = valueInfo('x', ['batch', 4])): Uint8Array {
  return model({
    nodes: [node('Gemm', ['x', 'W', 'b'], ['y'], [attr.int('transB', 1)], '/fc/Gemm')],
    inputs: [input],
    outputs: [valueInfo('y', ['batch', 3])],
    initializers: [weight, floats('b', [3], [0, 0, 0])],
  });
}

const W = (over: Partial<Tensor>): Tensor => ({ ...floats('W', [3, 4], new Float32Array(12)), ...over });

/** 100 MB of seeded noise, filled a word at a time (xorshift32). */
function noise(bytes: number, seed = 1): Uint8Array {
  const words = new Uint32Array(bytes / 4);
  let s = seed;
  for (let i = 0; i < words.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    words[i] = s >>> 0;
  }
  return new Uint8Array(words.buffer);
}

const MB = 1024 * 1024;

describe('external data', () => {
  it.each([
    ['../../etc/passwd', /"\.\.\/\.\.\/etc\/passwd", a path outside the model/],
    ['/etc/passwd', /"\/etc\/passwd", a path outside the model/],
    ['C:\\Windows\\win.ini', /a path outside the model/],
    ['weights.bin', /keeps its data in "weights\.bin"; only models with embedded weights/],
  ])('refuses a tensor stored in %s, naming the tensor', (location, message) => {
    const e = refused(gemmModel(W({ rawData: new Uint8Array(0), dataLocation: 1, externalData: [{ key: 'location', value: location }, { key: 'offset', value: '0' }] })), 'external-data', message);
    expect(e.where).toMatch(/initializer\[0\] "W"/);
  });

  it('refuses data_location = EXTERNAL even without a location entry', () => {
    refused(gemmModel(W({ rawData: new Uint8Array(0), dataLocation: 1 })), 'external-data', /keeps its data outside the file/);
  });
});

describe('absurd shapes', () => {
  it.each([
    ['a dimension of 2^40', W({ dims: [2 ** 40, 4], rawData: new Uint8Array(0) }), /dimension 1099511627776 is over 2\^31/],
    ['a negative dimension', W({ dims: [-3, 4], rawData: new Uint8Array(0) }), /dimension -3 is negative/],
    ['2^48 elements from dims each under 2^31', W({ dims: [65536, 65536, 65536], rawData: new Uint8Array(0) }), /make 281474976710656 elements, over the 268435456 limit/],
    ['raw_data shorter than its dims', W({ rawData: new Uint8Array(40) }), /raw_data holds 40 bytes, but dims \[3, 4\] of float32 need 48/],
    ['float_data longer than its dims', { name: 'W', dims: [3, 4], dataType: 1, floatData: new Array(13).fill(1) }, /holds 13 values, but dims \[3, 4\] need 12/],
    ['a tensor of rank 40', W({ dims: new Array(40).fill(1) }), /more than 16 dimensions/],
  ])('refuses %s', (_name, weight, message) => {
    refused(gemmModel(weight as Tensor), 'absurd-shape', message);
  });

  it('refuses an input dimension of 2^40', () => {
    refused(gemmModel(W({}), valueInfo('x', ['batch', 2 ** 40])), 'absurd-shape', /graph\.input\[0\]\.type.*dimension 1099511627776 is over 2\^31/);
  });
});

describe('truncated and garbage files', () => {
  const cnn = fixture('cnn');

  it.each([30, 200, 5000, cnn.length - 1])('refuses the CNN fixture cut at byte %i as truncated, with the byte offset', (cut) => {
    const e = refused(cnn.subarray(0, cut), 'truncated', /needs \d+ bytes but the file ends at byte \d+/);
    expect(e.where).toMatch(/^byte \d+$/);
  });

  it('refuses 100 MB of noise', () => {
    refused(noise(100 * MB), 'invalid', /not an ONNX model/);
  });

  it('refuses 100 MB of zeros (which protobuf decoders would skip through)', () => {
    refused(new Uint8Array(100 * MB), 'invalid', /tag 0/);
  });

  it('refuses a valid header whose graph claims 2 GB, without reading 100 MB of noise behind it', () => {
    const bytes = noise(100 * MB, 9);
    bytes.set([0x08, 0x08, 0x3a, 0xff, 0xff, 0xff, 0xff, 0x07]); // ir_version 8; graph, length 2^31 − 1
    refused(bytes, 'truncated', /graph needs 2147483647 bytes but the file ends at byte 104857600/);
  });

  it('refuses 100 MB of empty nodes at the node limit', () => {
    const bytes = new Uint8Array(100 * MB);
    bytes.set([0x3a, 0xf8, 0xff, 0xff, 0x31]); // graph, length 100 MB − 5
    for (let i = 5; i + 1 < bytes.length; i += 2) bytes[i] = 0x0a; // node {} (field 1, length 0)
    refused(bytes, 'too-large', /more than 5000 nodes/);
  });

  it(`refuses a file over ${IMPORT_LIMITS.maxBytes / MB} MB before looking at it`, () => {
    refused(new Uint8Array(IMPORT_LIMITS.maxBytes + 1), 'too-large', /models up to 512 MB/);
  });

  it('refuses an empty file and a wrong wire type, saying where', () => {
    refused(new Uint8Array(0), 'invalid', /empty/);
    refused(Uint8Array.of(0x38, 0x01), 'invalid', /field "graph" of Model has wire type 0, expected 2/);
  });

  it('refuses graphs nested 200 deep', () => {
    let g: Parameters<typeof onnx.GraphProto.encode>[0] = { name: 'leaf' };
    for (let i = 0; i < 200; i++) g = { name: `g${i}`, node: [{ opType: 'If', attribute: [{ name: 'then_branch', type: 5, g }] }] };
    refused(onnx.ModelProto.encode({ irVersion: 8, opsetImport: [{ version: 17 }], graph: g }).finish(), 'invalid', /nested deeper than 48 levels/);
  });
});

describe('corrupted fixtures', () => {
  it('imports or refuses 400 byte-mutated PyTorch exports, never with another error, each in under a second', () => {
    const names = ['mlp', 'cnn', 'resnet_block', 'lstm', 'vision_mix', 'seq_mix', 'embed', 'gru_reset_before'];
    const files = names.map(fixture);
    const r = rng(5);
    const outcomes = new Map<string, number>();
    let slowest = 0;
    for (let i = 0; i < 400; i++) {
      const bytes = files[i % files.length]!.slice();
      for (let k = 0; k < 1 + (i % 3); k++) bytes[Math.floor(r() * bytes.length)] = Math.floor(r() * 256);
      const t0 = performance.now();
      let outcome = 'imported';
      try {
        importOnnx(bytes);
      } catch (e) {
        outcome = e instanceof OnnxImportError ? e.code : `${(e as Error).name}: ${(e as Error).message}`;
      }
      slowest = Math.max(slowest, performance.now() - t0);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    const codes: string[] = ['imported', 'truncated', 'too-large', 'external-data', 'absurd-shape', 'unsupported-opset', 'invalid', 'unsupported', 'unmapped'];
    expect([...outcomes.keys()].filter((k) => !codes.includes(k))).toEqual([]);
    expect(outcomes.get('imported')).toBeGreaterThan(50); // a flipped weight byte still imports
    expect(outcomes.get('invalid')).toBeGreaterThan(50);
    expect(slowest).toBeLessThan(1000);
  });
});

describe('well-formed files the importer will not take', () => {
  it.each([7, 99])('refuses ai.onnx opset %i, naming the supported range', (opset) => {
    const bytes = model({ nodes: [node('Relu', ['x'], ['y'])], inputs: [valueInfo('x', ['batch', 4])], outputs: [valueInfo('y', ['batch', 4])], opset });
    refused(bytes, 'unsupported-opset', new RegExp(`opset ${opset}; opsets 11 to 17 can be imported`));
  });

  it('refuses more nodes than a project may hold', () => {
    const nodes = Array.from({ length: 5001 }, (_, i) => node('Relu', [i ? `v${i - 1}` : 'x'], [`v${i}`], [], `/r${i}`));
    refused(model({ nodes, inputs: [valueInfo('x', ['batch', 4])], outputs: [valueInfo('v5000', ['batch', 4])] }), 'too-large', /more than 5000 nodes/);
  });

  it('names a node that reads a value nothing produces', () => {
    const bytes = model({ nodes: [node('Relu', ['nope'], ['y'], [], '/act/Relu')], inputs: [valueInfo('x', ['batch', 4])], outputs: [valueInfo('y', ['batch', 4])] });
    const e = refused(bytes, 'invalid', /input "nope" is not produced by an earlier node/);
    expect(e.where).toBe('node "/act/Relu" (Relu)');
  });

  it('names an attribute of the wrong type', () => {
    const bytes = model({
      nodes: [node('Gemm', ['x', 'W'], ['y'], [attr.float('transB', 1)], '/fc/Gemm')],
      inputs: [valueInfo('x', ['batch', 4])],
      outputs: [valueInfo('y', ['batch', 3])],
      initializers: [floats('W', [3, 4], new Float32Array(12))],
    });
    refused(bytes, 'invalid', /node "\/fc\/Gemm" \(Gemm\): attribute "transB" is a float, expected int/);
  });

  it('refuses a symbolic size other than the batch, naming the input and dimension', () => {
    refused(gemmModel(W({}), valueInfo('x', ['batch', 'features'])), 'unsupported', /input "x": dimension 1 is "features"; only the batch may vary/);
  });
});
