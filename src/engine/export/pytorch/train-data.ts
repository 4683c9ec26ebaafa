// train.py's data section: which reader the project's dataset needs (built-in MNIST, a CSV
// table, labelled texts, a character corpus, or a generic .npz), and that reader in Python.
// Each follows NeuralForge's own preprocessing (src/engine/data/); MNIST and corpora give the
// very same splits, tables and texts a seeded split of the same sizes.
import { fileFormat } from '../../data/load.js';
import type { LossName } from '../../train/config.js';
import { pyStr } from '../python-code.js';
import type { TorchGraph } from './graph.js';

export type TrainData =
  | { readonly kind: 'mnist'; readonly file: string }
  | { readonly kind: 'table'; readonly file: string; readonly label: string | null; readonly classes: boolean; readonly features: number }
  | { readonly kind: 'text'; readonly file: string; readonly label: string | null; readonly length: number; readonly maxVocab: number }
  | { readonly kind: 'corpus'; readonly file: string; readonly length: number; readonly maxVocab: number }
  | { readonly kind: 'npz'; readonly file: string };

const REGRESSION: readonly LossName[] = ['meanSquaredError', 'meanAbsoluteError', 'huber'];

/** The vocabulary the model can index: the inputDim of the Embedding its input feeds, else NeuralForge's default. */
function vocabulary(g: TorchGraph, fallback: number): number {
  const embedding = g.consumers.get(g.inputs[0]!)!.map((c) => g.byId.get(c)!).find((n) => n.kind === 'Embedding');
  return embedding ? (embedding.info.params as { inputDim: number }).inputDim : fallback;
}

/**
 * The reader for the project's dataset. Images (zips, folders) and datasets train.py cannot
 * rebuild (Iris, synthetic sets) come as a generic .npz.
 */
