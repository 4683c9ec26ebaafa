// Raw-DEFLATE decompression with a hard cap on the output: the input is fed in small slices so a
// bomb is stopped after about `cap` bytes of output, never allocating what it claims to hold.
import { Inflate } from 'fflate';
import { concatBytes } from '../bytes.js';

/** One pushed slice inflates to at most ~1,032× its size, so 1 KiB slices overshoot the cap by ≤ ~1 MiB. */
const SLICE = 1024;

export type InflateResult =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly code: 'too-large'; readonly at: number }
  | { readonly ok: false; readonly code: 'corrupt'; readonly message: string };

class CapExceeded extends Error {
  constructor(readonly at: number) {
    super('decompressed size cap exceeded');
  }
}

/**
 * Inflates raw DEFLATE `data`; stops as soon as the output would pass `cap` bytes and reports the
 * first byte beyond it (`at` = cap + 1), and reports truncated or corrupt streams.
 * @example inflateCapped(deflateSync(bytes), 4 << 20) // → { ok: true, bytes }
 */
export function inflateCapped(data: Uint8Array, cap: number): InflateResult {
  const parts: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  const inflater = new Inflate((chunk, final) => {
    total += chunk.length;
    if (total > cap) throw new CapExceeded(cap + 1);
    parts.push(chunk);
    if (final) ended = true;
  });
  try {
    for (let at = 0; at < data.length; at += SLICE) {
      const end = Math.min(at + SLICE, data.length);
      inflater.push(data.subarray(at, end), end === data.length);
    }
    if (data.length === 0) inflater.push(new Uint8Array(0), true);
  } catch (e) {
    if (e instanceof CapExceeded) return { ok: false, code: 'too-large', at: e.at };
    return { ok: false, code: 'corrupt', message: e instanceof Error ? e.message : String(e) };
  }
  if (!ended) return { ok: false, code: 'corrupt', message: 'the compressed data ends early' };
  return { ok: true, bytes: concatBytes(parts) };
}
