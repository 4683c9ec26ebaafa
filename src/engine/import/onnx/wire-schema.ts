// The field numbers and wire types of the ONNX messages (onnx.proto, IR version 8), as data for
// the pre-decode scan in wire.ts. Unknown fields are allowed (newer IR versions add some).

/** Protobuf wire types ONNX uses: varint, 64-bit, length-delimited, 32-bit. */
export type Wire = 0 | 1 | 2 | 5;

export type MessageName =
  | 'Model' | 'Graph' | 'Node' | 'Attribute' | 'Tensor' | 'Segment' | 'SparseTensor' | 'ValueInfo'
  | 'Type' | 'TypeTensor' | 'TypeSequence' | 'TypeMap' | 'TypeOptional' | 'TensorShape' | 'Dimension'
  | 'OperatorSetId' | 'StringStringEntry' | 'TensorAnnotation' | 'TrainingInfo' | 'Function';

export interface FieldSpec {
  readonly name: string;
  readonly wire: Wire;
  /** Set for sub-messages, which the scan enters. */
  readonly msg?: MessageName;
  /** A repeated sub-message: error paths show its index. */
  readonly repeated?: boolean;
  /** A repeated scalar: written packed (wire 2) or one field per value. */
  readonly packed?: boolean;
  /** Decodes to 64-bit integers (one object each in protobufjs): its packed size is capped. */
  readonly int64?: boolean;
}

const str = (name: string): FieldSpec => ({ name, wire: 2 });
/** A repeated sub-message (paths show its index) and a singular one. */
const sub = (name: string, msg: MessageName): FieldSpec => ({ name, wire: 2, msg, repeated: true });
const one = (name: string, msg: MessageName): FieldSpec => ({ name, wire: 2, msg });
const varint = (name: string): FieldSpec => ({ name, wire: 0 });
const packed = (name: string, wire: Wire, int64 = false): FieldSpec => ({ name, wire, packed: true, int64 });

export const ONNX_SCHEMA: Readonly<Record<MessageName, Readonly<Record<number, FieldSpec>>>> = {
  Model: {
    1: varint('ir_version'), 2: str('producer_name'), 3: str('producer_version'), 4: str('domain'), 5: varint('model_version'),
    6: str('doc_string'), 7: one('graph', 'Graph'), 8: sub('opset_import', 'OperatorSetId'), 14: sub('metadata_props', 'StringStringEntry'),
    20: sub('training_info', 'TrainingInfo'), 25: sub('functions', 'Function'),
  },
  Graph: {
    1: sub('node', 'Node'), 2: str('name'), 5: sub('initializer', 'Tensor'), 10: str('doc_string'), 11: sub('input', 'ValueInfo'),
    12: sub('output', 'ValueInfo'), 13: sub('value_info', 'ValueInfo'), 14: sub('quantization_annotation', 'TensorAnnotation'),
    15: sub('sparse_initializer', 'SparseTensor'),
  },
  Node: { 1: str('input'), 2: str('output'), 3: str('name'), 4: str('op_type'), 5: sub('attribute', 'Attribute'), 6: str('doc_string'), 7: str('domain') },
  Attribute: {
    1: str('name'), 2: { name: 'f', wire: 5 }, 3: varint('i'), 4: str('s'), 5: one('t', 'Tensor'), 6: one('g', 'Graph'), 7: packed('floats', 5),
    8: packed('ints', 0, true), 9: str('strings'), 10: sub('tensors', 'Tensor'), 11: sub('graphs', 'Graph'), 13: str('doc_string'),
    14: one('tp', 'Type'), 15: sub('type_protos', 'Type'), 20: varint('type'), 21: str('ref_attr_name'), 22: one('sparse_tensor', 'SparseTensor'),
    23: sub('sparse_tensors', 'SparseTensor'),
  },
  Tensor: {
    1: packed('dims', 0, true), 2: varint('data_type'), 3: one('segment', 'Segment'), 4: packed('float_data', 5), 5: packed('int32_data', 0),
    6: str('string_data'), 7: packed('int64_data', 0, true), 8: str('name'), 9: str('raw_data'), 10: packed('double_data', 1),
    11: packed('uint64_data', 0, true), 12: str('doc_string'), 13: sub('external_data', 'StringStringEntry'), 14: varint('data_location'),
  },
  Segment: { 1: varint('begin'), 2: varint('end') },
  SparseTensor: { 1: one('values', 'Tensor'), 2: one('indices', 'Tensor'), 3: packed('dims', 0, true) },
  ValueInfo: { 1: str('name'), 2: one('type', 'Type'), 3: str('doc_string') },
  Type: {
    1: one('tensor_type', 'TypeTensor'), 4: one('sequence_type', 'TypeSequence'), 5: one('map_type', 'TypeMap'), 6: str('denotation'),
    8: one('sparse_tensor_type', 'TypeTensor'), 9: one('optional_type', 'TypeOptional'),
  },
  TypeTensor: { 1: varint('elem_type'), 2: one('shape', 'TensorShape') },
  TypeSequence: { 1: one('elem_type', 'Type') },
  TypeMap: { 1: varint('key_type'), 2: one('value_type', 'Type') },
  TypeOptional: { 1: one('elem_type', 'Type') },
  TensorShape: { 1: sub('dim', 'Dimension') },
  Dimension: { 1: varint('dim_value'), 2: str('dim_param'), 3: str('denotation') },
  OperatorSetId: { 1: str('domain'), 2: varint('version') },
  StringStringEntry: { 1: str('key'), 2: str('value') },
  TensorAnnotation: { 1: str('tensor_name'), 2: sub('quant_parameter_tensor_names', 'StringStringEntry') },
  TrainingInfo: {
    1: one('initialization', 'Graph'), 2: one('algorithm', 'Graph'), 3: sub('initialization_binding', 'StringStringEntry'),
    4: sub('update_binding', 'StringStringEntry'),
  },
  Function: {
    1: str('name'), 4: str('input'), 5: str('output'), 6: str('attribute'), 7: sub('node', 'Node'), 8: str('doc_string'),
    9: sub('opset_import', 'OperatorSetId'), 10: str('domain'),
  },
};

/** TensorProto.DataType → bytes per element in raw_data (STRING = 8 has no fixed size). */
export const ELEMENT_BYTES: Readonly<Record<number, number>> = {
  1: 4, 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 8, 9: 1, 10: 2, 11: 8, 12: 4, 13: 8, 14: 8, 15: 16, 16: 2,
};

export const DATA_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string', 9: 'bool',
  10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64', 14: 'complex64', 15: 'complex128', 16: 'bfloat16',
};

/** Which typed field holds a tensor's values when it has no raw_data, and how many per element. */
export function typedField(dataType: number): { readonly field: number; readonly perElement: number } | null {
  switch (dataType) {
    case 1: return { field: 4, perElement: 1 };
    case 14: return { field: 4, perElement: 2 };
    case 2: case 3: case 4: case 5: case 6: case 9: case 10: case 16: return { field: 5, perElement: 1 };
    case 7: return { field: 7, perElement: 1 };
    case 8: return { field: 6, perElement: 1 };
    case 11: return { field: 10, perElement: 1 };
    case 15: return { field: 10, perElement: 2 };
    case 12: case 13: return { field: 11, perElement: 1 };
    default: return null;
  }
}
