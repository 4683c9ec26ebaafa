// CSV text → records with row numbers, through papaparse: whole-file (in memory) or streamed
// block by block from byte chunks. Row numbers count records as a spreadsheet shows them:
// the header is row 1, the first data row is row 2; blank lines are skipped but counted.
import Papa from 'papaparse/papaparse.min.js';
import { DecodeUTF8, strFromU8 } from 'fflate';
import { DatasetError } from './types.js';

/** Records of a CSV file (or of one streamed block), each with its row number. */
export interface Records {
  readonly header: readonly string[];
  readonly delimiter: string;
  readonly rows: string[][];
  readonly rowNumbers: number[];
}

/** Default cap on a file read into memory: 64 MiB. Bigger files stream (see stream.ts). */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

const mb = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;

/** Refuses bytes over `maxBytes` before anything reads them. */
export function checkSize(bytes: Uint8Array, maxBytes: number, where: string): void {
  if (bytes.length > maxBytes) {
    throw new DatasetError(`the file is ${mb(bytes.length)}, over the ${mb(maxBytes)} limit for reading into memory; stream it in chunks instead, or raise maxBytes`, where);
  }
}

const normalizeBreaks = (s: string) => s.replace(/\r\n?/g, '\n');

const CANDIDATES = [',', '\t', ';', '|'] as const;

