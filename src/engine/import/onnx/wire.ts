// One pass over the protobuf wire format before any decoder runs: field numbers, wire types and
// lengths must be sound, counts stay under the caps, and every tensor's declared shape, data
// size and location are checked. Hostile files are refused here, allocating nothing they claim.
import { refuse } from './errors.js';
import { IMPORT_LIMITS as L } from './limits.js';
import { decodeUtf8 } from './text.js';
import { DATA_TYPE_NAMES, ELEMENT_BYTES, ONNX_SCHEMA, typedField, type FieldSpec, type MessageName } from './wire-schema.js';

/** What the scan learned about one TensorProto, from its headers only. */
interface TensorHeader {
  name: string;
  dims: number[];
  dataType: number;
  rawBytes: number | null;
  /** Values per typed field number (float_data = 4, int32_data = 5, …). */
  counts: Map<number, number>;
  external: boolean;
  location: string | null;
}

export interface WireSummary {
  readonly nodes: number;
  readonly initializers: number;
  readonly elements: number;
}

const MAX_NAME_BYTES = 512;

class Scanner {
  private pos = 0;
  private fields = 0;
  nodes = 0;
  initializers = 0;
  elements = 0;

  constructor(private readonly b: Uint8Array) {}

  /** A varint read as a signed 64-bit integer, as a number (exact below 2^53). */
  private varint(): { value: number; negative: boolean } {
    const b = this.b;
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 7; i++) {
      if (this.pos >= b.length) refuse('truncated', `the file ends inside a number at byte ${this.pos}`, `byte ${this.pos}`);
      const byte = b[this.pos++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return { value, negative: false };
      scale *= 128;
    }
    return this.longVarint(BigInt(value));
  }

  /** The rest of a varint over 7 bytes (huge or negative int64s), exactly, with BigInt. */
  private longVarint(low: bigint): { value: number; negative: boolean } {
    let big = low;
    for (let i = 7; i < 10; i++) {
      if (this.pos >= this.b.length) refuse('truncated', `the file ends inside a number at byte ${this.pos}`, `byte ${this.pos}`);
      const byte = this.b[this.pos++]!;
      big += BigInt(byte & 0x7f) << BigInt(7 * i);
      if (byte < 0x80) {
        const signed = BigInt.asIntN(64, big);
        return { value: Number(signed), negative: signed < 0n };
      }
    }
    return refuse('invalid', 'a number runs over 10 bytes', `byte ${this.pos}`);
  }

  /** A length prefix: a varint in 0…2^32. */
  private length(): number {
    const at = this.pos;
    const { value, negative } = this.varint();
    if (negative || value > 0xffffffff) refuse('invalid', `a length of ${value} bytes; this is not an ONNX model`, `byte ${at}`);
    return value;
  }

  private skip(n: number, what: string, end: number): void {
    if (this.pos + n > this.b.length) refuse('truncated', `${what} needs ${n} bytes but the file ends at byte ${this.b.length}`, `byte ${this.pos}`);
    if (this.pos + n > end) refuse('invalid', `${what} runs past the end of its enclosing message`, `byte ${this.pos}`);
    this.pos += n;
  }

