// Python for what model.py needs beyond tf.keras: activations whose Keras version differs from
// TF.js's (or is missing in some Keras 2 releases), and Keras layers for NeuralForge's own
// kinds, written as small Layer subclasses with the math and weight order of
// src/engine/compile/custom/ (so weights.npz loads into them unchanged).

export const KERAS_HELPERS = ['hard_sigmoid', 'mish', 'gelu_tanh', 'BilinearUpSampling2D', 'PositionalEmbedding', 'TransformerEncoder'] as const;
export type KerasHelper = (typeof KERAS_HELPERS)[number];

const HARD_SIGMOID = `def hard_sigmoid(x):
    """TF.js's hard sigmoid, clip(0.2·x + 0.5, 0, 1) (Keras 3 changed its own to relu6(x + 3) / 6)."""
    return tf.clip_by_value(0.2 * x + 0.5, 0.0, 1.0)`;

const MISH = `def mish(x):
    """x · tanh(softplus(x))."""
    return x * tf.tanh(tf.math.softplus(x))`;

const GELU_TANH = `def gelu_tanh(x):
    """GELU with the tanh approximation (GPT-2's), as TF.js's 'gelu_new'."""
    return tf.nn.gelu(x, approximate=True)`;

const BILINEAR = `@keras.utils.register_keras_serializable(package='NeuralForge')
class BilinearUpSampling2D(layers.Layer):
    """TF.js's bilinear UpSampling2D: TF's resize without half-pixel centres (Keras's uses them)."""

    def __init__(self, size, **kwargs):
        super().__init__(**kwargs)
        self.size = (size, size) if isinstance(size, int) else tuple(size)

    def call(self, x):
        height, width = x.shape[1] * self.size[0], x.shape[2] * self.size[1]
        return tf.compat.v1.image.resize_bilinear(x, (height, width), align_corners=False, half_pixel_centers=False)

    def get_config(self):
        return {**super().get_config(), 'size': self.size}`;

const POSITIONAL = `@keras.utils.register_keras_serializable(package='NeuralForge')
class PositionalEmbedding(layers.Layer):
    """Adds a learned vector per position: the first T rows of a (max_length, D) table."""

    def __init__(self, max_length, **kwargs):
        super().__init__(**kwargs)
        self.max_length = max_length

    def build(self, input_shape):
        self.embeddings = self.add_weight(name='embeddings', shape=(self.max_length, input_shape[-1]), initializer='glorot_uniform')

    def call(self, x):
        return x + self.embeddings[:tf.shape(x)[1]]

    def get_config(self):
        return {**super().get_config(), 'max_length': self.max_length}`;

const TRANSFORMER = `@keras.utils.register_keras_serializable(package='NeuralForge')
class TransformerEncoder(layers.Layer):
    """keras-hub's TransformerEncoder as NeuralForge computes it: self-attention, then a two-layer
    feed-forward network, each with dropout, a residual and a layer norm after it (post-LN) or
    before it (pre-LN). Projections are (D, H·K) matrices, head by head, as in weights.npz."""

    def __init__(self, intermediate_dim, num_heads, dropout=0.0, activation='relu', layer_norm_epsilon=1e-5,
                 normalize_first=False, use_causal_mask=False, **kwargs):
        super().__init__(**kwargs)
        self.intermediate_dim, self.num_heads, self.dropout = intermediate_dim, num_heads, dropout
        self.activation = keras.activations.get(activation)
        self.layer_norm_epsilon, self.normalize_first, self.use_causal_mask = layer_norm_epsilon, normalize_first, use_causal_mask

    def build(self, input_shape):
        d, i = input_shape[-1], self.intermediate_dim
        weight = lambda name, shape, init: self.add_weight(name=name, shape=shape, initializer=init)
        dense = lambda name, n_in, n_out: (weight(name + '_kernel', (n_in, n_out), 'glorot_uniform'), weight(name + '_bias', (n_out,), 'zeros'))
        norm = lambda name: (weight(name + '_gamma', (d,), 'ones'), weight(name + '_beta', (d,), 'zeros'))
        # Created in NeuralForge's weight order, which is weights.npz's order for this layer.
        self.query, self.key, self.value, self.attention_output = [dense('self_attention_' + n, d, d) for n in ('query', 'key', 'value', 'output')]
        self.attention_norm = norm('self_attention_layer_norm')
        self.intermediate = dense('feedforward_intermediate_dense', d, i)
        self.feedforward_output = dense('feedforward_output_dense', i, d)
        self.feedforward_norm = norm('feedforward_layer_norm')

    def call(self, x, training=False):
        x = self._residual(x, self.attention_norm, lambda h: self._attention(h, training), training)
        return self._residual(x, self.feedforward_norm, self._feedforward, training)

    def _residual(self, x, norm, block, training):
        h = self._dropout(block(self._norm(x, norm) if self.normalize_first else x), training) + x
        return h if self.normalize_first else self._norm(h, norm)

    def _attention(self, h, training):
        steps, heads = tf.shape(h)[1], self.num_heads
        head_dim = h.shape[-1] // heads
        split = lambda t: tf.transpose(tf.reshape(t, (-1, steps, heads, head_dim)), (0, 2, 1, 3))  # (B, H, T, K)
        q, k, v = (split(self._dense(h, w)) for w in (self.query, self.key, self.value))
        scores = tf.matmul(q / head_dim ** 0.5, k, transpose_b=True)  # (B, H, T, T)
        if self.use_causal_mask:
            future = 1.0 - tf.linalg.band_part(tf.ones((steps, steps)), -1, 0)
            scores += future * -1e9
        weights = self._dropout(tf.nn.softmax(scores), training)
        context = tf.reshape(tf.transpose(tf.matmul(weights, v), (0, 2, 1, 3)), (-1, steps, heads * head_dim))
        return self._dense(context, self.attention_output)

    def _feedforward(self, h):
        return self._dense(self.activation(self._dense(h, self.intermediate)), self.feedforward_output)

    def _dense(self, x, kernel_bias):
        kernel, bias = kernel_bias
        return tf.matmul(x, kernel) + bias

    def _norm(self, x, gamma_beta):
        mean, variance = tf.nn.moments(x, axes=[-1], keepdims=True)
        return (x - mean) * tf.math.rsqrt(variance + self.layer_norm_epsilon) * gamma_beta[0] + gamma_beta[1]

    def _dropout(self, x, training):
        return tf.nn.dropout(x, self.dropout) if training and self.dropout > 0 else x

    def get_config(self):
        return {**super().get_config(), 'intermediate_dim': self.intermediate_dim, 'num_heads': self.num_heads,
                'dropout': self.dropout, 'activation': keras.activations.serialize(self.activation),
                'layer_norm_epsilon': self.layer_norm_epsilon, 'normalize_first': self.normalize_first,
                'use_causal_mask': self.use_causal_mask}`;

export const KERAS_HELPER_SOURCE: Readonly<Record<KerasHelper, string>> = {
  hard_sigmoid: HARD_SIGMOID,
  mish: MISH,
  gelu_tanh: GELU_TANH,
  BilinearUpSampling2D: BILINEAR,
  PositionalEmbedding: POSITIONAL,
  TransformerEncoder: TRANSFORMER,
};
