// The dataset API for the trainer worker, the editor and the CLI. Node-only helpers
// (reading files, building mnist.bin) live in ./node-files.ts and are NOT re-exported here,
// so everything reachable from this file runs in a page or a worker.
export * from './types.js';
export { loadDataset, fileFormat, BUILTIN_DATASETS, type DatasetDeps, type LoadOptions, type FileFormat } from './load.js';
export { parseMnistBinary, decodeMnistBinary, encodeMnistBinary, encodeMnistFromDigits, mnistSplitIndices, MNIST_SPLIT_SEED, MNIST_TEST_PER_CLASS, type MnistRaw } from './mnist.js';
export { makeSynthetic, SYNTHETIC_KINDS, PLANE, isSyntheticKind, type SyntheticKind, type SyntheticOptions } from './synthetic.js';
export { loadIris, IRIS_COLUMNS, type IrisOptions } from './iris.js';
export { loadCsv, loadCsvText, type CsvOptions } from './csv.js';
export { parseCsvText, DEFAULT_MAX_BYTES, type Records } from './csv-parse.js';
export { MISSING_TOKENS, TableFitter, type ColumnType, type TableEncoder, type TableOptions } from './table.js';
export { loadImageZip, loadImageFiles, resizeImage, IMAGE_EXTENSIONS, type DecodedImage, type ImageDecoder, type ImageOptions, type UploadedFile } from './images.js';
export { readZip, type ZipLimits, type ZipEntry, type ZipContents } from './zip.js';
export { loadTextClassification, tokenize, buildVocab, encodeTokens, PAD, UNK, PAD_ID, UNK_ID, type TextOptions, type Tokenizer } from './text.js';
export { loadCorpus, corpusDataset, lmWindows, windowCount, type CorpusOptions } from './lm.js';
export { download, downloadEntry, sha256Hex, MemoryCache, type ByteCache, type DownloadEvent, type DownloadOptions, type FetchLike, type RemoteEntry, type ResponseLike } from './remote.js';
export { streamCsv, streamTextClassification, bytesSource, type ByteSource, type SplitStream, type StreamOptions } from './stream.js';
export { splitStratified, carveValidation, stratifiedIndices, takeRows, shuffled, sampleSize } from './split.js';
export { rng, type Rng } from './random.js';