  /** Scans one message spanning [pos, end); `tensor` collects a TensorProto's headers. */
  scan(msg: MessageName, end: number, path: string, depth: number, tensor?: TensorHeader): void {
    if (depth > L.maxDepth) refuse('invalid', `messages nested deeper than ${L.maxDepth} levels`, path);
    const schema = ONNX_SCHEMA[msg];
    const seen = new Map<number, number>();
    while (this.pos < end) {
      const at = this.pos;
      const { value: tag } = this.varint();
      const field = Math.floor(tag / 8);
      const wire = tag % 8;
      if (field <= 0 || tag > 0xffffffff) refuse('invalid', `not a protobuf field (tag ${tag}); this is not an ONNX model`, `byte ${at}`);
      if (++this.fields > L.maxFields) refuse('too-large', `more than ${L.maxFields} protobuf fields`, `byte ${at}`);
      const spec = schema[field];
      if (spec && wire !== spec.wire && !(spec.packed && wire === 2))
        refuse('invalid', `field "${spec.name}" of ${msg} has wire type ${wire}, expected ${spec.wire}: the file is corrupt or not an ONNX model`, `${path || 'model'} at byte ${at}`);
      switch (wire) {
        case 0: {
          const v = this.varint();
          if (spec) this.scalar(msg, spec, field, v, path, tensor);
          break;
        }
        case 1: this.skip(8, `field ${field}`, end); if (tensor) bump(tensor.counts, field, 1); break;
        case 5: this.skip(4, `field ${field}`, end); if (tensor) bump(tensor.counts, field, 1); break;
        case 2: {
          const len = this.length();
          const start = this.pos;
          const name = spec?.name ?? `field ${field}`;
          this.skip(len, `${path ? `${path}.` : ''}${name}`, end);
          if (!spec) break;
          if (spec.msg) {
            const i = seen.get(field) ?? 0;
            seen.set(field, i + 1);
            this.pos = start;
            const at = `${path ? `${path}.` : ''}${spec.name}${spec.repeated ? `[${i}]` : ''}`;
            this.enter(msg, spec, start + len, at, depth, tensor);
            this.pos = start + len;
          } else if (spec.packed) this.packed(spec, field, start, len, path, tensor);
          else if (tensor) this.tensorBytes(tensor, field, start, len);
          break;
        }
        default:
          refuse('invalid', `wire type ${wire} is not used by ONNX; this is not an ONNX model`, `byte ${at}`);
      }
    }
  }

  private enter(parent: MessageName, spec: FieldSpec, end: number, path: string, depth: number, tensor?: TensorHeader): void {
    const msg = spec.msg!;
    if (parent === 'Graph' && spec.name === 'node' && ++this.nodes > L.maxNodes) refuse('too-large', `more than ${L.maxNodes} nodes`, path);
    if (parent === 'Graph' && spec.name === 'initializer' && ++this.initializers > L.maxInitializers)
      refuse('too-large', `more than ${L.maxInitializers} initializers`, path);
    if (msg === 'Tensor') {
      const h: TensorHeader = { name: '', dims: [], dataType: 0, rawBytes: null, counts: new Map(), external: false, location: null };
      this.scan(msg, end, path, depth + 1, h);
      this.checkTensor(h, h.name ? `${path} "${h.name}"` : path);
      return;
    }
    // external_data entries: remember the location for the message.
    if (parent === 'Tensor' && msg === 'StringStringEntry' && tensor) {
      tensor.external = true;
      const entry = this.entry(end);
      if (entry.key === 'location') tensor.location = entry.value;
    }
    this.scan(msg, end, path, depth + 1);
  }

  /** A StringStringEntryProto's key and value (each cut to MAX_NAME_BYTES), read without moving on. */
  private entry(end: number): { key: string; value: string } {
    const out = { key: '', value: '' };
    const save = this.pos;
    while (this.pos < end) {
      const { value: tag } = this.varint();
      if (tag % 8 !== 2) break;
      const len = this.length();
      if (this.pos + len > end) break;
      const text = decodeUtf8(this.b.subarray(this.pos, this.pos + Math.min(len, MAX_NAME_BYTES)));
      if (tag >>> 3 === 1) out.key = text;
      else if (tag >>> 3 === 2) out.value = text;
      this.pos += len;
    }
    this.pos = save;
    return out;
  }

  private scalar(msg: MessageName, spec: FieldSpec, field: number, v: { value: number; negative: boolean }, path: string, tensor?: TensorHeader): void {
    if (tensor) {
      if (field === 1) tensor.dims.push(v.value);
      else if (field === 2) tensor.dataType = v.value;
      else if (field === 14) tensor.external ||= v.value === 1;
      else bump(tensor.counts, field, 1);
      if (tensor.dims.length > L.maxRank) refuse('absurd-shape', `a tensor with more than ${L.maxRank} dimensions`, path);
    }
    if (msg === 'Dimension' && spec.name === 'dim_value' && (v.negative || v.value > L.maxDim))
      refuse('absurd-shape', `dimension ${v.value} is ${v.negative ? 'negative' : `over 2^31`}`, path);
  }

