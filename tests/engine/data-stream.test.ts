// Chunked iteration for files over the in-memory cap: records never split across blocks or
// byte chunks, same row numbers and messages as the in-memory path, chunks of the right size.
import { describe, expect, it } from 'vitest';
import { bytesSource, streamCsv, streamTextClassification, type ByteSource } from '../../src/engine/data/stream.js';
import { streamCsvRecords } from '../../src/engine/data/csv-parse.js';
import { loadCsv } from '../../src/engine/data/csv.js';
import { DatasetError, type Split } from '../../src/engine/data/types.js';
import { datasetRefusal } from '../helpers/refusal.js';

const enc = (s: string) => new TextEncoder().encode(s);

/** 3,000 rows with quoted commas and line breaks, CRLF endings, a categorical and a numeric column. */
function bigCsv(rows = 3000, bad?: { row: number; line: string }): string {
  const lines = ['id,"note, free text",size,colour,label'];
  for (let i = 0; i < rows; i++) {
    const row = i + 2;
    lines.push(bad?.row === row ? bad.line : `${i},"says ""hi"", line\r\nbreak ${i}",${(i * 7) % 101},${['red', 'green', 'blue'][i % 3]},${i % 4 === 0 ? 'yes' : 'no'}`);
  }
  return lines.join('\r\n') + '\r\n';
}

async function collect(chunks: AsyncIterable<Split>): Promise<Split[]> {
  const out: Split[] = [];
  for await (const c of chunks) out.push(c);
  return out;
}


describe('streamCsvRecords', () => {
  it('gives the same records and row numbers whatever the byte-chunk and block sizes', async () => {
    const bytes = enc(bigCsv(500));
    const all = async (chunk: number, blockChars: number) => {
      const rows: string[][] = [];
      const numbers: number[] = [];
      for await (const b of streamCsvRecords(bytesSource(bytes, chunk)(), 'big.csv', { blockChars })) {
        rows.push(...b.rows);
        numbers.push(...b.rowNumbers);
      }
      return { rows, numbers };
    };
    const reference = await all(1 << 20, 1 << 24);
    expect(reference.rows).toHaveLength(500);
    expect(reference.rows[3]).toEqual(['3', 'says "hi", line\nbreak 3', '21', 'red', 'no']);
    expect(reference.numbers.slice(0, 3)).toEqual([2, 3, 4]);
    for (const [chunk, block] of [[1, 50], [7, 333], [4096, 1000]] as const) expect(await all(chunk, block)).toEqual(reference);
  });
});

describe('streamCsv', () => {
  const source = bytesSource(enc(bigCsv()), 999);

  it('checks and fits in a first pass, then yields chunks of chunkRows', async () => {
    const s = await streamCsv(source, { label: 'label', columnTypes: { id: 'ignore', 'note, free text': 'ignore' }, chunkRows: 256, blockChars: 4000, fileName: 'big.csv' });
    expect(s.classes).toEqual(['no', 'yes']);
    expect(s.counts.train + s.counts.test).toBe(3000);
    expect(s.counts.test / 3000).toBeGreaterThan(0.17);
    expect(s.counts.test / 3000).toBeLessThan(0.23);
    const train = await collect(s.chunks('train'));
    expect(train.slice(0, -1).every((c) => c.count === 256)).toBe(true);
    expect(train.reduce((n, c) => n + c.count, 0)).toBe(s.counts.train);
    expect(train[0]!.x.shape).toEqual([1 + 3]);
    const test = await collect(s.chunks('test'));
    expect(test.reduce((n, c) => n + c.count, 0)).toBe(s.counts.test);
    // A second pass gives the same data.
    expect((await collect(s.chunks('train')))[0]!.x.values).toEqual(train[0]!.x.values);
  });

  it('fits the same statistics as the in-memory loader when every row trains', async () => {
    const text = bigCsv(800);
    const options = { label: 'label', columnTypes: { id: 'ignore', 'note, free text': 'ignore' }, testFraction: 0 } as const;
    const s = await streamCsv(bytesSource(enc(text), 100), { ...options, blockChars: 2000 });
    const mem = loadCsv(enc(text), options);
    expect(s.preprocessing).toEqual(mem.preprocessing);
    const sum = (xs: Float32Array | Int32Array) => Array.from(xs).reduce((a, b) => a + b, 0);
    const chunks = await collect(s.chunks('train'));
    expect(chunks.reduce((a, c) => a + sum(c.x.values), 0)).toBeCloseTo(sum(mem.train.x.values), 2);
  });

  it('reports bad rows by the same row number as the in-memory path, before any chunk', async () => {
    const text = bigCsv(3000, { row: 2345, line: '1,"x",3' });
    const options = { label: 'label', fileName: 'big.csv' };
    const streamed = await datasetRefusal(streamCsv(bytesSource(enc(text), 512), { ...options, blockChars: 3000 }));
    expect(streamed.message).toBe('big.csv: row 2345 has 3 fields, expected 5');
    expect(() => loadCsv(enc(text), options)).toThrow('big.csv: row 2345 has 3 fields, expected 5');
    expect((await datasetRefusal(streamCsv(bytesSource(enc('a,label\n'), 4), { label: 'label' }))).message).toMatch(/header but no data rows/);
    expect((await datasetRefusal(streamCsv(bytesSource(enc('a,b\n1,2\n'), 4), { label: 'c' }))).message).toMatch(/label column "c" does not exist; the columns are "a", "b"/);
  });

  it('notices a file that changed between passes', async () => {
    let reads = 0;
    const changing: ByteSource = () => bytesSource(enc(reads++ === 0 ? bigCsv(100) : bigCsv(90)), 64)();
    const s = await streamCsv(changing, { label: 'label', columnTypes: { id: 'ignore', 'note, free text': 'ignore' } });
    expect((await datasetRefusal(collect(s.chunks('train')))).message).toMatch(/the file changed between reads/);
  });
});

describe('streamTextClassification', () => {
  it('streams JSONL: vocabulary from training rows, [T] int32 chunks', async () => {
    const lines = Array.from({ length: 400 }, (_, i) => JSON.stringify({ text: i % 2 ? `good film ${i}` : `bad film ${i}`, label: i % 2 ? 'pos' : 'neg' })).join('\n');
    const s = await streamTextClassification(bytesSource(enc(lines), 37), { textColumn: 'text', label: 'label', length: 4, chunkRows: 100, fileName: 'r.jsonl' });
    expect(s.classes).toEqual(['neg', 'pos']);
    if (s.preprocessing.kind !== 'text') throw new Error('expected text');
    expect(s.preprocessing.vocab.slice(0, 5)).toEqual(['<pad>', '<unk>', 'film', 'bad', 'good']);
    const chunks = await collect(s.chunks('train'));
    expect(chunks[0]!.x).toMatchObject({ shape: [4], dtype: 'int32' });
    expect(chunks.reduce((n, c) => n + c.count, 0)).toBe(s.counts.train);
    const bad = lines + '\n{"text": "oops"}\n';
    expect((await datasetRefusal(streamTextClassification(bytesSource(enc(bad), 50), { textColumn: 'text', label: 'label', length: 4, fileName: 'r.jsonl' }))).message).toMatch(
      /line 401 has no "label" field \(the label\); its fields are "text"/,
    );
  });
});
