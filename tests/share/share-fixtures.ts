// Hostile share payloads built for the tests: deflate bombs made without allocating what they
// inflate to, raw JSON text with keys that object literals cannot hold, and links around them.
import { deflateRawSync, constants } from 'node:zlib';
import { CURRENT_VERSION } from '../../src/engine/project/types.js';

/** Base64url without padding (Node's own encoder: an outside oracle for our codec). */
export const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');

/** A link fragment from raw payload text, deflated by Node's zlib (not by our encoder). */
export const linkFromJsonText = (text: string, version = 1): string => `#share=${version}.${b64url(deflateRawSync(Buffer.from(text, 'utf8'), { level: 9 }))}`;

/**
 * Raw DEFLATE that inflates to `mib` MiB of zeros. One 16 MiB piece is compressed with a sync
 * flush (no final bit, byte-aligned), repeated, then closed by an empty final block: a valid stream
 * made in milliseconds, about 1 KiB per MiB.
 */
export function zeroBomb(mib: number): Uint8Array {
  const pieceMib = Math.min(16, mib);
  const piece = deflateRawSync(Buffer.alloc(pieceMib << 20), { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  const end = deflateRawSync(Buffer.alloc(0));
  const count = Math.ceil(mib / pieceMib);
  const out = new Uint8Array(piece.length * count + end.length);
  for (let i = 0; i < count; i++) out.set(piece, i * piece.length);
  out.set(end, piece.length * count);
  return out;
}

/** A small valid project as JSON text, with `paramsText` spliced in raw as node d1's params. */
export function projectText(paramsText = '{"units":4}', version: number = CURRENT_VERSION): string {
  return (
    `{"format":"neuralforge-project","version":${version},"name":"p","graph":{"nodes":[` +
    `{"id":"in","kind":"Input","params":{"shape":[8]}},{"id":"d1","kind":"Dense","params":${paramsText}}],` +
    `"edges":[{"source":"in","target":"d1","targetInput":0}]},"training":{},"dataset":{}}`
  );
}

/**
 * A project with `nodes` copies of one node and `edges` copies of one edge, as JSON text: over the
 * limits yet tiny once deflated (the schema's count limit is checked before duplicate ids).
 */
export function manyNodesText(nodes: number, edges = 0): string {
  const n = Array.from({ length: nodes }, () => '{"id":"a","kind":"ReLU"}').join(',');
  const e = Array.from({ length: edges }, () => '{"source":"a","target":"a"}').join(',');
  return `{"format":"neuralforge-project","version":${CURRENT_VERSION},"name":"big","graph":{"nodes":[${n}],"edges":[${e}]}}`;
}
