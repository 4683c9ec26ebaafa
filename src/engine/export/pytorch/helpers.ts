// Python helpers model.py defines when a node needs them: what TF.js computes and PyTorch has
// no built-in for (a GRU with the reset gate before the product, Keras attention, TF's
// bilinear resize, averages that skip padding). Each is written once, here.

export const HELPER_NAMES = ['hard_sigmoid', 'resize_bilinear', 'average_pool_excluding_padding', 'GRU', 'MultiHeadAttention', 'TransformerEncoder'] as const;
export type HelperName = (typeof HELPER_NAMES)[number];

interface Helper {
  readonly needs: readonly HelperName[];
  /** Modules beyond torch, nn and F that the source uses. */
  readonly imports: readonly string[];
  readonly source: string;
}

const HARD_SIGMOID = `def hard_sigmoid(x):
    """TF.js's hard sigmoid, clip(0.2·x + 0.5, 0, 1); F.hardsigmoid uses a slope of 1/6."""
    return torch.clamp(0.2 * x + 0.5, 0.0, 1.0)`;

const RESIZE_BILINEAR = `def resize_bilinear(x, size):
    """Bilinear resize of (B, C, H, W) as TF.js's UpSampling2D does it: source = target · in/out,
    without F.interpolate's half-pixel offset."""
    def taps(n_in, n_out):
        src = torch.arange(n_out, dtype=x.dtype, device=x.device) * (n_in / n_out)
        lo = src.floor().long()
        return lo, (lo + 1).clamp(max=n_in - 1), src - lo
    y0, y1, fy = taps(x.shape[2], size[0])
    x0, x1, fx = taps(x.shape[3], size[1])
    rows = x[:, :, y0] + (x[:, :, y1] - x[:, :, y0]) * fy[:, None]  # (B, C, size[0], W)
    return rows[..., x0] + (rows[..., x1] - rows[..., x0]) * fx`;

const AVERAGE_POOL = `def average_pool_excluding_padding(x, pool, pads):
    """Average pooling over x zero-padded by \`pads\` (F.pad order), divided by the real inputs in
    each window as TF's 'same' padding does: PyTorch pads only symmetrically."""
    ones = torch.ones_like(x[:1, :1])
    return pool(F.pad(x, pads)) / pool(F.pad(ones, pads))`;

const GRU = `class GRU(nn.Module):
    """Keras's GRU with reset_after=False, the only kind TF.js has: the reset gate scales the state
    before the recurrent product, which nn.GRU cannot do. Gates in Keras order (z, r, h); weights
    laid out as nn.GRU's, one bias per direction. Returns (outputs, last states) as nn.GRU with
    batch_first=True."""

    def __init__(self, input_size, hidden_size, bias=True, bidirectional=False,
                 activation=torch.tanh, recurrent_activation=torch.sigmoid):
        super().__init__()
        self.hidden_size = hidden_size
        self.activation = activation
        self.recurrent_activation = recurrent_activation
        self.directions = ['', '_reverse'] if bidirectional else ['']
        bound = 1 / math.sqrt(hidden_size)  # nn.GRU's initialisation
        for d in self.directions:
            self.register_parameter('weight_ih_l0' + d, nn.Parameter(torch.empty(3 * hidden_size, input_size).uniform_(-bound, bound)))
            self.register_parameter('weight_hh_l0' + d, nn.Parameter(torch.empty(3 * hidden_size, hidden_size).uniform_(-bound, bound)))
            self.register_parameter('bias_l0' + d, nn.Parameter(torch.zeros(3 * hidden_size)) if bias else None)

    def forward(self, x):  # (B, T, F)
        outputs, last = [], []
        for d in self.directions:
            steps = self._run(x.flip(1) if d else x, getattr(self, 'weight_ih_l0' + d),
                              getattr(self, 'weight_hh_l0' + d), getattr(self, 'bias_l0' + d))
            outputs.append(steps.flip(1) if d else steps)
            last.append(steps[:, -1])
        return torch.cat(outputs, -1), torch.stack(last)  # (B, T, directions·H), (directions, B, H)

    def _run(self, x, weight_ih, weight_hh, bias):
        gates_x = F.linear(x, weight_ih, bias)  # (B, T, 3H): z, r, h
        weight_zr, weight_h = weight_hh.split([2 * self.hidden_size, self.hidden_size])
        h = x.new_zeros(x.shape[0], self.hidden_size)
        steps = []
        for t in range(x.shape[1]):
            x_z, x_r, x_h = gates_x[:, t].chunk(3, -1)
            h_z, h_r = F.linear(h, weight_zr).chunk(2, -1)
            z = self.recurrent_activation(x_z + h_z)
            r = self.recurrent_activation(x_r + h_r)
            candidate = self.activation(x_h + F.linear(r * h, weight_h))
            h = z * h + (1 - z) * candidate
            steps.append(h)
        return torch.stack(steps, 1)  # (B, T, H)`;