export function trainData(dataset: { source?: string; name?: string; path?: string; url?: string; label?: string }, g: TorchGraph, loss: LossName): TrainData {
  const input = g.byId.get(g.inputs[0]!)!.info.output;
  if (dataset.source === 'builtin' && dataset.name === 'mnist') return { kind: 'mnist', file: 'mnist.bin' };
  const where = dataset.source === 'file' ? dataset.path : dataset.source === 'remote' ? dataset.url?.split(/[?#]/)[0] : undefined;
  const file = where?.split(/[/\\]/).pop();
  const task = loss === 'nextTokenCrossentropy' ? 'language-modeling' : REGRESSION.includes(loss) ? 'regression' : 'classification';
  const length = input.shape[1] ?? 0;
  let format: ReturnType<typeof fileFormat> | null = null;
  try {
    format = file ? fileFormat(file, { input: { shape: input.shape.slice(1), dtype: input.dtype }, task }) : task === 'language-modeling' ? 'corpus' : null;
  } catch {
    format = null; // an extension NeuralForge does not read: the generic .npz
  }
  const label = dataset.label ?? null;
  switch (format) {
    case 'table': return { kind: 'table', file: file!, label, classes: task !== 'regression', features: input.shape.at(-1) ?? 0 };
    case 'text': return { kind: 'text', file: file!, label, length, maxVocab: vocabulary(g, 10_000) };
    case 'corpus': return { kind: 'corpus', file: file ?? 'corpus.txt', length, maxVocab: vocabulary(g, 256) };
    case 'images':
    case null: return { kind: 'npz', file: 'data.npz' };
    default: {
      const never: never = format;
      throw new Error(`unhandled dataset format ${String(never)}`);
    }
  }
}

const NPZ = `def load_npz(path):
    """x_train and y_train (and x_test, y_test when present) from a .npz, shaped as the model takes them."""
    arrays = np.load(path)
    missing = {'x_train', 'y_train'} - set(arrays.files)
    if missing:
        raise ValueError(f'{path} lacks {sorted(missing)}; it has {arrays.files}')
    test = (arrays['x_test'], arrays['y_test']) if 'x_test' in arrays.files else None
    return (arrays['x_train'], arrays['y_train']), test`;

const MNIST = `MNIST_SPLIT_SEED = 20240  # NeuralForge's fixed split: the same 2,000 test digits as in the app


def mulberry32(seed):
    """NeuralForge's seeded generator (src/engine/random.ts), to reproduce its MNIST split."""
    state = seed & 0xFFFFFFFF

    def next_float():
        nonlocal state
        state = (state + 0x6D2B79F5) & 0xFFFFFFFF
        t = ((state ^ (state >> 15)) * (state | 1)) & 0xFFFFFFFF
        t ^= (t + ((t ^ (t >> 7)) * (t | 61))) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296
    return next_float


def shuffle(items, random):
    """Fisher-Yates with NeuralForge's draws, in place."""
    for i in range(len(items) - 1, 0, -1):
        j = int(random() * (i + 1))
        items[i], items[j] = items[j], items[i]
    return items


def load_mnist(path):
    """NeuralForge's mnist.bin ("NFMN", version, rows, cols, count, labels, pixels; little-endian)
    as images (N, 28, 28, 1) in [0, 1] and digits, split as NeuralForge splits it."""
    raw = Path(path).read_bytes()
    if raw[:4] != b'NFMN':
        raise ValueError(f'{path} is not a NeuralForge MNIST file (it does not start with NFMN)')
    version, rows, cols, count = struct.unpack_from('<HBBI', raw, 4)
    if version != 1:
        raise ValueError(f'{path} has version {version}; this script reads version 1')
    labels = np.frombuffer(raw, np.uint8, count, 12)
    images = np.frombuffer(raw, np.uint8, count * rows * cols, 12 + count).reshape(count, rows, cols, 1)
    random, train, test = mulberry32(MNIST_SPLIT_SEED), [], []
    for digit in range(10):
        members = shuffle([int(i) for i in np.flatnonzero(labels == digit)], random)
        held_out = min(200, len(members) // 2)
        test += members[:held_out]
        train += members[held_out:]
    train, test = shuffle(train, random), shuffle(test, random)
    x = images.astype(np.float32) / 255
    y = labels.astype(np.int64)
    return (x[train], y[train]), (x[test], y[test])`;

/** A seeded split of the rows, then class ids numbered in sorted order (numerically when all are numbers). */
const SPLIT_AND_CLASSES = `def split_rows(count):
    """A seeded shuffle of the rows: the first TEST_FRACTION tests, the rest trains."""
    order = np.random.default_rng(SEED).permutation(count)
    held_out = round(count * TEST_FRACTION)
    return order[held_out:], order[:held_out]


def number(cell):
    try:
        return float(cell)
    except ValueError:
        return None


def class_ids(labels):
    """Each label's class id, classes numbered in NeuralForge's order (numerically when all are numbers)."""
    names = sorted(set(labels), key=float) if all(number(v) is not None for v in labels) else sorted(set(labels))
    index = {name: i for i, name in enumerate(names)}
    return np.array([index[v] for v in labels], np.int64)`;

function table(classes: boolean): string {
  const labels = classes ? 'y = class_ids(labels)' : 'y = np.array([[float(v)] for v in labels], np.float32)';
  return `MISSING = {'', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', '?'}  # cells read as missing, as in NeuralForge


${SPLIT_AND_CLASSES}


def load_table(path, label):
    """A CSV table: numeric columns standardised with the training rows' mean and std (missing
    cells become the mean), other columns one-hot over their sorted values; the label column gives ${classes ? 'class ids' : 'a float target'}."""
    with open(path, newline='', encoding='utf-8-sig') as f:
        delimiter = '\\t' if str(path).endswith('.tsv') else ','
        header, *rows = [[cell.strip() for cell in r] for r in csv.reader(f, delimiter=delimiter) if any(c.strip() for c in r)]
    if label not in header:
        raise ValueError(f'{path}: there is no label column {label!r}; the columns are {header}')
    for i, r in enumerate(rows):
        if len(r) != len(header):
            raise ValueError(f'{path}: row {i + 2} has {len(r)} fields, the header has {len(header)}')
    train, test = split_rows(len(rows))
    features = []
    for j, name in enumerate(header):
        cells = [r[j] for r in rows]
        if name == label:
            labels = cells
        elif all(c in MISSING or number(c) is not None for c in cells):
            values = np.array([np.nan if c in MISSING else float(c) for c in cells])
            mean, std = np.nanmean(values[train]), np.nanstd(values[train])
            features.append(np.nan_to_num((values - mean) / (std or 1.0))[:, None])
        else:
            categories = sorted(set(cells) - MISSING)  # a missing cell is all zeros
            features.append(np.array([[c == k for k in categories] for c in cells], np.float64))
    x = np.concatenate(features, axis=1).astype(np.float32)
    if x.shape[1] != FEATURES:
        raise ValueError(f'{path} encodes to {x.shape[1]} features, the model takes {FEATURES}: '
                         'are its columns (and their values) the ones the model was trained on?')
    ${labels}
    return (x[train], y[train]), (x[test], y[test])`;
}

const VOCABULARY = `def vocabulary(token_lists, size):
    """NeuralForge's rule: id 0 is <pad>, 1 is <unk>, then tokens by count, ties in UTF-16 order."""
    counts = Counter(t for tokens in token_lists for t in tokens)
    counts.pop('<pad>', None)
    counts.pop('<unk>', None)
    ranked = sorted(counts, key=lambda t: (-counts[t], t.encode('utf-16-be')))
    return {t: i for i, t in enumerate(['<pad>', '<unk>'] + ranked[:size - 2])}`;

const TEXT = `WORD = re.compile(r"[\\w']+|[^\\s\\w']")  # runs of letters, digits, _ and ', or one other character


${SPLIT_AND_CLASSES}


${VOCABULARY}


def load_text(path, label):
    """Labelled texts (.csv with a header, or .jsonl): lower-cased words → ids from the training
    texts' vocabulary, cut or padded with 0 at the end to LENGTH tokens; labels → class ids."""
    with open(path, newline='', encoding='utf-8-sig') as f:
        if str(path).endswith(('.jsonl', '.ndjson')):
            records = [json.loads(line) for line in f if line.strip()]
        else:
            records = list(csv.DictReader(f))
    for i, r in enumerate(records):
        if TEXT_COLUMN not in r or label not in r:
            raise ValueError(f'{path}: record {i + 1} has no {TEXT_COLUMN!r} or {label!r}; it has {sorted(r)}')
    tokens = [WORD.findall(str(r[TEXT_COLUMN]).lower()) for r in records]
    train, test = split_rows(len(records))
    ids = vocabulary([tokens[i] for i in train], MAX_VOCAB)
    x = np.zeros((len(records), LENGTH), np.int64)
    for row, words in enumerate(tokens):
        kept = [ids.get(w, 1) for w in words[:LENGTH]]
        x[row, :len(kept)] = kept
    y = class_ids([str(r[label]) for r in records])
    return (x[train], y[train]), (x[test], y[test])`;

const CORPUS = `${VOCABULARY}


def windows(ids):
    """Windows of LENGTH ids and their next-token targets (the inputs shifted by one)."""
    count = max(0, (len(ids) - LENGTH - 1) // LENGTH + 1)
    starts = np.arange(count)[:, None] * LENGTH + np.arange(LENGTH)
    return ids[starts], ids[starts + 1]


def load_corpus(path):
    """A text file as characters → ids, cut into windows with next-character targets. As in
    NeuralForge, the first 1 - TEST_FRACTION of the text trains (and gives the vocabulary); the
    rest tests."""
    with open(path, encoding='utf-8-sig', newline='') as f:
        chars = list(f.read())
    cut = math.floor(len(chars) * (1 - TEST_FRACTION) + 0.5)
    index = vocabulary([chars[:cut]], MAX_VOCAB)
    ids = np.array([index.get(c, 1) for c in chars], np.int64)
    train, test = windows(ids[:cut]), windows(ids[cut:])
    if len(train[0]) == 0:
        raise ValueError(f'{path} is too short: its training part has {cut} characters, one window needs {LENGTH + 1}')
    return train, test if len(test[0]) else None`;

export interface DataSection {
  /** Modules the readers use. */
  readonly imports: readonly string[];
  /** Constants the readers read (name, Python value, comment). */
  readonly constants: readonly (readonly [string, string, string])[];
  readonly source: string;
  /** `load_data(path[, label])`: the reader for the file's kind. */
  readonly call: (path: string, label: string) => string;
  readonly needsLabel: boolean;
}

/** The readers train.py and the notebook define for `d`, with the generic .npz one always included. */
export function dataSection(d: TrainData): DataSection {
  const npz = (reader: string) => (path: string) => `load_npz(${path}) if str(${path}).endswith('.npz') else ${reader}`;
  switch (d.kind) {
    case 'npz':
      return { imports: [], constants: [], source: NPZ, call: (path) => `load_npz(${path})`, needsLabel: false };
    case 'mnist':
      return { imports: ['struct'], constants: [], source: `${NPZ}\n\n\n${MNIST}`, call: (path) => npz(`load_mnist(${path})`)(path), needsLabel: false };
    case 'table':
      return {
        imports: ['csv'],
        constants: [
          ['TEST_FRACTION', '0.2', 'rows held out for testing, as NeuralForge does'],
          ['FEATURES', String(d.features), "numbers per row after encoding: the model's input width"],
        ],
        source: `${NPZ}\n\n\n${table(d.classes)}`,
        call: (path, label) => npz(`load_table(${path}, ${label})`)(path),
        needsLabel: true,
      };
    case 'text':
      return {
        imports: ['csv', 'json', 're', 'from collections import Counter'],
        constants: [
          ['TEST_FRACTION', '0.2', 'texts held out for testing, as NeuralForge does'],
          ['TEXT_COLUMN', pyStr('text'), 'the column or field holding the text'],
          ['LENGTH', String(d.length), "tokens per text: the model's input length"],
          ['MAX_VOCAB', String(d.maxVocab), "ids the Embedding can look up, <pad> and <unk> included"],
        ],
        source: `${NPZ}\n\n\n${TEXT}`,
        call: (path, label) => npz(`load_text(${path}, ${label})`)(path),
        needsLabel: true,
      };
    case 'corpus':
      return {
        imports: ['math', 'from collections import Counter'],
        constants: [
          ['TEST_FRACTION', '0.1', 'the tail of the text held out for testing, as NeuralForge does'],
          ['LENGTH', String(d.length), "characters per window: the model's input length"],
          ['MAX_VOCAB', String(d.maxVocab), "ids the Embedding can look up, <pad> and <unk> included"],
        ],
        source: `${NPZ}\n\n\n${CORPUS}`,
        call: (path) => npz(`load_corpus(${path})`)(path),
        needsLabel: false,
      };
    default: {
      const never: never = d;
      throw new Error(`unhandled data kind ${JSON.stringify(never)}`);
    }
  }
}
