// UTF-8 decoding for names and string attributes. Every runtime the engine targets (page, worker,
// Node) has TextDecoder, but the engine's type library (ES2023, no DOM) does not declare it.
declare const TextDecoder: new (label?: string, opts?: { fatal?: boolean }) => { decode(b: Uint8Array): string };

const decoder = new TextDecoder('utf-8', { fatal: false });

/** Bytes → text; malformed sequences become U+FFFD rather than an error. */
export const decodeUtf8 = (b: Uint8Array): string => decoder.decode(b);