const MULTI_HEAD_ATTENTION = `class MultiHeadAttention(nn.Module):
    """Keras's MultiHeadAttention: per head softmax(q·kᵀ/√key_dim)·v, heads concatenated and
    projected. Projection outputs are ordered head by head (column h·key_dim + k)."""

    def __init__(self, num_heads, key_dim, value_dim, query_size, key_size, value_size, output_size,
                 bias=True, dropout=0.0, causal=False):
        super().__init__()
        self.num_heads, self.key_dim, self.value_dim, self.causal = num_heads, key_dim, value_dim, causal
        self.query = nn.Linear(query_size, num_heads * key_dim, bias=bias)
        self.key = nn.Linear(key_size, num_heads * key_dim, bias=bias)
        self.value = nn.Linear(value_size, num_heads * value_dim, bias=bias)
        self.output = nn.Linear(num_heads * value_dim, output_size, bias=bias)
        self.dropout = nn.Dropout(dropout)

    def forward(self, query, value, key=None):  # query (B, Tq, Dq), value (B, Tv, Dv), key (B, Tv, Dk)
        key = value if key is None else key
        (b, tq, _), tv = query.shape, value.shape[1]
        q = self.query(query).view(b, tq, self.num_heads, self.key_dim).transpose(1, 2)  # (B, H, Tq, K)
        k = self.key(key).view(b, tv, self.num_heads, self.key_dim).transpose(1, 2)  # (B, H, Tv, K)
        v = self.value(value).view(b, tv, self.num_heads, self.value_dim).transpose(1, 2)  # (B, H, Tv, V)
        scores = (q / math.sqrt(self.key_dim)) @ k.transpose(-2, -1)  # (B, H, Tq, Tv)
        if self.causal:
            future = torch.ones(tq, tv, dtype=torch.bool, device=scores.device).triu(1)
            scores = scores.masked_fill(future, float('-inf'))
        weights = self.dropout(scores.softmax(-1))
        context = (weights @ v).transpose(1, 2).reshape(b, tq, -1)  # (B, Tq, H·V)
        return self.output(context)`;

const TRANSFORMER_ENCODER = `class TransformerEncoder(nn.Module):
    """keras-hub's TransformerEncoder: self-attention, then a two-layer feed-forward network, each
    with dropout, a residual connection and a layer norm after it (post-LN, BERT) or before it
    (pre-LN, GPT-2)."""

    def __init__(self, size, num_heads, intermediate_size, dropout=0.0, activation=F.relu,
                 layer_norm_eps=1e-5, normalize_first=False, causal=False):
        super().__init__()
        head = size // num_heads
        self.self_attention = MultiHeadAttention(num_heads, head, head, size, size, size, size, dropout=dropout, causal=causal)
        self.self_attention_layer_norm = nn.LayerNorm(size, eps=layer_norm_eps)
        self.feedforward_intermediate_dense = nn.Linear(size, intermediate_size)
        self.feedforward_output_dense = nn.Linear(intermediate_size, size)
        self.feedforward_layer_norm = nn.LayerNorm(size, eps=layer_norm_eps)
        self.dropout = nn.Dropout(dropout)
        self.activation = activation
        self.normalize_first = normalize_first

    def forward(self, x):  # (B, T, D)
        x = self._residual(x, self.self_attention_layer_norm, lambda h: self.self_attention(h, h))
        return self._residual(x, self.feedforward_layer_norm, self._feedforward)

    def _feedforward(self, h):
        return self.feedforward_output_dense(self.activation(self.feedforward_intermediate_dense(h)))

    def _residual(self, x, norm, block):
        h = self.dropout(block(norm(x) if self.normalize_first else x)) + x
        return h if self.normalize_first else norm(h)`;

export const HELPERS: Readonly<Record<HelperName, Helper>> = {
  hard_sigmoid: { needs: [], imports: [], source: HARD_SIGMOID },
  resize_bilinear: { needs: [], imports: [], source: RESIZE_BILINEAR },
  average_pool_excluding_padding: { needs: [], imports: [], source: AVERAGE_POOL },
  GRU: { needs: [], imports: ['math'], source: GRU },
  MultiHeadAttention: { needs: [], imports: ['math'], source: MULTI_HEAD_ATTENTION },
  TransformerEncoder: { needs: ['MultiHeadAttention'], imports: [], source: TRANSFORMER_ENCODER },
};

/** The helpers `wanted` and what they need, in HELPER_NAMES order (dependencies first). */
export function helperClosure(wanted: Iterable<HelperName>): HelperName[] {
  const all = new Set<HelperName>();
  const add = (h: HelperName): void => {
    if (all.has(h)) return;
    all.add(h);
    HELPERS[h].needs.forEach(add);
  };
  for (const h of wanted) add(h);
  return HELPER_NAMES.filter((h) => all.has(h));
}
