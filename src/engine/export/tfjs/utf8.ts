// UTF-8 text ↔ bytes. Every runtime the engine runs in (page, worker, Node) has TextEncoder and
// TextDecoder; the engine's type library (ES2023, no DOM) does not declare them, so this does.
declare const TextEncoder: new () => { encode(s: string): Uint8Array };
declare const TextDecoder: new (label?: string, opts?: { fatal?: boolean }) => { decode(b: Uint8Array): string };

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** @throws TypeError when the bytes are not valid UTF-8. */
export const fromUtf8 = (b: Uint8Array): string => new TextDecoder('utf-8', { fatal: true }).decode(b);