  /** A packed repeated scalar: counts its values (decoding dims), capping 64-bit lists. */
  private packed(spec: FieldSpec, field: number, start: number, len: number, path: string, tensor?: TensorHeader): void {
    if (spec.int64 && len > L.maxPackedInt64Bytes) refuse('too-large', `"${spec.name}" holds ${len} bytes of 64-bit integers`, path);
    const width = spec.wire === 5 ? 4 : spec.wire === 1 ? 8 : 0;
    if (width && len % width !== 0) refuse('invalid', `packed "${spec.name}" has ${len} bytes, not a multiple of ${width}`, path);
    if (!tensor) return;
    if (field === 1) {
      const end = start + len;
      this.pos = start;
      while (this.pos < end) {
        const v = this.varint();
        tensor.dims.push(v.value);
        if (tensor.dims.length > L.maxRank) refuse('absurd-shape', `a tensor with more than ${L.maxRank} dimensions`, path);
      }
      this.pos = end;
      return;
    }
    let n = len / (width || 1);
    if (!width) {
      n = 0;
      for (let i = start; i < start + len; i++) if (this.b[i]! < 0x80) n++;
    }
    bump(tensor.counts, field, n);
  }

  private tensorBytes(tensor: TensorHeader, field: number, start: number, len: number): void {
    if (field === 8) tensor.name = decodeUtf8(this.b.subarray(start, start + Math.min(len, MAX_NAME_BYTES)));
    else if (field === 9) tensor.rawBytes = len;
    else if (field === 6) bump(tensor.counts, 6, 1);
  }

  private checkTensor(h: TensorHeader, where: string): void {
    if (h.external) {
      const loc = h.location;
      const outside = loc !== null && (/^([/\\]|[A-Za-z]:)/.test(loc) || loc.split(/[/\\]/).includes('..'));
      refuse(
        'external-data',
        loc === null
          ? 'keeps its data outside the file; only models with embedded weights can be imported'
          : `keeps its data in "${loc}"${outside ? ', a path outside the model' : ''}; only models with embedded weights can be imported`,
        where,
      );
    }
    let count = 1;
    for (const d of h.dims) {
      if (d < 0) refuse('absurd-shape', `dimension ${d} is negative (dims [${h.dims.join(', ')}])`, where);
      if (d > L.maxDim) refuse('absurd-shape', `dimension ${d} is over 2^31 (dims [${h.dims.join(', ')}])`, where);
      count *= d;
    }
    if (count > L.maxElements) refuse('absurd-shape', `dims [${h.dims.join(', ')}] make ${count} elements, over the ${L.maxElements} limit`, where);
    this.elements += count;
    if (this.elements > L.maxElements) refuse('too-large', `tensors hold more than ${L.maxElements} elements in total`, where);
    const type = DATA_TYPE_NAMES[h.dataType];
    if (!type) refuse('invalid', `unknown data type ${h.dataType}`, where);
    if (h.rawBytes !== null) {
      const need = count * (ELEMENT_BYTES[h.dataType] ?? 0);
      if (h.dataType === 8) refuse('invalid', 'a string tensor cannot use raw_data', where);
      if (h.rawBytes !== need)
        refuse('absurd-shape', `raw_data holds ${h.rawBytes} bytes, but dims [${h.dims.join(', ')}] of ${type} need ${need}`, where);
      return;
    }
    const typed = typedField(h.dataType)!;
    const have = h.counts.get(typed.field) ?? 0;
    if (have !== count * typed.perElement)
      refuse('absurd-shape', `holds ${have} values, but dims [${h.dims.join(', ')}] need ${count * typed.perElement}`, where);
  }
}

function bump(m: Map<number, number>, k: number, n: number): void {
  m.set(k, (m.get(k) ?? 0) + n);
}

/**
 * Checks the wire format of a whole ModelProto, and every tensor's declared size and location.
 * @throws OnnxImportError ('truncated', 'invalid', 'too-large', 'absurd-shape', 'external-data').
 */
export function scanWire(bytes: Uint8Array): WireSummary {
  const s = new Scanner(bytes);
  s.scan('Model', bytes.length, '', 0);
  return { nodes: s.nodes, initializers: s.initializers, elements: s.elements };
}
