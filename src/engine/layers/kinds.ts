// Every layer kind NeuralForge knows, by its Keras class name. Adding one here without
// a spec in the registry is a compile error (see registry.ts).

export const LAYER_KINDS = [
  'Input',
  // core
  'Dense', 'Activation', 'Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'Flatten', 'Reshape', 'Permute', 'RepeatVector', 'Embedding',
  // convolution
  'Conv1D', 'Conv2D', 'Conv3D', 'Conv2DTranspose', 'DepthwiseConv2D', 'SeparableConv2D',
  // pooling and resampling
  'MaxPooling1D', 'MaxPooling2D', 'MaxPooling3D', 'AveragePooling1D', 'AveragePooling2D', 'AveragePooling3D',
  'GlobalAveragePooling1D', 'GlobalAveragePooling2D', 'GlobalMaxPooling1D', 'GlobalMaxPooling2D',
  'UpSampling2D', 'ZeroPadding2D', 'Cropping2D',
  // recurrent
  'SimpleRNN', 'LSTM', 'GRU',
  // attention
  'MultiHeadAttention', 'PositionalEmbedding', 'TransformerEncoder',
  // normalization
  'BatchNormalization', 'LayerNormalization', 'GroupNormalization',
  // activations as layers
  'ReLU', 'LeakyReLU', 'PReLU', 'ELU', 'GELU', 'SiLU', 'Softmax', 'Sigmoid', 'Tanh',
  // merge
  'Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Concatenate',
] as const;

export type LayerKind = (typeof LAYER_KINDS)[number];

const KIND_SET: ReadonlySet<string> = new Set(LAYER_KINDS);
export const isLayerKind = (s: string): s is LayerKind => KIND_SET.has(s);

export type LayerCategory =
  | 'input' | 'core' | 'convolution' | 'pooling' | 'reshaping' | 'recurrent'
  | 'attention' | 'normalization' | 'activation' | 'merge';