/** The delimiter that occurs most often (outside quotes) in the header line; "," when none does. */
export function detectDelimiter(text: string): string {
  let inQuotes = false;
  const counts = new Map<string, number>();
  for (const ch of text) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (ch === '\n' && !inQuotes) {
      if (counts.size > 0) break;
    } else if (!inQuotes && (CANDIDATES as readonly string[]).includes(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ',';
  for (const c of CANDIDATES) if ((counts.get(c) ?? 0) > (counts.get(best) ?? 0)) best = c;
  return best;
}

const isBlank = (r: readonly string[]) => r.length === 1 && r[0]!.trim() === '';

/**
 * Parses one block of complete records. `firstRow` is the row number of its first record;
 * returns the non-blank records and the row number after the block.
 */
function parseBlock(text: string, delimiter: string, firstRow: number, where: string) {
  const result = Papa.parse(text, { delimiter, newline: '\n', skipEmptyLines: false });
  const quoteError = result.errors.find((e) => e.type === 'Quotes');
  if (quoteError) {
    const row = firstRow + (quoteError.row ?? 0);
    const what = quoteError.code === 'MissingQuotes' ? 'a quoted field is never closed' : `bad quotes (${quoteError.message})`;
    throw new DatasetError(`row ${row}: ${what}`, where);
  }
  const data = result.data;
  // A block that ends with a line break parses to a trailing empty record: not a row.
  if (text.endsWith('\n') && data.length > 0 && isBlank(data[data.length - 1]!)) data.pop();
  const rows: string[][] = [];
  const rowNumbers: number[] = [];
  data.forEach((r, i) => {
    if (isBlank(r)) return;
    rows.push(r);
    rowNumbers.push(firstRow + i);
  });
  return { rows, rowNumbers, next: firstRow + data.length };
}

function headerOf(rows: string[][], rowNumbers: number[], where: string): string[] {
  const first = rows.shift();
  rowNumbers.shift();
  if (!first) throw new DatasetError('the file is empty', where);
  return first.map((h, i) => h.trim() || `column ${i + 1}`);
}

/**
 * Parses a whole CSV text. Throws "the file is empty" / "has a header but no data rows" /
 * "row N: a quoted field is never closed".
 *
 * @example
 * const { header, rows, rowNumbers } = parseCsvText('a,b\n1,2\n', 'data.csv'); // rowNumbers [2]
 */
export function parseCsvText(text: string, where: string, delimiter?: string): Records {
  const clean = normalizeBreaks(text.replace(/^\uFEFF/, ''));
  if (clean.trim() === '') throw new DatasetError('the file is empty', where);
  const delim = delimiter ?? detectDelimiter(clean);
  const { rows, rowNumbers } = parseBlock(clean, delim, 1, where);
  const header = headerOf(rows, rowNumbers, where);
  if (rows.length === 0) throw new DatasetError('the file has a header but no data rows', where);
  return { header, delimiter: delim, rows, rowNumbers };
}

/** The header names of a CSV text (its first line), for messages that list the columns. */
export function readCsvHeader(text: string): string[] {
  const first = normalizeBreaks(text.replace(/^\uFEFF/, '')).split('\n', 1)[0] ?? '';
  const row = Papa.parse(first, { delimiter: detectDelimiter(first), newline: '\n' }).data[0] ?? [];
  return row.map((h, i) => h.trim() || `column ${i + 1}`);
}

export interface StreamCsvOptions {
  readonly delimiter?: string;
  /** Characters of text per parsed block. Default 1 Mi. */
  readonly blockChars?: number;
  /** Longest single record, in characters (guards against an unclosed quote). Default 16 Mi. */
  readonly maxRecordChars?: number;
}

/**
 * Streams CSV records from byte chunks in blocks of whole records (a record never straddles
 * two blocks, quoted line breaks included). Row numbers match {@link parseCsvText}'s.
 * Memory: one block plus one chunk. The header comes with every block.
 *
 * @example
 * for await (const block of streamCsvRecords(chunks, 'big.csv')) console.log(block.rows.length);
 */
export async function* streamCsvRecords(chunks: AsyncIterable<Uint8Array>, where: string, options: StreamCsvOptions = {}): AsyncGenerator<Records> {
  const blockChars = options.blockChars ?? 1 << 20;
  const maxRecord = options.maxRecordChars ?? 1 << 24;
  let pending = '';
  const decoder = new DecodeUTF8((s) => (pending += s));
  let buf = '';
  let scan = 0;
  let inQuotes = false;
  let boundary = 0; // buf[0, boundary) holds whole records
  let header: string[] | null = null;
  let delimiter = options.delimiter;
  let nextRow = 1;
  let first = true;

  function* emit(text: string): Generator<Records> {
    if (first) {
      text = text.replace(/^\uFEFF/, '');
      first = false;
    }
    delimiter ??= detectDelimiter(text);
    const block = parseBlock(text, delimiter, nextRow, where);
    nextRow = block.next;
    header ??= block.rows.length > 0 ? headerOf(block.rows, block.rowNumbers, where) : null;
    if (header && block.rows.length > 0) yield { header, delimiter, rows: block.rows, rowNumbers: block.rowNumbers };
  }

  const take = (final: boolean) => {
    // "\r" at the very end may be half of "\r\n": keep it for the next chunk.
    const cut = !final && pending.endsWith('\r') ? pending.length - 1 : pending.length;
    buf += normalizeBreaks(pending.slice(0, cut));
    pending = pending.slice(cut);
    for (; scan < buf.length; scan++) {
      const ch = buf.charCodeAt(scan);
      if (ch === 34) inQuotes = !inQuotes;
      else if (ch === 10 && !inQuotes) boundary = scan + 1;
    }
  };

  for await (const chunk of chunks) {
    decoder.push(chunk);
    take(false);
    if (boundary >= blockChars || (buf.length >= blockChars && boundary > 0)) {
      const text = buf.slice(0, boundary);
      buf = buf.slice(boundary);
      scan -= boundary;
      boundary = 0;
      yield* emit(text);
    } else if (buf.length - boundary > maxRecord) {
      throw new DatasetError(`row ${nextRow}: a record longer than ${maxRecord} characters (is a quote never closed?)`, where);
    }
  }
  decoder.push(new Uint8Array(0), true);
  take(true);
  if (buf.length > 0) yield* emit(buf);
  if (header === null) throw new DatasetError('the file is empty', where);
}
