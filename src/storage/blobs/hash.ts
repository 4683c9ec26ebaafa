// SHA-256 of bytes as lower-case hex, through WebCrypto (pages, workers and Node 20 alike).
import type { ContentHash } from '../types.js';

/**
 * @example await sha256Hex(new TextEncoder().encode('abc')) // 'ba7816bf…15ad'
 */
export async function sha256Hex(bytes: Uint8Array): Promise<ContentHash> {
  // digest() takes an ArrayBuffer-backed view; a view over a SharedArrayBuffer is copied first.
  const view = bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : bytes.slice();
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', view));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex as ContentHash;
}

/** True for a lower-case hex SHA-256. */
export const isSha256 = (s: string): s is ContentHash => /^[0-9a-f]{64}$/.test(s);
